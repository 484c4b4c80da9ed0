package io.loopbridge.tck;

import io.loopbridge.reactor.ReactorBridge;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * {@code ReactorBridge.flux(loop, body)} seen through {@link FlowAdapters}, the {@link Flow}
 * flavour of {@link ReactorBridgeFluxTckTest}. Not through Reactor's {@code JdkFlowAdapter}: it
 * hands a null subscriber on instead of rejecting it (§1.9).
 */
public class ReactorBridgeFluxFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactorBridgeFluxFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(ReactorBridge.flux(Tck.loop(), ReactivePublisherTckTest.body(elements))));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(ReactorBridge.flux(Tck.loop(), ReactivePublisherTckTest.failingBody())));
    }

    @Override
    public int expectedPassed() {
        return ReactorBridgeFluxTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return ReactorBridgeFluxTckTest.SKIPPED;
    }
}
