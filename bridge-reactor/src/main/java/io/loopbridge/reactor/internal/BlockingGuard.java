package io.loopbridge.reactor.internal;

import io.loopbridge.loop.EventLoop;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Tells Reactor which threads must not block: a loop's thread in debug mode, and a loop's thread
 * while a {@code mono}/{@code flux} of that loop subscribed from it is still running — the task it
 * waits for needs that very thread, so a {@code block()} there would wait forever. Reactor's
 * {@code block()} then fails at once with its own {@code IllegalStateException}.
 */
public final class BlockingGuard {
    /**
     * Per loop: bridged subscriptions made on its thread and not over yet. Weak keys: a subscription
     * that never ends (its loop closed under it) must not keep the loop.
     */
    private static final Map<EventLoop, Integer> PENDING = Collections.synchronizedMap(new WeakHashMap<>());

    private BlockingGuard() {}

    /** Registers the predicate with Reactor, once. */
    public static void install() {
        Schedulers.registerNonBlockingThreadPredicate(t -> {
            EventLoop loop = t == Thread.currentThread() ? EventLoop.running() : null;
            return loop != null && loop.inLoop() && (loop.isDebug() || PENDING.containsKey(loop));
        });
    }

    /** {@code mono}, counted as pending on {@code loop} until it ends if it is subscribed on the loop's thread. */
    public static <T> Mono<T> tracked(EventLoop loop, Mono<T> mono) {
        if (!loop.inLoop()) {
            return mono;
        }
        AtomicBoolean over = track(loop);
        return mono.doFinally(signal -> untrack(loop, over));
    }

    /** {@link #tracked(EventLoop, Mono)} for a {@code Flux}. */
    public static <T> Flux<T> tracked(EventLoop loop, Flux<T> flux) {
        if (!loop.inLoop()) {
            return flux;
        }
        AtomicBoolean over = track(loop);
        return flux.doFinally(signal -> untrack(loop, over));
    }

    private static AtomicBoolean track(EventLoop loop) {
        PENDING.merge(loop, 1, Integer::sum);
        return new AtomicBoolean();
    }

    private static void untrack(EventLoop loop, AtomicBoolean over) {
        if (over.compareAndSet(false, true)) {
            PENDING.computeIfPresent(loop, (l, n) -> n == 1 ? null : n - 1);
        }
    }
}
