package io.loopbridge.tck;

import java.util.Map;
import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberWhiteboxVerification;

/**
 * {@link io.loopbridge.reactive.LoopSubscriber}, whitebox: read by a coroutine on the TCK loop
 * that takes one item per {@code triggerRequest} permit; see {@link ProbedLoopSubscriber}.
 */
public class LoopSubscriberWhiteboxTckTest extends SubscriberWhiteboxVerification<Integer> implements TckAudited {
    static final int PASSED = 14;
    static final Map<String, String> SKIPPED = TckSkips.WHITEBOX_UNTESTED;

    public LoopSubscriberWhiteboxTckTest() {
        super(Tck.env());
    }

    @Override
    public Subscriber<Integer> createSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        return ProbedLoopSubscriber.start(probe);
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }

    @Override
    public int expectedPassed() {
        return PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return SKIPPED;
    }
}
