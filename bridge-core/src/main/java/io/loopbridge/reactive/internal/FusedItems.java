package io.loopbridge.reactive.internal;

import io.loopbridge.future.LoopFuture;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The reader of an {@link ItemChannel} whose upstream is {@linkplain ItemChannel#fuse fused}: the
 * iterator a for-each loop gets, pulling the items from the source with as little per-item state as
 * the iterator protocol allows — one plain flag read, and for an exact source no item held between
 * {@code hasNext()} and {@code next()}. Kept apart from the buffer's code so that the JIT compiles
 * this path on its own. A fused source never suspends the coroutine, so there is no await point to
 * check for cancellation, as with any loop that does not await. Loop thread only.
 *
 * @param <T> the type of the items
 */
final class FusedItems<T> implements Iterator<T> {
    private final ItemChannel<T> channel;
    private final ItemChannel.SyncSource<T> source;
    private final boolean exact;
    /** The source ended or failed, or the channel was closed: the channel says what follows. */
    private boolean ended;
    /** The item a non-exact {@link #hasNext()} polled, for {@link #next()}. */
    private T peeked;

    FusedItems(ItemChannel<T> channel, ItemChannel.SyncSource<T> source) {
        this.channel = channel;
        this.source = source;
        this.exact = source.exact();
    }

    @Override
    public boolean hasNext() {
        if (ended) {
            return channel.afterEnd();
        }
        if (exact) {
            if (!source.isEmpty()) {
                return true; // next() polls
            }
        } else {
            if (peeked != null) {
                return true;
            }
            T v = poll();
            if (v != null) {
                peeked = v;
                return true;
            }
        }
        end();
        return false;
    }

    @Override
    public T next() {
        if (!ended) {
            T v = peeked;
            if (v != null) {
                peeked = null;
                return v;
            }
            v = poll();
            if (v != null) {
                return v;
            }
            end();
        }
        channel.afterEnd(); // rethrows the upstream's error
        throw new NoSuchElementException("the publisher has completed");
    }

    /** Pulls every remaining item into {@code action} in one loop: no {@code hasNext()} per item. */
    @Override
    public void forEachRemaining(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        T v = peeked;
        if (v != null) {
            peeked = null;
            action.accept(v);
        }
        while (!ended) { // the action may close the channel
            v = poll();
            if (v == null) {
                end();
                break;
            }
            action.accept(v);
        }
        channel.afterEnd();
    }

    /** The source's next item or null; its failure ends the stream, cancels it and is rethrown. */
    private T poll() {
        try {
            return source.poll();
        } catch (Throwable t) {
            ended = true;
            peeked = null;
            channel.failFused(t);
            throw LoopFuture.rethrowable(t);
        }
    }

    private void end() {
        ended = true;
        channel.completeFused();
    }

    /** Whether {@link #hasNext()} holds a polled item. */
    boolean hasPeeked() {
        return peeked != null;
    }

    /** Whether every item was taken, or the channel was closed. */
    boolean isDone() {
        return ended && peeked == null;
    }

    /** Gives up the held item (returned, or {@code null}); the channel cancels the source. */
    T close() {
        ended = true;
        T held = peeked;
        peeked = null;
        return held;
    }
}
