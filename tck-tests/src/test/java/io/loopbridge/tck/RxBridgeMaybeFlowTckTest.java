package io.loopbridge.tck;

import io.loopbridge.rxjava.RxBridge;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * {@code RxBridge.maybe(loop, coroutine).toFlowable()} seen through {@link FlowAdapters}, the
 * {@link Flow} flavour of {@link RxBridgeMaybeTckTest}.
 */
public class RxBridgeMaybeFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public RxBridgeMaybeFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(FlowAdapters.toFlowPublisher(
                RxBridge.maybe(Tck.loop(), ReactiveFromCoroutineTckTest.coroutine(elements))
                        .toFlowable()));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(RxBridge.maybe(Tck.loop(), ReactiveFromCoroutineTckTest.failing())
                        .toFlowable()));
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
    }

    @Override
    public int expectedPassed() {
        return RxBridgeMaybeTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return RxBridgeMaybeTckTest.SKIPPED;
    }
}
