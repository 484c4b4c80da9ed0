package io.loopbridge.tck;

import io.loopbridge.reactive.ReactiveFlow;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;

/** {@code ReactiveFlow.asFlowSubscriber(loopSubscriber)}, the {@link Flow} flavour of {@link LoopSubscriberBlackboxTckTest}. */
public class LoopSubscriberBlackboxFlowTckTest extends FlowSubscriberBlackboxVerification<Integer>
        implements TckAudited {
    public LoopSubscriberBlackboxFlowTckTest() {
        super(Tck.env());
    }

    @Override
    public Flow.Subscriber<Integer> createFlowSubscriber() {
        return Tck.opaque(ReactiveFlow.asFlowSubscriber(LoopSubscriberBlackboxTckTest.subscriber()));
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }

    @Override
    public int expectedPassed() {
        return LoopSubscriberBlackboxTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return LoopSubscriberBlackboxTckTest.SKIPPED;
    }
}
