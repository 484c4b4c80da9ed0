package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import reactor.core.publisher.Mono;

/**
 * {@code mono_await_vs_block}: a coroutine calls {@code ReactorBridge.await(mono)} {@value #AWAITS}
 * times on a ready {@code Mono} (the value arrives while subscribing, so the coroutine never
 * suspends) against {@code mono.block()} as often on the bench thread. The same {@code Mono}
 * instance on both sides; ns per await.
 *
 * <p>The {@code Mono} is {@code Mono.just(x).hide()}: ready, but not a constant either side may read
 * without subscribing, as any {@code Mono} an application gets from an operator chain or an API.
 * {@code block()} subscribes its {@code BlockingMonoSubscriber} (which gets the value during {@code
 * subscribe} and never parks), {@code await} its own subscriber. {@code mono_await_vs_block_just}
 * compares on the bare constant {@code Mono.just(x)}, for reference only: Reactor's {@code
 * MonoJust.block()} and our {@code await} both read its value without subscribing, and the JIT folds
 * both loops to a constant.
 *
 * <p>The {@code RATIO} is the continuation engine's; {@code ABS ….loopbridge_<engine>} lines give
 * every engine's figure. Loading bridge-reactor registers a non-blocking-thread predicate with
 * Reactor, which every subscribing {@code block()} in this JVM evaluates.
 */
final class MonoAwaitVsBlock extends AcrossEnginesVsPeer {
    static final int AWAITS = 10_000;
    static final int VALUE = 7;
    private final Mono<Integer> ready;

    MonoAwaitVsBlock(boolean hide) {
        super(
                hide ? "mono_await_vs_block" : "mono_await_vs_block_just",
                hide ? "mono_hide_block" : "mono_just_block",
                "await",
                CoroutineEngine.CONTINUATION,
                AWAITS,
                (long) AWAITS * VALUE);
        this.ready = hide ? Mono.just(VALUE).hide() : Mono.just(VALUE);
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        return () -> ReactiveWorkloads.monoAwait(ready, AWAITS);
    }

    @Override
    long peerBatch() {
        return ReactiveWorkloads.monoBlock(ready, AWAITS);
    }
}
