package io.loopbridge.tck;

import io.loopbridge.reactor.ReactorBridge;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** {@code ReactorBridge.toMono(awaitable)} through {@link FlowAdapters}: the {@link Flow} flavour of {@link ReactorBridgeToMonoTckTest}. */
public class ReactorBridgeToMonoFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactorBridgeToMonoFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(ReactorBridge.toMono(ReactiveFromAwaitableTckTest.future(elements))));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(
                FlowAdapters.toFlowPublisher(ReactorBridge.toMono(ReactiveFromAwaitableTckTest.failedFuture())));
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
    }

    @Override
    public int expectedPassed() {
        return ReactiveFromAwaitableTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return ReactiveFromAwaitableTckTest.SKIPPED;
    }
}
