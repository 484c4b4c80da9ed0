package io.loopbridge.tck;

import io.loopbridge.rxjava.RxBridge;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.testng.annotations.Test;

/**
 * {@code RxBridge.toSingle(future).toFlowable()}: the outcome of one future shared by every
 * subscriber, as {@link ReactiveFromAwaitableTckTest} but behind RxJava's {@code Single}. The
 * future completes on the loop around the time of the first subscription, so subscriptions find it
 * both pending and done. Always one item, as {@link RxBridgeSingleTckTest}, with the same skips.
 */
public class RxBridgeToSingleTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = RxBridgeSingleTckTest.PASSED;
    static final Map<String, String> SKIPPED = RxBridgeSingleTckTest.SKIPPED;

    public RxBridgeToSingleTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return RxBridge.toSingle(ReactiveFromAwaitableTckTest.future(1)).toFlowable();
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return RxBridge.toSingle(ReactiveFromAwaitableTckTest.failedFuture()).toFlowable();
    }

    /** Skipped: a {@code Single} is never empty (see {@link RxBridgeSingleTckTest#neverEmpty()}). */
    @Override
    @Test
    public void optional_spec105_emptyStreamMustTerminateBySignallingOnComplete() {
        throw RxBridgeSingleTckTest.neverEmpty();
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
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
