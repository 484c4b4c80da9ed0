package io.loopbridge.tck;

import io.loopbridge.reactive.ReactiveFlow;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** {@code ReactiveFlow.publisher(loop, body)}, the {@link Flow} flavour of {@link ReactivePublisherTckTest}. */
public class ReactivePublisherFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactivePublisherFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(ReactiveFlow.publisher(Tck.loop(), ReactivePublisherTckTest.body(elements)));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(ReactiveFlow.publisher(Tck.loop(), ReactivePublisherTckTest.failingBody()));
    }

    @Override
    public int expectedPassed() {
        return ReactivePublisherTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return ReactivePublisherTckTest.SKIPPED;
    }
}
