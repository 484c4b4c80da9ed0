package io.loopbridge.reactive.internal;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;

/**
 * Lets a bridge module supply the {@link LoopSubscriber} for publishers of its library, found
 * through {@link ServiceLoader} so the core depends on no reactive library: the Reactor bridge
 * gives Reactor publishers a subscriber that is a {@code CoreSubscriber}, which Reactor then calls
 * without its per-item safety wrapper and which carries the coroutine's context. Not API.
 */
public interface SubscriberFactory {
    /** A subscriber for {@code publisher}, or {@code null} if this factory does not know it. */
    <T> LoopSubscriber<T> create(Publisher<T> publisher, EventLoop loop, int prefetch);

    /** The subscriber for {@code publisher}: the first factory's that knows it, else a plain one. */
    static <T> LoopSubscriber<T> subscriberFor(Publisher<T> publisher, EventLoop loop, int prefetch) {
        for (SubscriberFactory f : Installed.FACTORIES) {
            LoopSubscriber<T> s = f.create(publisher, loop, prefetch);
            if (s != null) {
                return s;
            }
        }
        return new LoopSubscriber<>(loop, prefetch);
    }

    /** Not API. */
    final class Installed {
        static final List<SubscriberFactory> FACTORIES = ServiceLoader.load(SubscriberFactory.class,
                        SubscriberFactory.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toUnmodifiableList());

        private Installed() {}
    }
}
