package io.loopbridge.tck;

import io.loopbridge.reactor.ReactorBridge;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code flux.transform(ReactorBridge.mapAsync(loop, 4, fn))}: a task per upstream item, results
 * in upstream order, as {@link ReactiveMapAsyncTckTest} but on a Reactor upstream. The upstream
 * signals from Reactor's single thread, so every upstream signal hops onto the loop; even items
 * take an extra loop turn, so tasks finish out of order. Unbounded: every TCK test but the {@code
 * untested_*} runs.
 */
public class ReactorBridgeMapAsyncTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 31;
    static final Map<String, String> SKIPPED = TckSkips.PUBLISHER_UNTESTED;

    public ReactorBridgeMapAsyncTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    /** {@code 0, 1, ..., elements - 1}, emitted on Reactor's single thread. */
    static Flux<Long> upstream(long elements) {
        return Flux.<Long, Long>generate(() -> 0L, (next, sink) -> {
                    if (next < elements) {
                        sink.next(next);
                    } else {
                        sink.complete();
                    }
                    return next + 1;
                })
                .subscribeOn(Schedulers.single());
    }

    static Flux<Long> mapped(long elements) {
        return upstream(elements)
                .transform(ReactorBridge.mapAsync(
                        Tck.loop(), ReactiveMapAsyncTckTest.CONCURRENCY, ReactiveMapAsyncTckTest.fn()));
    }

    static Flux<Long> failing() {
        return upstream(1)
                .transform(ReactorBridge.mapAsync(
                        Tck.loop(), ReactiveMapAsyncTckTest.CONCURRENCY, ReactiveMapAsyncTckTest.failingFn()));
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return mapped(elements);
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return failing();
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
