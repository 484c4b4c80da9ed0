package io.loopbridge.reactive;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.internal.SubscriberFactory;
import java.util.Objects;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A publisher of 0..1 items: the outcome of a future obtained per subscription (a new task for
 * {@code Reactive.fromCoroutine}, a shared future for {@code Reactive.fromAwaitable}). A {@code
 * null} result completes empty.
 */
final class PublisherFromFuture<T> implements Publisher<T> {
    private final EventLoop loop;
    private final Supplier<LoopFuture<T>> source;
    private final boolean cancelOnUnsubscribe;
    private final String description;

    PublisherFromFuture(
            EventLoop loop, Supplier<LoopFuture<T>> source, boolean cancelOnUnsubscribe, String description) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.source = source;
        this.cancelOnUnsubscribe = cancelOnUnsubscribe;
        this.description = description;
    }

    @Override
    public void subscribe(Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "§1.9 violated: subscribe(null)");
        One<T> one = new One<>(this, subscriber);
        if (!Signals.onLoop(loop, one::start)) {
            Signals.rejectClosedLoop(subscriber);
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /** One subscription; everything but {@code request}/{@code cancel} runs on the loop. */
    private static final class One<T> implements Subscription {
        private final PublisherFromFuture<T> parent;
        /** Where a failure after the subscriber left goes, chosen for it without keeping it (§3.13). */
        private final SubscriberFactory.DroppedErrors dropped;

        private Subscriber<? super T> downstream;
        private LoopFuture<T> future;
        private volatile boolean requested;
        private volatile boolean cancelled;
        private volatile long badRequest;
        private boolean terminated;

        One(PublisherFromFuture<T> parent, Subscriber<? super T> downstream) {
            this.parent = parent;
            this.downstream = downstream;
            this.dropped = parent.cancelOnUnsubscribe ? SubscriberFactory.droppedErrorsOf(downstream) : null;
        }

        void start() {
            if (!Signals.onSubscribe(parent.loop, downstream, this)) {
                cancelled = true;
            }
            if (cancelled) {
                downstream = null;
                return;
            }
            try {
                future = parent.source.get();
            } catch (RuntimeException e) {
                terminate(e);
                return;
            }
            future.addDoneCallback(f -> emit());
            emit();
        }

        private void emit() {
            if (terminated || cancelled || downstream == null) {
                return;
            }
            long bad = badRequest;
            if (bad != 0) {
                terminate(Signals.badRequest(bad));
                return;
            }
            LoopFuture<T> f = future;
            if (f == null || !f.isDone()) {
                return;
            }
            if (f.isCancelled()) {
                terminate(new java.util.concurrent.CancellationException("the awaitable was cancelled: " + f));
                return;
            }
            Throwable e = f.exception();
            if (e != null) {
                terminate(e);
                return;
            }
            T value = f.result();
            if (value == null) {
                terminate(null);
                return;
            }
            if (!requested || cancelled) { // §3.6: re-check after reading the request, which may follow a cancel
                return;
            }
            Subscriber<? super T> d = downstream;
            try {
                d.onNext(value);
            } catch (Throwable t) {
                cancelled = true;
                downstream = null;
                Signals.report(
                        parent.loop, "§2.13: the subscriber threw from onNext; the subscription is cancelled", t, d);
                return;
            }
            if (!cancelled) {
                terminate(null);
            }
        }

        private void terminate(Throwable error) {
            terminated = true;
            Subscriber<? super T> d = downstream;
            downstream = null;
            if (error == null) {
                Signals.onComplete(parent.loop, d);
            } else {
                Signals.onError(parent.loop, d, error);
            }
            if (error != null && future != null && future.isDone() && !future.isCancelled()) {
                future.exception(); // delivered: not an unread failure
            }
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = n == 0 ? Long.MIN_VALUE : n;
            } else if (requested) {
                return;
            } else {
                requested = true;
            }
            Signals.onLoop(parent.loop, this::emit);
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            Signals.onLoop(parent.loop, () -> {
                downstream = null; // §3.13
                LoopFuture<T> f = future;
                if (!parent.cancelOnUnsubscribe || f == null) {
                    return;
                }
                if (!f.isDone()) {
                    f.cancel();
                    // a coroutine may fail instead of ending cancelled (a finally threw): nobody else sees it
                    f.addDoneCallback(this::dropFailure);
                } else if (!terminated) {
                    // it failed after the cancel was asked (another thread), before the cancel reached the loop:
                    // emit() saw the cancel and signalled nothing
                    dropFailure(f);
                }
            });
        }

        private void dropFailure(LoopFuture<T> done) {
            if (!done.isCancelled() && done.exception() != null) {
                Signals.dropped(
                        parent.loop,
                        dropped,
                        "the publisher's coroutine failed after its subscriber left",
                        done.exception(),
                        null);
            }
        }
    }
}
