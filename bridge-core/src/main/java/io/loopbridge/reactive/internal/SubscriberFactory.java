package io.loopbridge.reactive.internal;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Lets a bridge module supply the {@link LoopSubscriber} for publishers of its library, found
 * through {@link ServiceLoader} so the core depends on no reactive library: the Reactor bridge
 * gives Reactor publishers a subscriber that is a {@code CoreSubscriber}, which Reactor then calls
 * without its per-item safety wrapper and which carries the coroutine's context; it fuses
 * Reactor's synchronous sources so that the coroutine pulls their items; and it sends the signals a
 * Reactor subscriber can no longer receive to Reactor's dropped-error and dropped-item hooks, and
 * the items it clears unread to Reactor's discard hook. Not API.
 */
public interface SubscriberFactory {
    /** Where an error goes that nobody can receive any more (see {@link #droppedErrors}). */
    @FunctionalInterface
    interface DroppedErrors {
        /** Takes {@code error}; any thread. {@code message} says what happened, {@code source} who saw it. */
        void drop(EventLoop loop, String message, Throwable error, Object source);
    }

    /**
     * Where the errors go that {@code subscriber}, or the stream it reads, can no longer deliver
     * (they arrive after it was closed or cancelled, or after the end), or {@code null} if this
     * factory does not know it: the loop's exception handler then takes them. Called once per
     * subscription, possibly before {@code onSubscribe}; the route must not keep {@code subscriber}
     * (§3.13: a publisher forgets a subscriber that cancelled).
     */
    default DroppedErrors droppedErrors(Subscriber<?> subscriber) {
        return null;
    }

    /**
     * Where the items go that {@code subscriber} receives after the end of its stream (the upstream
     * broke §1.7), or {@code null} if this factory does not know it: the core then drops them, having
     * no hook for items. Called when such an item arrives.
     */
    default Consumer<Object> droppedItems(Subscriber<?> subscriber) {
        return null;
    }

    /**
     * Where the items go that {@code subscriber} received but nobody will read, or {@code null} if
     * this factory does not know it: the core then lets them go to the garbage collector. They are
     * the items buffered when its consumer closed it (or was cancelled), those arriving after that,
     * and one beyond the demand (§1.1). The route must not throw; it is asked when such an item is
     * dropped, and may be kept for the rest of the subscription.
     */
    default Consumer<Object> discardedItems(Subscriber<?> subscriber) {
        return null;
    }

    /** The first installed factory's {@link #discardedItems} for {@code subscriber}, or {@code null}. */
    static Consumer<Object> discardedItemsOf(Subscriber<?> subscriber) {
        return firstAnswer(f -> f.discardedItems(subscriber));
    }

    /** The first installed factory's {@link #droppedItems} for {@code subscriber}, or {@code null}. */
    static Consumer<Object> droppedItemsOf(Subscriber<?> subscriber) {
        return firstAnswer(f -> f.droppedItems(subscriber));
    }

    /** The first installed factory's {@link #droppedErrors} route for {@code subscriber}, or {@code null}. */
    static DroppedErrors droppedErrorsOf(Subscriber<?> subscriber) {
        return firstAnswer(f -> f.droppedErrors(subscriber));
    }

    /** The first non-null answer of the installed factories to {@code question}, or {@code null}. */
    private static <R> R firstAnswer(Function<SubscriberFactory, R> question) {
        for (SubscriberFactory f : Installed.FACTORIES) {
            R answer = question.apply(f);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }
    /** A subscriber for {@code publisher}, or {@code null} if this factory does not know it. */
    <T> LoopSubscriber<T> create(Publisher<T> publisher, EventLoop loop, int prefetch);

    /**
     * {@code upstream} switched to synchronous fusion, as a source the subscriber polls on its loop
     * instead of requesting; {@code null} if this factory does not know it or it refused. Called from
     * {@code onSubscribe}, before any request; {@code threadBarrier}: the polls will not run on the
     * thread calling {@code onSubscribe}.
     */
    default <T> ItemChannel.SyncSource<T> fuse(Subscription upstream, boolean threadBarrier) {
        return null;
    }

    /**
     * The subscription to give {@code subscriber} for {@code source}, if this factory knows the
     * subscriber's library and can offer it {@code source}'s queue (Reactor's asynchronous fusion), or
     * {@code null}: the subscriber then gets {@code source} itself.
     */
    default Subscription fusable(Subscriber<?> subscriber, FusedSource<?> source) {
        return null;
    }

    /** The first installed factory's {@link #fusable} subscription, else {@code source} itself. */
    static Subscription fusableOf(Subscriber<?> subscriber, FusedSource<?> source) {
        Subscription s = firstAnswer(f -> f.fusable(subscriber, source));
        return s != null ? s : source;
    }

    /** The first installed factory's {@link #fuse} of {@code upstream}, or {@code null}. */
    static <T> ItemChannel.SyncSource<T> fuseSync(Subscription upstream, boolean threadBarrier) {
        return firstAnswer(f -> f.<T>fuse(upstream, threadBarrier));
    }

    /** The subscriber for {@code publisher}: the first factory's that knows it, else a plain one. */
    static <T> LoopSubscriber<T> subscriberFor(Publisher<T> publisher, EventLoop loop, int prefetch) {
        LoopSubscriber<T> s = firstAnswer(f -> f.create(publisher, loop, prefetch));
        return s != null ? s : new LoopSubscriber<>(loop, prefetch);
    }

    /** Not API. */
    final class Installed {
        static final List<SubscriberFactory> FACTORIES =
                ServiceLoader.load(SubscriberFactory.class, SubscriberFactory.class.getClassLoader()).stream()
                        .map(ServiceLoader.Provider::get)
                        .collect(Collectors.toUnmodifiableList());

        private Installed() {}
    }
}
