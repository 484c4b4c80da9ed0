package io.loopbridge.tck;

import io.loopbridge.rxjava.RxBridge;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * {@code RxBridge.flowable(loop, body)} seen through {@link FlowAdapters} (RxJava 3 has no {@link
 * Flow} adapter of its own), the {@link Flow} flavour of {@link RxBridgeFlowableTckTest}.
 */
public class RxBridgeFlowableFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public RxBridgeFlowableFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(RxBridge.flowable(Tck.loop(), ReactivePublisherTckTest.body(elements))));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(RxBridge.flowable(Tck.loop(), ReactivePublisherTckTest.failingBody())));
    }

    @Override
    public int expectedPassed() {
        return RxBridgeFlowableTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return RxBridgeFlowableTckTest.SKIPPED;
    }
}
