package io.loopbridge.rxjava;

import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.Reactive;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.FlowableSubscriber;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * {@code RxBridge.flowable}: each subscription runs the async generator body with {@link
 * Reactive#publisher}, so a {@code yield} waits for demand and nothing is buffered. A relay between
 * the two remembers a cancel, so that a body failing after it is reported as {@link Undeliverable}.
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
        Relay<T> relay = new Relay<>(subscriber);
        Reactive.publisher(loop, Undeliverable.guard(loop, body, relay::cancelled, this)).subscribe(relay);
    }

    @Override
    public String toString() {
        return "RxBridge.flowable(" + body + ")";
    }

    /** Passes every signal on unchanged; the publisher behind it keeps the rules (§1-§3). */
    static final class Relay<T> implements FlowableSubscriber<T>, Subscription {
        private final Subscriber<? super T> downstream;
        private Subscription upstream;
        private volatile boolean cancelled;

        Relay(Subscriber<? super T> downstream) {
            this.downstream = downstream;
        }

        boolean cancelled() {
            return cancelled;
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            downstream.onSubscribe(this);
        }

        @Override
        public void onNext(T item) {
            downstream.onNext(item);
        }

        @Override
        public void onError(Throwable t) {
            downstream.onError(t);
        }

        @Override
        public void onComplete() {
            downstream.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            cancelled = true;
            upstream.cancel();
        }
    }
}
