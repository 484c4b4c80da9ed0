package io.loopbridge.tck;

import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * {@code Flowable.range(0, n).compose(RxBridge.mapAsync(loop, 4, fn))} seen through {@link
 * FlowAdapters}, the {@link Flow} flavour of {@link RxBridgeMapAsyncTckTest}.
 */
public class RxBridgeMapAsyncFlowTckTest extends FlowPublisherVerification<Integer> implements TckAudited {
    public RxBridgeMapAsyncFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Integer> createFlowPublisher(long elements) {
        return Tck.opaque(FlowAdapters.toFlowPublisher(RxBridgeMapAsyncTckTest.mapped(elements)));
    }

    @Override
    public Flow.Publisher<Integer> createFailedFlowPublisher() {
        return Tck.opaque(FlowAdapters.toFlowPublisher(RxBridgeMapAsyncTckTest.failing()));
    }

    @Override
    public int expectedPassed() {
        return RxBridgeMapAsyncTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return RxBridgeMapAsyncTckTest.SKIPPED;
    }
}
