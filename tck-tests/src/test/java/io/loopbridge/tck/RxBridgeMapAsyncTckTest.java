package io.loopbridge.tck;

import io.loopbridge.Async;
import io.loopbridge.rxjava.RxBridge;
import io.loopbridge.task.CoroutineFunction;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code Flowable.range(0, n).compose(RxBridge.mapAsync(loop, 4, fn))}: a task per upstream item,
 * results in upstream order, as {@link ReactiveMapAsyncTckTest} but through RxJava's {@code
 * compose}. The upstream signals from RxJava's single thread, so every upstream signal hops onto
 * the loop; even items take an extra loop turn, so tasks finish out of order. Unbounded: every TCK
 * test but the {@code untested_*} runs (the TCK asks for at most {@code Integer.MAX_VALUE}
 * elements, which {@code Flowable.range} can count).
 */
public class RxBridgeMapAsyncTckTest extends PublisherVerification<Integer> implements TckAudited {
    static final int PASSED = 31;
    static final Map<String, String> SKIPPED = TckSkips.PUBLISHER_UNTESTED;

    public RxBridgeMapAsyncTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    /** {@code 0, 1, ..., elements - 1}, emitted on RxJava's single thread. */
    static Flowable<Integer> upstream(long elements) {
        return Flowable.range(0, Math.toIntExact(elements)).subscribeOn(Schedulers.single());
    }

    /** The identity, after one more loop turn for even items. */
    static CoroutineFunction<Integer, Integer> fn() {
        return x -> {
            if (x % 2 == 0) {
                Async.sleep(Duration.ZERO);
            }
            return x;
        };
    }

    /** A coroutine that fails on the first item. */
    static CoroutineFunction<Integer, Integer> failingFn() {
        return x -> {
            throw new IOException("the TCK's failed mapAsync coroutine");
        };
    }

    static Flowable<Integer> mapped(long elements) {
        return upstream(elements).compose(RxBridge.mapAsync(Tck.loop(), ReactiveMapAsyncTckTest.CONCURRENCY, fn()));
    }

    static Flowable<Integer> failing() {
        return upstream(1).compose(RxBridge.mapAsync(Tck.loop(), ReactiveMapAsyncTckTest.CONCURRENCY, failingFn()));
    }

    @Override
    public Publisher<Integer> createPublisher(long elements) {
        return mapped(elements);
    }

    @Override
    public Publisher<Integer> createFailedPublisher() {
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
