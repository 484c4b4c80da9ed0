package io.loopbridge.rxjava;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.MissingBackpressureException;
import io.reactivex.rxjava3.operators.SpscArrayQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * An {@link Observer} that a coroutine reads like an iterator, as {@code RxBridge.iterate(observable,
 * bufferSize)} returns it: {@code hasNext()} suspends until the next item or the end arrives. The
 * {@code Observable} counterpart of {@link io.loopbridge.reactive.LoopSubscriber}.
 *
 * <pre>{@code
 * try (LoopObserver<Tick> ticks = RxBridge.iterate(clicks, 128)) {
 *     for (Tick t : ticks) {
 *         handle(t);              // on the loop; break or an exception disposes the upstream
 *     }
 * }
 * }</pre>
 *
 * <p>Backpressure: an {@code Observable} cannot be slowed down, so the items it emits ahead of the
 * coroutine wait in a buffer of {@code bufferSize}. An item that finds the buffer full is not
 * dropped silently: the upstream is disposed, and once the buffered items have been read, {@code
 * hasNext()} throws {@link MissingBackpressureException} naming the buffer size. Signals may come
 * from any thread; an upstream error is rethrown by {@code hasNext()} after the buffered items.
 * Cancelling the coroutine while it waits disposes the upstream. Consumer methods are loop thread
 * only.
 *
 * @param <T> the type of the items
 */
public final class LoopObserver<T> implements Observer<T>, Iterator<T>, Iterable<T>, AutoCloseable {
    /** Our own sentinel: RxJava's shared {@code Disposable.disposed()} may be a source's real upstream. */
    private static final Disposable DISPOSED = Disposable.empty();

    private static final VarHandle UPSTREAM;
    private static final VarHandle WAITER;
    private static final VarHandle CONSUMED;

    static {
        DISPOSED.dispose();
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UPSTREAM = l.findVarHandle(LoopObserver.class, "upstream", Disposable.class);
            WAITER = l.findVarHandle(LoopObserver.class, "waiter", LoopFuture.class);
            CONSUMED = l.findVarHandle(LoopObserver.class, "consumed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final int bufferSize;
    /** Rounded up to a power of two: {@code produced - consumed} keeps the exact bound. */
    private final SpscArrayQueue<T> queue;

    private volatile Disposable upstream;
    private volatile boolean done;
    private Throwable error;
    private volatile LoopFuture<Void> waiter;
    /** Items taken out of the buffer; written by the consumer, read by the producer. */
    private volatile long consumed;

    // producer side
    private long produced;

    // consumer side, loop thread only
    private boolean hasPeeked;
    private T peeked;
    private boolean closed;

    LoopObserver(EventLoop loop, int bufferSize) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, got " + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.queue = new SpscArrayQueue<>(bufferSize);
    }

    // ---------------------------------------------------------------- producer side, any thread

    @Override
    public void onSubscribe(Disposable d) {
        Objects.requireNonNull(d, "onSubscribe(null)");
        if (!UPSTREAM.compareAndSet(this, null, d)) {
            d.dispose(); // closed before the subscription arrived, or subscribed twice
        }
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "onNext(null): an Observable may not emit null");
        if (done || upstream == DISPOSED) {
            return;
        }
        if (produced - consumed == bufferSize) {
            error = new MissingBackpressureException("the Observable emitted more than bufferSize=" + bufferSize
                    + " items ahead of the coroutine reading them; the upstream is disposed");
            done = true;
            disposeUpstream();
        } else {
            queue.offer(item);
            produced++;
        }
        wake();
    }

    @Override
    public void onError(Throwable t) {
        Objects.requireNonNull(t, "onError(null)");
        if (done || upstream == DISPOSED) {
            Undeliverable.report(loop, "the Observable failed after " + this + " had stopped reading it", t, this);
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
            if (loop.inLoop()) {
                complete(w);
            } else {
                try {
                    loop.callSoonThreadsafe(() -> complete(w));
                } catch (IllegalStateException closedLoop) {
                    // nobody is left to consume
                }
            }
        }
    }

    private static void complete(LoopFuture<Void> w) {
        if (!w.isDone()) {
            w.setResult(null);
        }
    }

    // ---------------------------------------------------------------- consumer side, loop thread

    /**
     * Whether another item is available; suspends the calling coroutine until one arrives or the
     * stream ends.
     *
     * @throws MissingBackpressureException if the buffer overflowed (after the buffered items)
     * @throws RuntimeException the upstream's error (checked ones wrapped in {@code
     *     CompletionException})
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while
     *     waiting (the upstream is then disposed too)
     */
    @Override
    public boolean hasNext() {
        if (hasPeeked) {
            return true;
        }
        while (true) {
            if (closed) {
                return false;
            }
            boolean terminated = done;
            T v = queue.poll();
            if (v != null) {
                CONSUMED.setRelease(this, consumed + 1);
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
            throw new NoSuchElementException("the Observable has completed");
        }
        hasPeeked = false;
        T v = peeked;
        peeked = null;
        return v;
    }

    /** This observer, for a for-each loop (it can be iterated once). */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /** Disposes the upstream and drops buffered items. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        hasPeeked = false;
        peeked = null;
        disposeUpstream();
        queue.clear();
    }

    /**
     * Whether the stream has ended (completed, failed, overflowed) or was closed. Loop thread only.
     *
     * @return {@code true} once this observer was closed, or the upstream ended and every buffered
     *     item has been read; {@code false} while items may still come or wait unread
     */
    public boolean isDone() {
        return closed || (done && queue.isEmpty() && !hasPeeked);
    }

    private void disposeUpstream() {
        Disposable d = (Disposable) UPSTREAM.getAndSet(this, DISPOSED);
        if (d != null && d != DISPOSED) {
            d.dispose();
        }
    }

    @Override
    public String toString() {
        return "LoopObserver[bufferSize=" + bufferSize + (closed ? " closed" : done ? " done" : "") + "]";
    }
}
