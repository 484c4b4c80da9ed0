package io.loopbridge.reactive;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.internal.ItemChannel;
import io.loopbridge.reactive.internal.SubscriberFactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
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
 * <p>An upstream error that arrives after {@link #close()} (the upstream ignored the cancel) or
 * after the end has nobody to read it: it goes to the loop's exception handler, once, on the loop;
 * for a Reactor publisher (bridge-reactor present) to {@code Hooks.onErrorDropped} instead, and for
 * a {@code Flowable} (bridge-rxjava present) to the RxJava bridge's undeliverable-error policy. A
 * {@code CancellationException} after our own cancel is its echo, not an error: it goes nowhere.
 *
 * <p>Offered Reactor's synchronous fusion (a {@code Fuseable.QueueSubscription} in {@code SYNC}
 * mode, when bridge-reactor is present), it pulls the items on the loop as it consumes them: no
 * buffer and no requests.
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

    private static final Consumer<Object> NO_DISCARDS = item -> {};

    private static final VarHandle UPSTREAM;

    static {
        try {
            UPSTREAM = MethodHandles.lookup().findVarHandle(LoopSubscriber.class, "upstream", Subscription.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final int prefetch;
    private final int limit;
    private final ItemChannel<T> channel;

    private volatile Subscription upstream;
    /**
     * Where unread items go once closed: asked of the bridges at the first such item (any thread; a
     * racing second lookup gives the same route).
     */
    private Consumer<Object> discards;

    // consumer side, loop thread only
    private int consumed;

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
        this.channel = new ItemChannel<>(loop, prefetch, this::cancelUpstream, this::discard);
    }

    // ---------------------------------------------------------------- producer side, any thread

    @Override
    public void onSubscribe(Subscription s) {
        Objects.requireNonNull(s, "§2.13 violated: onSubscribe(null)");
        if (!UPSTREAM.compareAndSet(this, null, s)) {
            s.cancel(); // §2.5: already subscribed, or cancelled before subscription
            return;
        }
        // polled on the loop: a thread barrier unless the subscription arrives there
        ItemChannel.SyncSource<T> fused = SubscriberFactory.fuseSync(s, !loop.inLoop());
        channel.onLoop(() -> {
            if (upstream != s || channel.isTerminated()) {
                return; // §2.4: no request after a terminal signal
            }
            if (fused != null) {
                channel.fuse(fused);
            } else {
                s.request(prefetch);
            }
        });
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "§2.13 violated: onNext(null)");
        if (channel.isTerminated()) {
            // after the end (§1.7): the bridge's hook for dropped items, if it has one (the core has none)
            Consumer<Object> dropped = SubscriberFactory.droppedItemsOf(this);
            if (dropped != null) {
                dropped.accept(item);
            }
            return;
        }
        if (upstream == CANCELLED) {
            discard(item); // closed: nobody will read it
            return;
        }
        if (!channel.offer(item)) {
            discard(item);
            channel.fail(new IllegalStateException(
                    "the publisher emitted more items than requested (§1.1); prefetch was " + prefetch));
            channel.onLoop(this::cancelUpstream);
        } else if (upstream == CANCELLED) {
            // closed while we offered: the close may have emptied the buffer before the item landed
            // (offer fences off the loop, so this read and the close's sweep cannot both miss the other)
            channel.onLoop(channel::discardBuffered);
        }
    }

    @Override
    public void onError(Throwable t) {
        Objects.requireNonNull(t, "§2.13 violated: onError(null)");
        if (t instanceof CancellationException && upstream == CANCELLED) {
            return; // the echo of our own cancel: not an error (Reactor's fromFuture ignores it too)
        }
        if (channel.isTerminated()) {
            dropped("the upstream failed after the stream had ended (§1.7)", t);
        } else if (upstream == CANCELLED) {
            // closed by the consumer (or cancelled by us): the error would wait in the channel unread
            dropped("the upstream failed after the subscriber was closed", t);
        } else {
            channel.fail(t);
        }
    }

    /** Nobody will read {@code item}: the bridge's discard hook, if it has one for this subscriber. */
    private void discard(T item) {
        Consumer<Object> route = discards;
        if (route == null) {
            route = SubscriberFactory.discardedItemsOf(this);
            discards = route = route != null ? route : NO_DISCARDS;
        }
        route.accept(item);
    }

    /** Nobody reads {@code t} any more: the loop's exception handler, or the bridge's hook for this subscriber. */
    private void dropped(String message, Throwable t) {
        Signals.dropped(loop, SubscriberFactory.droppedErrorsOf(this), message, t, this);
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
     * @throws RuntimeException the upstream's error (checked ones wrapped in {@code
     *     CompletionException})
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while waiting (the upstream is
     *     then cancelled too)
     */
    @Override
    public boolean hasNext() {
        if (channel.hasPeeked()) {
            return true;
        }
        // replenish for what was taken, not for what is only peeked: awaitFirst never asks for a second item
        if (consumed >= limit) {
            consumed = 0;
            Subscription s = upstream;
            if (s != null && s != CANCELLED && !channel.isTerminated() && !channel.isClosed() && !channel.isFused()) {
                s.request(limit);
            }
        }
        return channel.hasNext();
    }

    /** The next item; suspends like {@link #hasNext()}. */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the publisher has completed");
        }
        consumed++;
        return channel.take();
    }

    /**
     * The items, for a for-each loop (they can be iterated once): this subscriber, or, once the
     * upstream is fused, a leaner iterator over the same items that polls the source directly.
     */
    @Override
    public Iterator<T> iterator() {
        Iterator<T> fused = channel.fusedIterator();
        return fused != null ? fused : this;
    }

    /** Passes every remaining item to {@code action}, suspending like {@link #hasNext()}. */
    @Override
    public void forEachRemaining(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        Iterator<T> fused = channel.fusedIterator();
        if (fused != null) {
            fused.forEachRemaining(action); // one polling loop, no hasNext() per item
            return;
        }
        while (hasNext()) {
            action.accept(next());
        }
    }

    /** {@link #forEachRemaining}: the items not taken yet, once. */
    @Override
    public void forEach(Consumer<? super T> action) {
        forEachRemaining(action);
    }

    /**
     * Cancels the upstream and drops the items not read yet (for a Reactor publisher they go to the
     * discard hook of the subscriber's context, {@code doOnDiscard}, as Reactor's own operators clear
     * their queues, so pooled buffers are released). Idempotent.
     */
    @Override
    public void close() {
        channel.close();
    }

    /**
     * Whether the stream has ended (completed, failed) or was closed.
     *
     * @return true once the subscriber was closed, or the upstream terminated and every buffered
     *     item has been read
     */
    public boolean isDone() {
        return channel.isDone();
    }

    private void cancelUpstream() {
        Subscription s = (Subscription) UPSTREAM.getAndSet(this, CANCELLED);
        if (s != null && s != CANCELLED) {
            s.cancel();
        }
    }

    @Override
    public String toString() {
        return "LoopSubscriber[prefetch=" + prefetch
                + (channel.isClosed() ? " closed" : channel.isTerminated() ? " done" : "") + "]";
    }
}
