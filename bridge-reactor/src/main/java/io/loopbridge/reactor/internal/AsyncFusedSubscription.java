package io.loopbridge.reactor.internal;

import io.loopbridge.reactive.internal.BatchQueue;
import io.loopbridge.reactive.internal.FusedSource;
import java.util.function.Consumer;
import reactor.core.Fuseable;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * What a Reactor operator subscribed to {@code Reactive.publisher} gets: a subscription it may fuse
 * asynchronously ({@code publishOn}, {@code flatMap}'s inners, ...), so its drain loop polls the
 * generator's items from this queue and is signalled once per batch. The subscription is the queue
 * itself: a poll reads no object the loop writes per item. The poll runs no user code, so a thread
 * barrier does not stop it. Items cleared unread go to the subscriber context's discard hook.
 */
final class AsyncFusedSubscription<T> extends BatchQueue<T> implements Fuseable.QueueSubscription<T> {
    private final FusedSource<T> source;
    private final Consumer<Object> discard;

    AsyncFusedSubscription(FusedSource<T> source, Context context) {
        this.source = source;
        this.discard = item -> Operators.onDiscard(item, context);
    }

    @Override
    public int requestFusion(int requestedMode) {
        if ((requestedMode & Fuseable.ASYNC) != 0 && source.fuse(this, discard)) {
            return Fuseable.ASYNC;
        }
        return Fuseable.NONE;
    }

    @Override
    public void request(long n) {
        source.request(n);
    }

    @Override
    public void cancel() {
        source.cancel();
    }

    @Override
    public void clear() {
        clear(discard);
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
