package io.loopbridge.tck;

import io.loopbridge.reactive.ReactiveFlow;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;

/** {@code ReactiveFlow.asFlowSubscriber(loopSubscriber)}, the {@link Flow} flavour of {@link LoopSubscriberWhiteboxTckTest}. */
public class LoopSubscriberWhiteboxFlowTckTest extends FlowSubscriberWhiteboxVerification<Integer>
        implements TckAudited {
    public LoopSubscriberWhiteboxFlowTckTest() {
        super(Tck.env());
    }

    @Override
    protected Flow.Subscriber<Integer> createFlowSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        return Tck.opaque(ReactiveFlow.asFlowSubscriber(ProbedLoopSubscriber.start(probe)));
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }

    @Override
    public int expectedPassed() {
        return LoopSubscriberWhiteboxTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return LoopSubscriberWhiteboxTckTest.SKIPPED;
    }
}
