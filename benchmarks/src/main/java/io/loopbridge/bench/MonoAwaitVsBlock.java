package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import reactor.core.publisher.Mono;

/**
 * {@code mono_await_vs_block}: a coroutine calls {@code ReactorBridge.await(Mono.just(x))} {@value
 * #AWAITS} times (a ready {@code Mono}: the value arrives while subscribing, so the coroutine never
 * suspends) against {@code Mono.just(x).block()} as often on the bench thread. The same {@code Mono}
 * instance on both sides; ns per await.
 *
 * <p>Reactor's {@code MonoJust} overrides {@code block()} to return its value without subscribing,
 * so that peer is a field read. {@code mono_await_vs_block_hide} therefore also compares on {@code
 * Mono.just(x).hide()}: equally ready, but {@code block()} has to subscribe (its {@code
 * BlockingMonoSubscriber} gets the value during {@code subscribe} and never parks), as it does for
 * any {@code Mono} that is not a plain constant.
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
        super(hide ? "mono_await_vs_block_hide" : "mono_await_vs_block", hide ? "mono_hide_block" : "mono_block",
                "await", CoroutineEngine.CONTINUATION, AWAITS, (long) AWAITS * VALUE);
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
