package io.loopbridge.tck;

import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * {@code flux.transform(ReactorBridge.mapAsync(loop, 4, fn))} seen through {@link FlowAdapters},
 * the {@link Flow} flavour of {@link ReactorBridgeMapAsyncTckTest}. Not through Reactor's {@code
 * JdkFlowAdapter}: it hands a null subscriber on instead of rejecting it (§1.9).
 */
public class ReactorBridgeMapAsyncFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactorBridgeMapAsyncFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(FlowAdapters.toFlowPublisher(ReactorBridgeMapAsyncTckTest.mapped(elements)));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(FlowAdapters.toFlowPublisher(ReactorBridgeMapAsyncTckTest.failing()));
    }

    @Override
    public int expectedPassed() {
        return ReactorBridgeMapAsyncTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return ReactorBridgeMapAsyncTckTest.SKIPPED;
    }
}
