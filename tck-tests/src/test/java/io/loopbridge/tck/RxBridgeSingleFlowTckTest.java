package io.loopbridge.tck;

import io.loopbridge.rxjava.RxBridge;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.Test;

/**
 * {@code RxBridge.single(loop, coroutine).toFlowable()} seen through {@link FlowAdapters}, the
 * {@link Flow} flavour of {@link RxBridgeSingleTckTest}.
 */
public class RxBridgeSingleFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public RxBridgeSingleFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(RxBridge.single(Tck.loop(), ReactiveFromCoroutineTckTest.coroutine(1))
                        .toFlowable()));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(RxBridge.single(Tck.loop(), ReactiveFromCoroutineTckTest.failing())
                        .toFlowable()));
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
        return RxBridgeSingleTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return RxBridgeSingleTckTest.SKIPPED;
    }
}
