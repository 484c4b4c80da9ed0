package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.reactivex.rxjava3.core.Single;

/**
 * {@code single_await_vs_blockingGet}: a coroutine calls {@code RxBridge.await(Single.just(x))}
 * {@value #AWAITS} times (a ready {@code Single}: the value arrives while subscribing, so the
 * coroutine never suspends) against {@code Single.just(x).blockingGet()} as often on the bench
 * thread. The same {@code Single} instance on both sides; ns per await.
 *
 * <p>Unlike Reactor's {@code Mono.just(x).block()}, RxJava's {@code blockingGet()} has no shortcut
 * for a constant: it subscribes a {@code BlockingMultiObserver} (a {@code CountDownLatch}), which
 * gets the value during {@code subscribe} and never parks. The {@code RATIO} is the continuation
 * engine's; {@code ABS ….loopbridge_<engine>} lines give every engine's figure.
 */
final class SingleAwaitVsBlockingGet extends AcrossEnginesVsPeer {
    static final int AWAITS = 10_000;
    static final int VALUE = 7;
    private final Single<Integer> ready = Single.just(VALUE);

    SingleAwaitVsBlockingGet() {
        super(
                "single_await_vs_blockingGet",
                "single_blockingGet",
                "await",
                CoroutineEngine.CONTINUATION,
                AWAITS,
                (long) AWAITS * VALUE);
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        return () -> RxWorkloads.singleAwait(ready, AWAITS);
    }

    @Override
    long peerBatch() {
        return RxWorkloads.singleBlockingGet(ready, AWAITS);
    }
}
