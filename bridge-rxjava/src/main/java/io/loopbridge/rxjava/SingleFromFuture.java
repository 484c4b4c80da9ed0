package io.loopbridge.rxjava;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import java.util.function.Supplier;

/**
 * A {@code Single} of a loop future's outcome: {@code RxBridge.single} (a new task per
 * subscription) and {@code RxBridge.toSingle} (an awaitable's shared future). A {@code null} result
 * fails with {@link NullPointerException}, as RxJava's {@code fromCallable} does.
 */
final class SingleFromFuture<T> extends Single<T> {
    private final EventLoop loop;
    private final Supplier<LoopFuture<T>> source;
    private final boolean ownsFuture;
    /** What the source was made by, and from what: for messages and {@link #toString()}. */
    private final String factory;

    private final Object origin;

    SingleFromFuture(
            EventLoop loop, Supplier<LoopFuture<T>> source, boolean ownsFuture, String factory, Object origin) {
        this.loop = loop;
        this.source = source;
        this.ownsFuture = ownsFuture;
        this.factory = factory;
        this.origin = origin;
    }

    @Override
    protected void subscribeActual(SingleObserver<? super T> observer) {
        FutureDisposable<T> d = new FutureDisposable<>(
                loop,
                source,
                ownsFuture,
                this,
                value -> {
                    if (value == null) {
                        observer.onError(new NullPointerException(
                                this + " completed with null; a Single needs a value (RxBridge.maybe allows none)"));
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
