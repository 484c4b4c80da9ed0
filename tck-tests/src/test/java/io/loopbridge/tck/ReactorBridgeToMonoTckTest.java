package io.loopbridge.tck;

import io.loopbridge.reactor.ReactorBridge;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code ReactorBridge.toMono(awaitable)}: {@link ReactiveFromAwaitableTckTest}'s shared future
 * behind Reactor's {@code Mono}. A 0..1 publisher.
 */
public class ReactorBridgeToMonoTckTest extends PublisherVerification<Long> implements TckAudited {
    public ReactorBridgeToMonoTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return ReactorBridge.toMono(ReactiveFromAwaitableTckTest.future(elements));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return ReactorBridge.toMono(ReactiveFromAwaitableTckTest.failedFuture());
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
