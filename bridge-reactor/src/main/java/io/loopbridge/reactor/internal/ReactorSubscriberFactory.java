package io.loopbridge.reactor.internal;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.internal.FusedSource;
import io.loopbridge.reactive.internal.ItemChannel;
import io.loopbridge.reactive.internal.SubscriberFactory;
import java.util.Set;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Gives Reactor publishers iterated by a coroutine ({@code Reactive.iterate}, the awaits, {@code
 * ReactorBridge.iterate}) a subscriber that Reactor calls directly — no per-item safety wrapper —
 * and whose context carries the coroutine's bound context vars; and fuses a synchronous source
 * ({@code Flux.range}, {@code fromIterable}, their {@code map}/{@code filter}…) with it, so the
 * coroutine pulls the items itself; and sends what a Reactor subscriber can no longer receive to
 * Reactor's dropped-error and dropped-item hooks, and the items it clears unread to the discard hook;
 * and lets Reactor's operators drain {@code Reactive.publisher} from a queue (asynchronous fusion).
 * Registered through {@code ServiceLoader}; not API.
 */
public final class ReactorSubscriberFactory implements SubscriberFactory {
    /** For {@code ServiceLoader} only (the constructor it needs, written out to document it). */
    public ReactorSubscriberFactory() {}

    @Override
    public <T> LoopSubscriber<T> create(Publisher<T> publisher, EventLoop loop, int prefetch) {
        return publisher instanceof CorePublisher
                ? new CoreLoopSubscriber<>(loop, prefetch, ContextBridge.current())
                : null;
    }

    /**
     * A Reactor subscriber's undeliverable errors go to {@code Hooks.onErrorDropped} with its context,
     * as Reactor's own operators send them, instead of the loop's exception handler.
     */
    @Override
    public DroppedErrors droppedErrors(Subscriber<?> subscriber) {
        if (!(subscriber instanceof CoreSubscriber)) {
            return null;
        }
        Context context = ((CoreSubscriber<?>) subscriber).currentContext();
        return (loop, message, error, source) -> Operators.onErrorDropped(error, context);
    }

    /** A Reactor subscriber's items after the end go to {@code Hooks.onNextDropped}, as in Reactor's operators. */
    @Override
    public Consumer<Object> droppedItems(Subscriber<?> subscriber) {
        if (!(subscriber instanceof CoreSubscriber)) {
            return null;
        }
        Context context = ((CoreSubscriber<?>) subscriber).currentContext();
        return item -> Operators.onNextDropped(item, context);
    }

    /**
     * The items a Reactor subscriber clears unread go to the discard hook of its context, as Reactor's
     * operators clear their queues on cancel ({@code Operators.onDiscard}, which logs a failing hook).
     */
    @Override
    public Consumer<Object> discardedItems(Subscriber<?> subscriber) {
        if (!(subscriber instanceof CoreSubscriber)) {
            return null;
        }
        Context context = ((CoreSubscriber<?>) subscriber).currentContext();
        return item -> Operators.onDiscard(item, context);
    }

    /**
     * A Reactor operator may drain {@code Reactive.publisher}'s items from a queue ({@link
     * AsyncFusedSubscription}); other subscribers get the plain subscription.
     */
    @Override
    public Subscription fusable(Subscriber<?> subscriber, FusedSource<?> source) {
        if (!(subscriber instanceof CoreSubscriber)) {
            return null;
        }
        return new AsyncFusedSubscription<>(source, ((CoreSubscriber<?>) subscriber).currentContext());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ItemChannel.SyncSource<T> fuse(Subscription upstream, boolean threadBarrier) {
        if (!(upstream instanceof Fuseable.QueueSubscription)) {
            return null;
        }
        Fuseable.QueueSubscription<T> qs = (Fuseable.QueueSubscription<T>) upstream;
        int mode = Fuseable.SYNC | (threadBarrier ? Fuseable.THREAD_BARRIER : 0);
        return qs.requestFusion(mode) == Fuseable.SYNC ? new SyncPoll<>(qs) : null;
    }

    /**
     * Reactor's subscriptions whose {@code isEmpty()} is exact and cannot fail: {@code Flux.range}
     * and {@code Flux.just}/{@code fromArray} (an index against a bound).
     */
    private static final Set<String> EXACT = Set.of(
            "reactor.core.publisher.FluxRange$RangeSubscription", "reactor.core.publisher.FluxArray$ArraySubscription");

    /** A SYNC-fused subscription: {@code poll()} returns the next item, {@code null} at the end. */
    private static final class SyncPoll<T> implements ItemChannel.SyncSource<T> {
        private final Fuseable.QueueSubscription<T> upstream;
        private final boolean exact;

        SyncPoll(Fuseable.QueueSubscription<T> upstream) {
            this.upstream = upstream;
            this.exact = EXACT.contains(upstream.getClass().getName());
        }

        @Override
        public boolean exact() {
            return exact;
        }

        @Override
        public boolean isEmpty() {
            return upstream.isEmpty();
        }

        @Override
        public T poll() throws Throwable {
            try {
                return upstream.poll();
            } catch (Throwable t) {
                // what Reactor's own fused consumers deliver: wrappers removed, the operator-error hooks
                // applied; the channel cancels the upstream
                throw Operators.onOperatorError(null, t, null, Context.empty());
            }
        }
    }

    /** A {@link LoopSubscriber} Reactor trusts: it keeps the rules itself (the TCK checks it). */
    public static final class CoreLoopSubscriber<T> extends LoopSubscriber<T> implements CoreSubscriber<T> {
        private final Context context;

        public CoreLoopSubscriber(EventLoop loop, int prefetch, Context context) {
            super(loop, prefetch);
            this.context = context;
        }

        @Override
        public Context currentContext() {
            return context;
        }
    }
}
