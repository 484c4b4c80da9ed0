package io.loopbridge.reactor;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.internal.SubscriberFactory;
import org.reactivestreams.Publisher;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * Gives Reactor publishers iterated by a coroutine ({@code Reactive.iterate}, the awaits, {@code
 * ReactorBridge.iterate}) a subscriber that Reactor calls directly — no per-item safety wrapper —
 * and whose context carries the coroutine's bound context vars. Registered through {@code
 * ServiceLoader}; not API.
 */
public final class ReactorSubscriberFactory implements SubscriberFactory {
    /** For {@code ServiceLoader} only (the constructor it needs, written out to document it). */
    public ReactorSubscriberFactory() {}

    @Override
    public <T> LoopSubscriber<T> create(Publisher<T> publisher, EventLoop loop, int prefetch) {
        return publisher instanceof CorePublisher ? new CoreLoopSubscriber<>(loop, prefetch, ContextBridge.current()) : null;
    }

    /** A {@link LoopSubscriber} Reactor trusts: it keeps the rules itself (the TCK checks it). */
    static final class CoreLoopSubscriber<T> extends LoopSubscriber<T> implements CoreSubscriber<T> {
        private final Context context;

        CoreLoopSubscriber(EventLoop loop, int prefetch, Context context) {
            super(loop, prefetch);
            this.context = context;
        }

        @Override
        public Context currentContext() {
            return context;
        }
    }
}
