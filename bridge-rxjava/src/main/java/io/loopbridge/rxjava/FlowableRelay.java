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
final class FlowableRelay<T> implements FlowableSubscriber<T>, Subscription {
    private final Subscriber<? super T> downstream;
    private final EventLoop loop;
    private final Object source;
    private Subscription upstream;
    private volatile boolean cancelled;
    /** Set once the subscriber threw: no signal follows (signals come from the loop, one at a time). */
    private boolean broken;

    FlowableRelay(Subscriber<? super T> downstream, EventLoop loop, Object source) {
        this.downstream = downstream;
        this.loop = loop;
        this.source = source;
    }

    boolean cancelled() {
        return cancelled;
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        try {
            downstream.onSubscribe(this);
        } catch (Throwable t) {
            threw("onSubscribe", t, true);
        }
    }

    @Override
    public void onNext(T item) {
        if (broken) {
            return;
        }
        try {
            downstream.onNext(item);
        } catch (Throwable t) {
            threw("onNext", t, true);
        }
    }

    @Override
    public void onError(Throwable e) {
        if (broken) {
            return;
        }
        broken = true;
        try {
            downstream.onError(e);
        } catch (Throwable t) {
            threw("onError", t, false);
        }
    }

    @Override
    public void onComplete() {
        if (broken) {
            return;
        }
        broken = true;
        try {
            downstream.onComplete();
        } catch (Throwable t) {
            threw("onComplete", t, false);
        }
    }

    private void threw(String signal, Throwable t, boolean cancel) {
        broken = true;
        if (cancel) {
            cancel();
        }
        Undeliverable.report(
                loop,
                "the subscriber of " + source + " threw from " + signal
                        + (cancel ? "; its subscription is cancelled" : "") + " (Reactive Streams §2.13)",
                t,
                source);
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
