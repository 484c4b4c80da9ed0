package io.loopbridge.rxjava;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableObserver;
import java.util.function.Supplier;

/**
 * A {@code Completable} of a loop future's outcome, its result ignored: {@code RxBridge.completable}
 * (a new task per subscription) and {@code RxBridge.toCompletable} (an awaitable's shared future).
 */
final class CompletableFromFuture<T> extends Completable {
    private final EventLoop loop;
    private final Supplier<LoopFuture<T>> source;
    private final boolean ownsFuture;
    /** What the source was made by, and from what: for messages and {@link #toString()}. */
    private final String factory;

    private final Object origin;

    CompletableFromFuture(
            EventLoop loop, Supplier<LoopFuture<T>> source, boolean ownsFuture, String factory, Object origin) {
        this.loop = loop;
        this.source = source;
        this.ownsFuture = ownsFuture;
        this.factory = factory;
        this.origin = origin;
    }

    @Override
    protected void subscribeActual(CompletableObserver observer) {
        FutureDisposable<T> d = new FutureDisposable<>(
                loop, source, ownsFuture, this, value -> observer.onComplete(), observer::onError);
        observer.onSubscribe(d);
        d.start();
    }

    @Override
    public String toString() {
        return factory + "(" + origin + ")";
    }
}
