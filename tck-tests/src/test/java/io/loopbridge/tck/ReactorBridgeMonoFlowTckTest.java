package io.loopbridge.tck;

import io.loopbridge.reactor.ReactorBridge;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * {@code ReactorBridge.mono(loop, coroutine)} seen through {@link FlowAdapters}, the {@link Flow}
 * flavour of {@link ReactorBridgeMonoTckTest}. Not through Reactor's {@code JdkFlowAdapter}: it
 * hands a null subscriber on instead of rejecting it (§1.9).
 */
public class ReactorBridgeMonoFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactorBridgeMonoFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(FlowAdapters.toFlowPublisher(
                ReactorBridge.mono(Tck.loop(), ReactiveFromCoroutineTckTest.coroutine(elements))));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(ReactorBridge.mono(Tck.loop(), ReactiveFromCoroutineTckTest.failing())));
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
    }

    @Override
    public int expectedPassed() {
        return ReactorBridgeMonoTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return ReactorBridgeMonoTckTest.SKIPPED;
    }
}
