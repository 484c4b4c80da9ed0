package io.loopbridge.tck;

import io.loopbridge.Async;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.reactive.Reactive;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code Reactive.publisher(loop, body)}: an async generator body per subscription, each yield an
 * {@code onNext}. Unbounded ({@code maxElementsFromPublisher} keeps the TCK's default), so every
 * TCK test but the {@code untested_*} ones runs.
 */
public class ReactivePublisherTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 31;
    static final Map<String, String> SKIPPED = TckSkips.PUBLISHER_UNTESTED;

    public ReactivePublisherTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    /**
     * Yields {@code 0, 1, ..., elements - 1} ({@code Long.MAX_VALUE}: until cancelled). Every fourth
     * item it also gives the loop a turn ({@code sleep(0)}), so a cancel finds the body parked
     * either at a yield (closed with {@code GeneratorExit}) or in another await (cancelled).
     */
    static AsyncGenerator.Body<Long, Void> body(long elements) {
        return y -> {
            for (long i = 0; i < elements; i++) {
                y.yield(i);
                if (i % 4 == 3) {
                    Async.sleep(Duration.ZERO);
                }
            }
        };
    }

    /** Fails before its first yield (§1.9: onSubscribe, then onError). */
    static AsyncGenerator.Body<Long, Void> failingBody() {
        return y -> {
            throw new IOException("the TCK's failed publisher");
        };
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return Reactive.publisher(Tck.loop(), body(elements));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return Reactive.publisher(Tck.loop(), failingBody());
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
