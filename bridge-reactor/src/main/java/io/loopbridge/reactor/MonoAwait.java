package io.loopbridge.reactor;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactor.internal.ContextBridge;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Awaits a {@link Mono} inside a coroutine. A value that arrives while subscribing (a ready Mono)
 * is returned without suspending; one that arrives later on another thread hops onto the loop.
 * The coroutine's bound context vars form the subscriber {@link Context}.
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>{@code state} leaves {@code WAITING} once: to {@code DONE} by the first terminal signal
 *       (after {@code value}/{@code error} are written), or to {@code ABANDONED} when the coroutine
 *       stops waiting (it was cancelled), which cancels the subscription.
 *   <li>A signal that finds the state already left is Reactor's to handle: an error goes to
 *       {@code onErrorDropped} (except a {@code CancellationException} after our cancel: its echo),
 *       an item to {@code onNextDropped} after the end and to the discard hook after a cancel. So do
 *       a second item and an error after the value (which is returned).
 *   <li>A terminal signal writes the state then reads {@code waiter}; {@code result} writes {@code
 *       waiter} then reads the state: one of them sees the other, so the coroutine is never left
 *       waiting.
 *   <li>Signals that come on the awaiting thread while it is inside {@code subscribe} (a ready
 *       {@code Mono}) race with nothing: no waiter exists yet, the coroutine cannot be abandoned
 *       before {@code subscribe} returns, and §1.3 keeps other signals out. They use plain writes,
 *       no fence and no CAS. {@code subscribing} is that thread while inside {@code subscribe}; a
 *       racy read of it on any other thread cannot equal that thread's own.
 * </ol>
 */
final class MonoAwait<T> implements CoreSubscriber<T> {
    private static final int WAITING = 0;
    private static final int DONE = 1;
    private static final int ABANDONED = 2;

    private final EventLoop loop;
    private final Context context;
    private volatile Subscription upstream;
    private volatile int state;
    private static final VarHandle STATE;
    private T value;
    private Throwable error;
    /** Created only if the coroutine has to wait. */
    private volatile LoopFuture<Void> waiter;
    /** The awaiting thread while it is inside {@code subscribe}, else {@code null}. */
    private Thread subscribing;

    private static final VarHandle UPSTREAM;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(MonoAwait.class, "state", int.class);
            UPSTREAM = lookup.findVarHandle(MonoAwait.class, "upstream", Subscription.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private MonoAwait(EventLoop loop, Context context) {
        this.loop = loop;
        this.context = context;
    }

    @SuppressWarnings("unchecked")
    static <T> T await(Mono<T> mono) {
        Objects.requireNonNull(mono, "mono");
        if (mono instanceof Fuseable.ScalarCallable) {
            // Mono.just/empty/error hold their outcome: read it as Reactor's own block() does
            try {
                return ((Fuseable.ScalarCallable<T>) mono).call();
            } catch (Exception e) {
                throw LoopFuture.rethrowable(e);
            }
        }
        EventLoop loop = Async.loop();
        MonoAwait<T> s = new MonoAwait<>(loop, ContextBridge.current());
        s.subscribing = Thread.currentThread();
        try {
            mono.subscribe(s);
        } finally {
            s.subscribing = null;
        }
        return s.result();
    }

    private boolean inline() {
        return subscribing == Thread.currentThread();
    }

    private T result() {
        if (state == WAITING) {
            LoopFuture<Void> w = loop.createFuture();
            waiter = w;
            if (state == WAITING) {
                try {
                    Async.await(w);
                } catch (RuntimeException | Error e) {
                    abandon();
                    throw e;
                }
            }
        }
        if (error != null) {
            throw LoopFuture.rethrowable(error);
        }
        return value;
    }

    /** The coroutine stops waiting: cancel the subscription; an outcome that raced in is dropped. */
    private void abandon() {
        if (STATE.compareAndSet(this, WAITING, ABANDONED)) {
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
        } else if (error != null) {
            afterLeaving(error);
        }
    }

    /**
     * An error nobody awaits any more goes to {@code onErrorDropped}, but a cancellation does not: it
     * is the echo of our cancel (Reactor's {@code Mono.fromFuture} ignores it the same way).
     */
    private void afterLeaving(Throwable t) {
        if (!(t instanceof CancellationException)) {
            Operators.onErrorDropped(t, context);
        }
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (!Operators.validate(upstream, s)) {
            return;
        }
        if (inline()) {
            UPSTREAM.set(this, s); // plain: only this thread reads it (see the invariants)
            s.request(Long.MAX_VALUE);
            return;
        }
        upstream = s;
        if (state == ABANDONED) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(T t) {
        int s = state;
        if (s == DONE) {
            Operators.onNextDropped(t, context); // after the end: the source broke the rules (§1.7)
        } else if (s == ABANDONED) {
            Operators.onDiscard(t, context);
        } else if (value == null) {
            value = t;
        } else {
            Operators.onNextDropped(t, context); // a second item: the source broke the Mono contract
        }
    }

    @Override
    public void onError(Throwable t) {
        int s = state;
        if (s == ABANDONED) {
            afterLeaving(t);
            return;
        }
        if (s == DONE) {
            Operators.onErrorDropped(t, context); // after the end: we cancelled nothing, so a cancellation too
            return;
        }
        if (value != null) {
            // a Mono ends with its value (Reactor's block() and toFuture() return it too): the error is dropped
            Operators.onErrorDropped(t, context);
            onComplete();
            return;
        }
        error = t;
        if (inline()) {
            STATE.set(this, DONE);
        } else if (STATE.compareAndSet(this, WAITING, DONE)) {
            wake();
        } else {
            afterLeaving(t); // abandoned meanwhile
        }
    }

    @Override
    public void onComplete() {
        if (inline()) {
            if (state == WAITING) {
                STATE.set(this, DONE);
            }
        } else if (STATE.compareAndSet(this, WAITING, DONE)) {
            wake();
        }
    }

    private void wake() {
        LoopFuture<Void> w = waiter;
        if (w != null) {
            if (loop.inLoop()) {
                complete(w);
            } else {
                try {
                    loop.callSoonThreadsafe(() -> complete(w));
                } catch (IllegalStateException closedLoop) {
                    // the awaiting coroutine is gone with its loop
                }
            }
        }
    }

    private static void complete(LoopFuture<Void> w) {
        if (!w.isDone()) {
            w.setResult(null);
        }
    }
}
