package io.loopbridge.rxjava;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.task.CoroutineFunction;
import io.reactivex.rxjava3.core.Flowable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * {@code RxBridge.mapAsync}: {@link Reactive#mapAsync} per subscription, through a {@link
 * FlowableRelay} so that a subscriber throwing is reported as RxJava users expect.
 */
final class FlowableMapAsync<T, R> extends Flowable<R> {
    private final Publisher<T> upstream;
    private final EventLoop loop;
    private final int concurrency;
    private final CoroutineFunction<? super T, ? extends R> fn;

    FlowableMapAsync(
            Publisher<T> upstream, EventLoop loop, int concurrency, CoroutineFunction<? super T, ? extends R> fn) {
        this.upstream = upstream;
        this.loop = loop;
        this.concurrency = concurrency;
        this.fn = fn;
    }

    @Override
    protected void subscribeActual(Subscriber<? super R> subscriber) {
        Reactive.<T, R>mapAsync(upstream, loop, concurrency, fn).subscribe(new FlowableRelay<>(subscriber, loop, this));
    }

    @Override
    public String toString() {
        return "RxBridge.mapAsync(" + concurrency + ", " + fn + ")";
    }
}
