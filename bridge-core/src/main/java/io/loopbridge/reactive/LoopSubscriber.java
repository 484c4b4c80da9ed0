package io.loopbridge.reactive;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.internal.SpscArrayQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A {@link Subscriber} that a coroutine reads like an iterator: {@code hasNext()} suspends until
 * the next item or the end arrives. This is what {@code Reactive.iterate} and the {@code
 * Reactive.await*} functions use; it can also be subscribed directly.
 *
 * <pre>{@code
 * try (LoopSubscriber<String> items = Reactive.iterate(flux, 64)) {
 *     for (String item : items) {
 *         handle(item);            // on the loop; break or an exception cancels the upstream
 *     }
 * }
 * }</pre>
 *
 * <p>Backpressure: it requests {@code prefetch} items, and {@code prefetch - prefetch/4} more each
 * time that many have been consumed, so at most {@code prefetch} items are ever buffered. Signals
 * may arrive on any thread; every request and cancel is issued from the loop (§2.7). An upstream
 * error is rethrown by {@code hasNext()} where the coroutine iterates. Cancelling the coroutine
 * while it waits cancels the subscription. Consumer methods are loop thread only.
 *
 * @param <T> the type of the items
 */
public class LoopSubscriber<T> implements Subscriber<T>, Iterator<T>, Iterable<T>, AutoCloseable {
    private static final Subscription CANCELLED = new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    };

    private final EventLoop loop;
    private final int prefetch;
    private final int limit;
    private final SpscArrayQueue<T> queue;

    private volatile Subscription upstream;
    private volatile boolean done;
    private Throwable error;
    private volatile LoopFuture<Void> waiter;

    // consumer side, loop thread only
    private int consumed;
    private boolean hasPeeked;
    private T peeked;
    private boolean closed;

    private static final VarHandle UPSTREAM;
    private static final VarHandle WAITER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UPSTREAM = l.findVarHandle(LoopSubscriber.class, "upstream", Subscription.class);
            WAITER = l.findVarHandle(LoopSubscriber.class, "waiter", LoopFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A subscriber whose consumer runs on {@code loop} and that buffers at most {@code prefetch}
     * items.
     *
     * @param loop the loop the consuming coroutine runs on; must not be null
     * @param prefetch how many items to request ahead and buffer; at least 1
     */
    public LoopSubscriber(EventLoop loop, int prefetch) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        this.prefetch = prefetch;
        this.limit = prefetch == 1 ? 1 : prefetch - (prefetch >> 2);
        this.queue = new SpscArrayQueue<>(prefetch);
    }

    // ---------------------------------------------------------------- producer side, any thread

    @Override
    public void onSubscribe(Subscription s) {
        Objects.requireNonNull(s, "§2.13 violated: onSubscribe(null)");
        if (!UPSTREAM.compareAndSet(this, null, s)) {
            s.cancel(); // §2.5: already subscribed, or cancelled before subscription
            return;
        }
        onLoop(() -> {
            if (upstream == s && !done) { // §2.4: no request after a terminal signal
                s.request(prefetch);
            }
        });
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "§2.13 violated: onNext(null)");
        if (done) {
            return;
        }
        if (!queue.offer(item)) {
            error = new IllegalStateException("the publisher emitted more items than requested (§1.1); prefetch was "
                    + prefetch);
            done = true;
            onLoop(this::cancelUpstream);
        }
        wake();
    }

    @Override
    public void onError(Throwable t) {
        Objects.requireNonNull(t, "§2.13 violated: onError(null)");
        if (done) {
            return;
        }
        error = t;
        done = true;
        wake();
    }

    @Override
    public void onComplete() {
        done = true;
        wake();
    }

    private void wake() {
        LoopFuture<Void> w = waiter;
        if (w != null && WAITER.compareAndSet(this, w, null)) {
            onLoop(() -> {
                if (!w.isDone()) {
                    w.setResult(null);
                }
            });
        }
    }

    private void onLoop(Runnable r) {
        if (loop.inLoop()) {
            r.run();
        } else {
            try {
                loop.callSoonThreadsafe(r);
            } catch (IllegalStateException closedLoop) {
                // nobody is left to consume
            }
        }
    }

    // ---------------------------------------------------------------- consumer side, loop thread

    /**
     * Whether another item is available; suspends the calling coroutine until one arrives or the
     * stream ends.
     *
     * @throws RuntimeException the upstream's error (checked ones wrapped in {@code
     *     CompletionException})
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while waiting (the upstream is
     *     then cancelled too)
     */
    @Override
    public boolean hasNext() {
        if (hasPeeked) {
            return true;
        }
        // replenish for what was taken, not for what is only peeked: awaitFirst never asks for a second item
        if (consumed >= limit) {
            consumed = 0;
            Subscription s = upstream;
            if (s != null && s != CANCELLED && !done && !closed) {
                s.request(limit);
            }
        }
        while (true) {
            if (closed) {
                return false;
            }
            boolean terminated = done;
            T v = queue.poll();
            if (v != null) {
                hasPeeked = true;
                peeked = v;
                return true;
            }
            if (terminated) {
                Throwable e = error;
                if (e != null) {
                    throw LoopFuture.rethrowable(e);
                }
                return false;
            }
            LoopFuture<Void> w = loop.createFuture();
            waiter = w;
            if ((done || !queue.isEmpty()) && WAITER.compareAndSet(this, w, null)) {
                continue;
            }
            try {
                Async.await(w);
            } catch (RuntimeException | Error e) {
                WAITER.compareAndSet(this, w, null);
                close();
                throw e;
            }
        }
    }

    /** The next item; suspends like {@link #hasNext()}. */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the publisher has completed");
        }
        hasPeeked = false;
        consumed++;
        T v = peeked;
        peeked = null;
        return v;
    }

    /** This subscriber, for a for-each loop (it can be iterated once). */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /** Cancels the upstream and drops buffered items. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        hasPeeked = false;
        peeked = null;
        cancelUpstream();
        queue.clear();
    }

    /**
     * Whether the stream has ended (completed, failed) or was closed.
     *
     * @return true once the subscriber was closed, or the upstream terminated and every buffered
     *     item has been read
     */
    public boolean isDone() {
        return closed || (done && queue.isEmpty() && !hasPeeked);
    }

    private void cancelUpstream() {
        Subscription s = (Subscription) UPSTREAM.getAndSet(this, CANCELLED);
        if (s != null && s != CANCELLED) {
            s.cancel();
        }
    }

    @Override
    public String toString() {
        return "LoopSubscriber[prefetch=" + prefetch + (closed ? " closed" : done ? " done" : "") + "]";
    }
}
