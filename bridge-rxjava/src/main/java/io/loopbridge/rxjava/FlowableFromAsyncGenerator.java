package io.loopbridge.rxjava;

import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.Reactive;
import io.reactivex.rxjava3.core.Flowable;
import org.reactivestreams.Subscriber;

/**
 * {@code RxBridge.flowable}: each subscription runs the async generator body with {@link
 * Reactive#publisher}, so a {@code yield} waits for demand and nothing is buffered. A {@link
 * FlowableRelay} between the two reports what fails after a cancel, or in the subscriber, as {@link
 * Undeliverable}.
 */
final class FlowableFromAsyncGenerator<T> extends Flowable<T> {
    private final EventLoop loop;
    private final AsyncGenerator.Body<T, Void> body;

    FlowableFromAsyncGenerator(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        this.loop = loop;
        this.body = body;
    }

    @Override
    protected void subscribeActual(Subscriber<? super T> subscriber) {
        FlowableRelay<T> relay = new FlowableRelay<>(subscriber, loop, this);
        Reactive.publisher(loop, Undeliverable.guard(loop, body, relay::cancelled, this))
                .subscribe(relay);
    }

    @Override
    public String toString() {
        return "RxBridge.flowable(" + body + ")";
    }
}
