package io.loopbridge.rxjava;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.internal.ItemChannel;
import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.MissingBackpressureException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;

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
 * only. An error after the end or after {@link #close()} is undeliverable ({@code RxBridge}'s
 * policy), except a {@code CancellationException} after our own dispose: that is its echo.
 *
 * @param <T> the type of the items
 */
public final class LoopObserver<T> implements Observer<T>, Iterator<T>, Iterable<T>, AutoCloseable {
    /** Our own sentinel: RxJava's shared {@code Disposable.disposed()} may be a source's real upstream. */
    private static final Disposable DISPOSED = Disposable.empty();

    private static final VarHandle UPSTREAM;
    private static final VarHandle CONSUMED;

    static {
        DISPOSED.dispose();
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UPSTREAM = l.findVarHandle(LoopObserver.class, "upstream", Disposable.class);
            CONSUMED = l.findVarHandle(LoopObserver.class, "consumed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final int bufferSize;
    /** Its buffer is rounded up to a power of two: {@code produced - consumed} keeps the exact bound. */
    private final ItemChannel<T> channel;

    private volatile Disposable upstream;
    /** Items taken out of the buffer; written by the consumer, read by the producer. */
    private volatile long consumed;

    // producer side
    private long produced;

    LoopObserver(EventLoop loop, int bufferSize) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, got " + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.channel = new ItemChannel<>(loop, bufferSize, this::disposeUpstream);
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
        if (channel.isTerminated() || upstream == DISPOSED) {
            return;
        }
        if (produced - consumed == bufferSize) {
            disposeUpstream();
            channel.fail(new MissingBackpressureException("the Observable emitted more than bufferSize=" + bufferSize
                    + " items ahead of the coroutine reading them; the upstream is disposed"));
        } else {
            produced++;
            channel.offer(item);
        }
    }

    @Override
    public void onError(Throwable t) {
        Objects.requireNonNull(t, "onError(null)");
        if (t instanceof CancellationException && upstream == DISPOSED) {
            return; // the echo of our own dispose: not an error
        }
        if (channel.isTerminated() || upstream == DISPOSED) {
            Undeliverable.report(loop, "the Observable failed after " + this + " had stopped reading it", t, this);
            return;
        }
        channel.fail(t);
    }

    @Override
    public void onComplete() {
        channel.complete();
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
        if (channel.hasPeeked()) {
            return true;
        }
        if (!channel.hasNext()) {
            return false;
        }
        CONSUMED.setRelease(this, consumed + 1);
        return true;
    }

    /** The next item; suspends like {@link #hasNext()}. */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the Observable has completed");
        }
        return channel.take();
    }

    /** This observer, for a for-each loop (it can be iterated once). */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /** Disposes the upstream and drops buffered items. Idempotent. */
    @Override
    public void close() {
        channel.close();
    }

    /**
     * Whether the stream has ended (completed, failed, overflowed) or was closed. Loop thread only.
     *
     * @return {@code true} once this observer was closed, or the upstream ended and every buffered
     *     item has been read; {@code false} while items may still come or wait unread
     */
    public boolean isDone() {
        return channel.isDone();
    }

    private void disposeUpstream() {
        Disposable d = (Disposable) UPSTREAM.getAndSet(this, DISPOSED);
        if (d != null && d != DISPOSED) {
            d.dispose();
        }
    }

    @Override
    public String toString() {
        return "LoopObserver[bufferSize=" + bufferSize
                + (channel.isClosed() ? " closed" : channel.isTerminated() ? " done" : "") + "]";
    }
}
