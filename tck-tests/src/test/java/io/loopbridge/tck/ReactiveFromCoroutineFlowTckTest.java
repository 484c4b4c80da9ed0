package io.loopbridge.tck;

import io.loopbridge.reactive.ReactiveFlow;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** {@code ReactiveFlow.fromCoroutine(loop, coroutine)}, the {@link Flow} flavour of {@link ReactiveFromCoroutineTckTest}. */
public class ReactiveFromCoroutineFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactiveFromCoroutineFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(ReactiveFlow.fromCoroutine(Tck.loop(), ReactiveFromCoroutineTckTest.coroutine(elements)));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(ReactiveFlow.fromCoroutine(Tck.loop(), ReactiveFromCoroutineTckTest.failing()));
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
    }

    @Override
    public int expectedPassed() {
        return ReactiveFromCoroutineTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return ReactiveFromCoroutineTckTest.SKIPPED;
    }
}
