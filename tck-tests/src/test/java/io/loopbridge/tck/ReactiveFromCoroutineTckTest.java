package io.loopbridge.tck;

import io.loopbridge.Async;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.task.Coroutine;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code Reactive.fromCoroutine(loop, coroutine)}: a new task per subscription, its result the
 * only item ({@code null}: empty). A 0..1 publisher, so the TCK skips every test that needs more
 * than one element.
 */
public class ReactiveFromCoroutineTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 12;
    static final Map<String, String> SKIPPED =
            TckSkips.union(TckSkips.PUBLISHER_UNTESTED, TckSkips.AT_MOST_ONE_ELEMENT);

    public ReactiveFromCoroutineTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    /** Suspends once, then returns {@code 1} ({@code null} for an empty stream). */
    static Coroutine<Long> coroutine(long elements) {
        return () -> {
            Async.sleep(Duration.ZERO);
            return elements == 0 ? null : 1L;
        };
    }

    /** Fails after suspending once. */
    static Coroutine<Long> failing() {
        return () -> {
            Async.sleep(Duration.ZERO);
            throw new IOException("the TCK's failed coroutine");
        };
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return Reactive.fromCoroutine(Tck.loop(), coroutine(elements));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return Reactive.fromCoroutine(Tck.loop(), failing());
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
