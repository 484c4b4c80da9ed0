package io.loopbridge.reactive.internal;

import java.util.function.Consumer;
import org.reactivestreams.Subscription;

/**
 * A subscription that can hand its items over through a {@link BatchQueue} the subscriber drains,
 * with one signal per batch instead of an {@code onNext} per item: Reactor's asynchronous fusion,
 * offered to a library's operators by its bridge ({@link SubscriberFactory#fusable}). Not API.
 */
public interface FusedSource<T> extends Subscription {
    /**
     * Switches to {@code queue}: items are pushed and published there from now on, and each {@code
     * onNext(null)} says more were published. {@code discard} takes the items never published. False
     * if it is too late (an item was sent already). Called from {@code onSubscribe}.
     */
    boolean fuse(BatchQueue<T> queue, Consumer<Object> discard);
}
