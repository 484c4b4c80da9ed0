package io.loopbridge.tck;

import io.loopbridge.reactive.ReactiveFlow;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** {@code ReactiveFlow.fromAwaitable(future)}, the {@link Flow} flavour of {@link ReactiveFromAwaitableTckTest}. */
public class ReactiveFromAwaitableFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactiveFromAwaitableFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(ReactiveFlow.fromAwaitable(ReactiveFromAwaitableTckTest.future(elements)));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(ReactiveFlow.fromAwaitable(ReactiveFromAwaitableTckTest.failedFuture()));
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
