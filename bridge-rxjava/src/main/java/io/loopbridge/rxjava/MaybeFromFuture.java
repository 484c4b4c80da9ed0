package io.loopbridge.rxjava;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.MaybeObserver;
import java.util.function.Supplier;

/**
 * A {@code Maybe} of a loop future's outcome: {@code RxBridge.maybe} (a new task per subscription)
 * and {@code RxBridge.toMaybe} (an awaitable's shared future). A {@code null} result completes
 * empty.
 */
final class MaybeFromFuture<T> extends Maybe<T> {
    private final EventLoop loop;
    private final Supplier<LoopFuture<T>> source;
    private final boolean ownsFuture;
    /** What the source was made by, and from what: for messages and {@link #toString()}. */
    private final String factory;

    private final Object origin;

    MaybeFromFuture(EventLoop loop, Supplier<LoopFuture<T>> source, boolean ownsFuture, String factory, Object origin) {
        this.loop = loop;
        this.source = source;
        this.ownsFuture = ownsFuture;
        this.factory = factory;
        this.origin = origin;
    }

    @Override
    protected void subscribeActual(MaybeObserver<? super T> observer) {
        FutureDisposable<T> d = new FutureDisposable<>(
                loop,
                source,
                ownsFuture,
                this,
                value -> {
                    if (value == null) {
                        observer.onComplete();
                    } else {
                        observer.onSuccess(value);
                    }
                },
                observer::onError);
        observer.onSubscribe(d);
        d.start();
    }

    @Override
    public String toString() {
        return factory + "(" + origin + ")";
    }
}
