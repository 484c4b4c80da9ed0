package io.loopbridge.rxjava;

import io.loopbridge.loop.EventLoop;
import io.reactivex.rxjava3.core.FlowableSubscriber;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Between a publisher of the core and an RxJava subscriber: passes every signal on and remembers a
 * cancel (so a body failing after it is reported as {@link Undeliverable}). A subscriber that throws
 * from a signal method has its subscription cancelled and the exception reported as the
 * undeliverable-error policy says (the loop's handler, and {@code RxJavaPlugins.onError} when RxJava
 * has a handler), rather than passed up to the publisher, which could tell only the loop.
 */
final class FlowableRelay<T> extends GuardedRelay<T> implements FlowableSubscriber<T>, Subscription {
    private final Subscriber<? super T> downstream;
    private Subscription upstream;
    private volatile boolean cancelled;

    FlowableRelay(Subscriber<? super T> downstream, EventLoop loop, Object source) {
        super(loop, source, "subscriber", "its subscription is cancelled", "Reactive Streams §2.13");
        this.downstream = downstream;
    }

    boolean cancelled() {
        return cancelled;
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        subscribed();
    }

    @Override
    void deliverSubscribe() {
        downstream.onSubscribe(this);
    }

    @Override
    void deliverNext(T item) {
        downstream.onNext(item);
    }

    @Override
    void deliverError(Throwable e) {
        downstream.onError(e);
    }

    @Override
    void deliverComplete() {
        downstream.onComplete();
    }

    @Override
    void stop() {
        cancel();
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
