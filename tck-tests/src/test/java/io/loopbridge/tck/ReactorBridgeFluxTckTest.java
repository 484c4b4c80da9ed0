package io.loopbridge.tck;

import io.loopbridge.reactor.ReactorBridge;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code ReactorBridge.flux(loop, body)}: a {@code Flux} running an async generator body per
 * subscription, each yield an {@code onNext}, as {@link ReactivePublisherTckTest} but behind
 * Reactor's own operators. Unbounded, so every TCK test but the {@code untested_*} ones runs.
 */
public class ReactorBridgeFluxTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 31;
    static final Map<String, String> SKIPPED = TckSkips.PUBLISHER_UNTESTED;

    public ReactorBridgeFluxTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return ReactorBridge.flux(Tck.loop(), ReactivePublisherTckTest.body(elements));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return ReactorBridge.flux(Tck.loop(), ReactivePublisherTckTest.failingBody());
    }

    @Override
    public int expectedPassed() {
        return PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return SKIPPED;
    }
}
