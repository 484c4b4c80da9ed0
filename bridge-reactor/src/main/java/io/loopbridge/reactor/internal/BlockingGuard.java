package io.loopbridge.reactor.internal;

import io.loopbridge.internal.LoopAccess;
import io.loopbridge.loop.EventLoop;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Schedulers;

/**
 * Tells Reactor which threads must not block: a loop's thread in debug mode, and a loop's thread
 * while a {@code mono}/{@code flux} of that loop subscribed from it is still running — the task it
 * waits for needs that very thread, so a {@code block()} there would wait forever. Reactor's
 * {@code block()} then fails at once with its own {@code IllegalStateException}.
 *
 * <p>The count is the loop's own ({@link LoopAccess#pendingOnOwnThread}): a check reads one counter
 * reached from the running loop and a subscription adds to and takes from that loop's counter only,
 * so neither contends with other loops or threads; and nothing holds the loop (a subscription that
 * never ends because its loop closed keeps only the counter).
 */
public final class BlockingGuard {
    private static final LoopAccess LOOPS = LoopAccess.get();

    private BlockingGuard() {}

    /** Registers the predicate with Reactor, once. */
    public static void install() {
        Schedulers.registerNonBlockingThreadPredicate(t -> {
            EventLoop loop = t == Thread.currentThread() ? EventLoop.running() : null;
            return loop != null
                    && loop.inLoop()
                    && (loop.isDebug() || LOOPS.pendingOnOwnThread(loop).get() > 0);
        });
    }

    /** {@code mono}, counted as pending on {@code loop} until it ends if it is subscribed on the loop's thread. */
    public static <T> Mono<T> tracked(EventLoop loop, Mono<T> mono) {
        return loop.inLoop() ? mono.doFinally(track(loop)) : mono;
    }

    /** {@link #tracked(EventLoop, Mono)} for a {@code Flux}. */
    public static <T> Flux<T> tracked(EventLoop loop, Flux<T> flux) {
        return loop.inLoop() ? flux.doFinally(track(loop)) : flux;
    }

    /** Counts one subscription; the returned callback, which Reactor's {@code doFinally} runs once, uncounts it. */
    private static Consumer<SignalType> track(EventLoop loop) {
        AtomicInteger pending = LOOPS.pendingOnOwnThread(loop);
        pending.incrementAndGet();
        return signal -> pending.decrementAndGet();
    }
}
