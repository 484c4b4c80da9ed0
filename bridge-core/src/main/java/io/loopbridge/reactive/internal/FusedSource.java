package io.loopbridge.reactive.internal;

import java.util.function.Consumer;
import org.reactivestreams.Subscription;

/**
 * A subscription that can hand its items over through a queue the subscriber drains, with one
 * signal per batch instead of an {@code onNext} per item: Reactor's asynchronous fusion, offered to
 * a library's operators by its bridge ({@link SubscriberFactory#fusable}). Not API.
 */
public interface FusedSource<T> extends Subscription {
    /**
     * Switches to the queue: items go to {@link #poll} from now on, and each {@code onNext(null)}
     * says more were published. {@code discard} takes the items nobody will read. False if it is
     * too late (an item was sent already). Called from {@code onSubscribe}.
     */
    boolean fuse(Consumer<Object> discard);

    /** The next published item, or {@code null}. The draining thread only. */
    T poll();

    /** Whether {@link #poll} would return null now. The draining thread only. */
    boolean isEmpty();

    /** Published items not polled yet. The draining thread only. */
    int size();

    /** Discards the published items left; later polls return null. Any thread. */
    void clear();
}
