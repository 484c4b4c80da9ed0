package io.loopbridge.rxjava;

import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.Reactive;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.disposables.Disposable;
import org.reactivestreams.Subscription;

/**
 * {@code RxBridge.observable}: each subscription runs the async generator body with {@link
 * Reactive#publisher} under unbounded demand. An {@code Observable} has no backpressure, so a
 * {@code yield} never waits: the body runs at the loop's pace, giving the loop up where it awaits.
 * Disposing closes the body (its {@code finally} blocks run).
 */
final class ObservableFromAsyncGenerator<T> extends Observable<T> {
    private final EventLoop loop;
    private final AsyncGenerator.Body<T, Void> body;

    ObservableFromAsyncGenerator(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        this.loop = loop;
        this.body = body;
    }

    @Override
    protected void subscribeActual(Observer<? super T> observer) {
        Relay<T> relay = new Relay<>(observer, loop, this);
        Reactive.publisher(loop, Undeliverable.guard(loop, body, relay::disposedByObserver, this))
                .subscribe(relay);
    }

    @Override
    public String toString() {
        return "RxBridge.observable(" + body + ")";
    }

    /**
     * The subscriber to the publisher and the disposable of the observer. An observer that throws
     * from a signal method is disposed and the exception reported as {@link Undeliverable}.
     */
    static final class Relay<T> extends GuardedRelay<T> implements Disposable {
        private final Observer<? super T> downstream;
        private volatile Subscription upstream;
        private volatile boolean disposed;
        private volatile boolean terminated;

        Relay(Observer<? super T> downstream, EventLoop loop, Object source) {
            super(loop, source, "observer", "it is disposed", "an observer must not throw");
            this.downstream = downstream;
        }

        boolean disposedByObserver() {
            return disposed;
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            if (subscribed() && !disposed) {
                s.request(Long.MAX_VALUE);
            }
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
        void terminating() {
            terminated = true;
        }

        @Override
        void stop() {
            dispose();
        }

        @Override
        public void dispose() {
            if (!disposed) {
                disposed = true;
                upstream.cancel(); // set before the observer could see this disposable
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed || terminated;
        }
    }
}
