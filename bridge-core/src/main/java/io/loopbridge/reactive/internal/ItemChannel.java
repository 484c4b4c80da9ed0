package io.loopbridge.reactive.internal;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The waiting half of {@code LoopSubscriber} and of bridge-rxjava's {@code LoopObserver}: a bounded
 * buffer that a producer on any thread fills and that one coroutine on the loop reads like an
 * iterator, suspending while it is empty; or, once {@linkplain #fuse fused}, a synchronous source
 * the coroutine polls directly (no buffer, no wake-ups). The owner keeps the flow control (demand,
 * overflow) and says how to cancel its upstream. Not API.
 *
 * @param <T> the type of the items
 */
public final class ItemChannel<T> {
    /** A source the consumer pulls on the loop instead of being pushed items (Reactor's SYNC fusion). */
    public interface SyncSource<T> {
        /** The next item, or {@code null} once the source has completed; throws the source's error. */
        T poll() throws Throwable;

        /**
         * Whether {@link #isEmpty()} tells exactly, without producing an item, whether {@link
         * #poll()} has one: then {@code hasNext()} asks it and the item goes from {@code poll()}
         * straight to the caller, where the JIT can keep a boxed item off the heap.
         */
        default boolean exact() {
            return false;
        }

        /** With {@link #exact()}: whether the source has ended. */
        default boolean isEmpty() {
            return false;
        }
    }

    private static final VarHandle WAITER;
    private static final VarHandle WOKEN;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WAITER = l.findVarHandle(ItemChannel.class, "waiter", LoopFuture.class);
            WOKEN = l.findVarHandle(ItemChannel.class, "woken", LoopFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final SpscArrayQueue<T> queue;
    private final Runnable cancelUpstream;
    /** Takes each item dropped unread once the consumer closed; see {@link #discardBuffered}. */
    private final Consumer<? super T> discard;

    private volatile boolean done;
    private Throwable error;
    private volatile LoopFuture<Void> waiter;
    /**
     * The waiter a wake-up took from {@link #waiter}, for {@link #resume} to complete on the loop:
     * one reusable callback instead of a new one per wake-up. Each wake-up sets it and then
     * schedules the callback, which takes it: none is lost, and the consumer awaits one waiter at a time.
     */
    private volatile LoopFuture<Void> woken;

    private final Runnable resume = this::resume;

    // consumer side, loop thread only
    /** The reader of the fused source, once {@link #fuse} was called. */
    private FusedItems<T> fused;

    private boolean hasPeeked;
    private T peeked;
    private boolean closed;

    /**
     * A channel of at least {@code capacity} buffered items for a consumer on {@code loop}; {@code
     * cancelUpstream} runs on the loop when the consumer closes or is cancelled while it waits.
     */
    public ItemChannel(EventLoop loop, int capacity, Runnable cancelUpstream) {
        this(loop, capacity, cancelUpstream, item -> {});
    }

    /**
     * As {@link #ItemChannel(EventLoop, int, Runnable)}; {@code discard} takes, on the loop, each item
     * the consumer's close drops unread (held, buffered, or arriving after it through {@link
     * #discardBuffered}).
     */
    public ItemChannel(EventLoop loop, int capacity, Runnable cancelUpstream, Consumer<? super T> discard) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.queue = new SpscArrayQueue<>(capacity);
        this.cancelUpstream = Objects.requireNonNull(cancelUpstream, "cancelUpstream");
        this.discard = Objects.requireNonNull(discard, "discard");
    }

    // ---------------------------------------------------------------- producer side, any thread

    /** Whether the stream has ended (completed or failed); later signals are to be dropped. */
    public boolean isTerminated() {
        return done;
    }

    /**
     * Buffers {@code item} and wakes the consumer; {@code false} (nothing buffered) if the buffer is
     * full. A buffered item is visible to the consumer before any read that follows the call, so an
     * owner may re-check its own closed mark after it (the consumer's {@link #close} fences likewise).
     */
    public boolean offer(T item) {
        if (!queue.offer(item)) {
            return false;
        }
        if (!loop.inLoop()) {
            // StoreLoad: the item is visible before we read waiter (or the owner's closed mark); on the
            // loop's thread the consumer is not running, and the loop's hand-offs order the two
            VarHandle.fullFence();
        }
        wake();
        return true;
    }

    /** Ends the stream with {@code t}, which the consumer rethrows after the buffered items. */
    public void fail(Throwable t) {
        error = t;
        done = true;
        wake();
    }

    /** Ends the stream normally after the buffered items. */
    public void complete() {
        done = true;
        wake();
    }

    /** Runs {@code r} on the loop: now if this is the loop's thread, else soon (dropped if the loop is closed). */
    public void onLoop(Runnable r) {
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

    private void wake() {
        LoopFuture<Void> w = waiter;
        if (w != null && WAITER.compareAndSet(this, w, null)) {
            woken = w;
            onLoop(resume);
        }
    }

    @SuppressWarnings("unchecked")
    private void resume() {
        LoopFuture<Void> w = (LoopFuture<Void>) WOKEN.getAndSet(this, null);
        if (w != null && !w.isDone()) {
            w.setResult(null);
        }
    }

    // ---------------------------------------------------------------- consumer side, loop thread

    /**
     * From now on the consumer polls {@code source} instead of the buffer. Loop thread only, before
     * the upstream has pushed any item; wakes a consumer already waiting.
     */
    public void fuse(SyncSource<T> source) {
        fused = new FusedItems<>(this, Objects.requireNonNull(source, "source"));
        wake();
    }

    /** Whether the consumer polls a fused source (and so must not request). */
    public boolean isFused() {
        return fused != null;
    }

    /**
     * Once fused, the iterator that reads the source directly, sharing this channel's state (so
     * {@link #hasNext()}/{@link #take()} and it may be mixed); {@code null} before. Loop thread only.
     */
    public Iterator<T> fusedIterator() {
        return fused;
    }

    /** Whether {@link #hasNext()} has an item ready without suspending or polling. */
    public boolean hasPeeked() {
        return hasPeeked || (fused != null && fused.hasPeeked());
    }

    /**
     * Whether another item is available; suspends the calling coroutine until one arrives or the
     * stream ends, rethrows the upstream's error, and closes the channel if the coroutine is
     * cancelled while it waits.
     */
    public boolean hasNext() {
        if (hasPeeked) {
            return true;
        }
        while (true) {
            if (closed) {
                return false;
            }
            if (fused != null) {
                return fused.hasNext();
            }
            boolean terminated = done;
            T v = queue.poll();
            if (v != null) {
                hasPeeked = true;
                peeked = v;
                return true;
            }
            if (terminated) {
                return ended();
            }
            LoopFuture<Void> w = loop.createFuture();
            if (!publishWaiter(w)) {
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

    /**
     * Publishes {@code w} as the future a producer's wake-up completes; {@code false}, with {@code w}
     * withdrawn, if an item, the end or a fusion arrived meanwhile. Loop thread only (the consumer's
     * half of the hand-off, apart so the stress tests can race it against {@link #offer}).
     */
    boolean publishWaiter(LoopFuture<Void> w) {
        WAITER.setRelease(this, w);
        VarHandle.fullFence(); // StoreLoad: w is visible before the re-check reads the buffer; pairs with offer's
        return !((done || fused != null || !queue.isEmpty()) && WAITER.compareAndSet(this, w, null));
    }

    /** A fused source ended. */
    void completeFused() {
        done = true;
    }

    /** A fused source failed with {@code t}: ends the stream and cancels the source. */
    void failFused(Throwable t) {
        error = t;
        done = true;
        cancelUpstream.run();
    }

    /** What {@code hasNext()} says once the fused source ended or the channel was closed. */
    boolean afterEnd() {
        return !closed && ended();
    }

    private boolean ended() {
        Throwable e = error;
        if (e != null) {
            throw LoopFuture.rethrowable(e);
        }
        return false;
    }

    /** The item {@link #hasNext()} returned {@code true} for; call only after it did. */
    public T take() {
        if (fused != null) {
            return fused.next();
        }
        hasPeeked = false;
        T v = peeked;
        peeked = null;
        return v;
    }

    /** Cancels the upstream and hands the items not read yet to the discard route. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        T held = hasPeeked ? peeked : null;
        hasPeeked = false;
        peeked = null;
        if (fused != null) {
            held = fused.close();
        }
        cancelUpstream.run();
        VarHandle.fullFence(); // the owner's closed mark before the sweep reads the buffer; pairs with offer's
        if (held != null) {
            discard.accept(held); // a fused source discards the items it still holds itself, on cancel
        }
        discardBuffered();
    }

    /**
     * Once closed, hands the buffered items to the discard route: {@link #close} does, and the owner
     * calls it again (on the loop) for an item that it buffered while the close ran. Loop thread only;
     * nothing before the close.
     */
    public void discardBuffered() {
        if (!closed) {
            return;
        }
        for (T v = queue.poll(); v != null; v = queue.poll()) {
            discard.accept(v);
        }
    }

    /** Whether the consumer closed the channel. */
    public boolean isClosed() {
        return closed;
    }

    /** Whether the stream has ended (completed, failed) and every item was taken, or the channel was closed. */
    public boolean isDone() {
        return closed || (fused != null ? fused.isDone() : done && queue.isEmpty() && !hasPeeked);
    }
}
