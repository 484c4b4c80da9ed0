package io.loopbridge.tck;

import io.loopbridge.Async;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.task.CoroutineFunction;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code Reactive.mapAsync(upstream, loop, 4, fn)}: a task per upstream item, results in upstream
 * order. The upstream (an RxJava range) signals from its own thread, so every upstream signal hops
 * onto the loop; the coroutine takes an extra loop turn for even items, so tasks finish out of
 * order and the ordering is exercised. Unbounded: every TCK test but the {@code untested_*} runs.
 */
public class ReactiveMapAsyncTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 31;
    static final Map<String, String> SKIPPED = TckSkips.PUBLISHER_UNTESTED;
    static final int CONCURRENCY = 4;

    public ReactiveMapAsyncTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    /** {@code 0, 1, ..., elements - 1}, emitted on an RxJava thread. */
    static Flowable<Long> upstream(long elements) {
        return Flowable.rangeLong(0, elements).subscribeOn(Schedulers.single());
    }

    /** The identity, after one more loop turn for even items. */
    static CoroutineFunction<Long, Long> fn() {
        return x -> {
            if (x % 2 == 0) {
                Async.sleep(Duration.ZERO);
            }
            return x;
        };
    }

    /** A coroutine that fails on the first item. */
    static CoroutineFunction<Long, Long> failingFn() {
        return x -> {
            throw new IOException("the TCK's failed mapAsync coroutine");
        };
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return Reactive.mapAsync(upstream(elements), Tck.loop(), CONCURRENCY, fn());
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return Reactive.mapAsync(upstream(1), Tck.loop(), CONCURRENCY, failingFn());
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
