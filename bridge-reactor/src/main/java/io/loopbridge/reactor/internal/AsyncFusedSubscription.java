package io.loopbridge.reactor.internal;

import io.loopbridge.reactive.internal.FusedSource;
import reactor.core.Fuseable;
import reactor.core.publisher.Operators;
import reactor.util.annotation.Nullable;
import reactor.util.context.Context;

/**
 * What a Reactor operator subscribed to {@code Reactive.publisher} gets: a subscription it may fuse
 * asynchronously ({@code publishOn}, {@code flatMap}'s inners, ...), so its drain loop polls the
 * generator's items from a queue and is signalled once per batch. The poll runs no user code, so a
 * thread barrier does not stop it. Items cleared unread go to the subscriber context's discard hook.
 */
final class AsyncFusedSubscription<T> implements Fuseable.QueueSubscription<T> {
    private final FusedSource<T> source;
    private final Context context;

    AsyncFusedSubscription(FusedSource<T> source, Context context) {
        this.source = source;
        this.context = context;
    }

    @Override
    public int requestFusion(int requestedMode) {
        if ((requestedMode & Fuseable.ASYNC) != 0 && source.fuse(item -> Operators.onDiscard(item, context))) {
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
    public @Nullable T poll() {
        return source.poll();
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public boolean isEmpty() {
        return source.isEmpty();
    }

    @Override
    public void clear() {
        source.clear();
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
