package io.loopbridge.rxjava.internal;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.internal.SubscriberFactory;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.FlowableSubscriber;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * Gives the errors that an RxJava subscriber can no longer receive — a {@code Flowable} iterated or
 * awaited by a coroutine that fails after the coroutine closed its subscriber, a {@code mapAsync}
 * whose upstream or coroutine fails after its stream ended — the bridge's undeliverable policy
 * ({@link UndeliverableErrors}), as RxJava's own subscribers send such errors to {@code
 * RxJavaPlugins.onError}. Registered through {@code ServiceLoader}; not API.
 */
public final class RxSubscriberFactory implements SubscriberFactory {
    /** For {@code ServiceLoader} only (the constructor it needs, written out to document it). */
    public RxSubscriberFactory() {}

    @Override
    public <T> LoopSubscriber<T> create(Publisher<T> publisher, EventLoop loop, int prefetch) {
        return publisher instanceof Flowable ? new FlowableLoopSubscriber<>(loop, prefetch) : null;
    }

    @Override
    public DroppedErrors droppedErrors(Subscriber<?> subscriber) {
        return subscriber instanceof FlowableLoopSubscriber || subscriber instanceof FlowableSubscriber
                ? UndeliverableErrors::report
                : null;
    }

    /**
     * A {@link LoopSubscriber} of a {@code Flowable}, marked so that its late errors follow RxJava's
     * policy. Not a {@code FlowableSubscriber}: RxJava still wraps it as it wraps any plain subscriber.
     */
    static final class FlowableLoopSubscriber<T> extends LoopSubscriber<T> {
        FlowableLoopSubscriber(EventLoop loop, int prefetch) {
            super(loop, prefetch);
        }
    }
}
