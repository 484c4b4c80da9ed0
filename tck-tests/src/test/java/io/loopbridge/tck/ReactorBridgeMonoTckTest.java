package io.loopbridge.tck;

import io.loopbridge.reactor.ReactorBridge;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code ReactorBridge.mono(loop, coroutine)}: a {@code Mono} running a new task per subscription,
 * its result the only item ({@code null}: empty), as {@link ReactiveFromCoroutineTckTest} but
 * behind Reactor's own operators. A 0..1 publisher, so the TCK skips every test that needs more
 * than one element.
 */
public class ReactorBridgeMonoTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 12;
    static final Map<String, String> SKIPPED =
            TckSkips.union(TckSkips.PUBLISHER_UNTESTED, TckSkips.AT_MOST_ONE_ELEMENT);

    public ReactorBridgeMonoTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return ReactorBridge.mono(Tck.loop(), ReactiveFromCoroutineTckTest.coroutine(elements));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return ReactorBridge.mono(Tck.loop(), ReactiveFromCoroutineTckTest.failing());
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
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
