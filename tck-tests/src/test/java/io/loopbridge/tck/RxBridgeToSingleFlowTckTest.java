package io.loopbridge.tck;

import io.loopbridge.rxjava.RxBridge;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.Test;

/**
 * {@code RxBridge.toSingle(future).toFlowable()} seen through {@link FlowAdapters}, the {@link
 * Flow} flavour of {@link RxBridgeToSingleTckTest}.
 */
public class RxBridgeToSingleFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public RxBridgeToSingleFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(FlowAdapters.toFlowPublisher(
                RxBridge.toSingle(ReactiveFromAwaitableTckTest.future(1)).toFlowable()));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(FlowAdapters.toFlowPublisher(
                RxBridge.toSingle(ReactiveFromAwaitableTckTest.failedFuture()).toFlowable()));
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
        return RxBridgeToSingleTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return RxBridgeToSingleTckTest.SKIPPED;
    }
}
