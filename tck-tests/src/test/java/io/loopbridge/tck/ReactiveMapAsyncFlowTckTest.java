package io.loopbridge.tck;

import io.loopbridge.reactive.ReactiveFlow;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** {@code ReactiveFlow.mapAsync(upstream, loop, 4, fn)}, the {@link Flow} flavour of {@link ReactiveMapAsyncTckTest}. */
public class ReactiveMapAsyncFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactiveMapAsyncFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(ReactiveFlow.mapAsync(
                FlowAdapters.toFlowPublisher(ReactiveMapAsyncTckTest.upstream(elements)),
                Tck.loop(),
                ReactiveMapAsyncTckTest.CONCURRENCY,
                ReactiveMapAsyncTckTest.fn()));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(ReactiveFlow.mapAsync(
                FlowAdapters.toFlowPublisher(ReactiveMapAsyncTckTest.upstream(1)),
                Tck.loop(),
                ReactiveMapAsyncTckTest.CONCURRENCY,
                ReactiveMapAsyncTckTest.failingFn()));
    }

    @Override
    public int expectedPassed() {
        return ReactiveMapAsyncTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return ReactiveMapAsyncTckTest.SKIPPED;
    }
}
