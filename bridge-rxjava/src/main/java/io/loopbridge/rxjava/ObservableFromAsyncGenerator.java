package io.loopbridge.rxjava;

import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.Reactive;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.disposables.Disposable;
import org.reactivestreams.Subscriber;
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
    static final class Relay<T> implements Subscriber<T>, Disposable {
        private final Observer<? super T> downstream;
        private final EventLoop loop;
        private final Object source;
        private volatile Subscription upstream;
        private volatile boolean disposed;
        private volatile boolean terminated;
        /** Set once the observer threw: no signal follows (signals come from the loop, one at a time). */
        private boolean broken;

        Relay(Observer<? super T> downstream, EventLoop loop, Object source) {
            this.downstream = downstream;
            this.loop = loop;
            this.source = source;
        }

        boolean disposedByObserver() {
            return disposed;
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            try {
                downstream.onSubscribe(this);
            } catch (Throwable t) {
                threw("onSubscribe", t, true);
                return;
            }
            if (!disposed) {
                s.request(Long.MAX_VALUE);
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
            terminated = true;
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
            terminated = true;
            broken = true;
            try {
                downstream.onComplete();
            } catch (Throwable t) {
                threw("onComplete", t, false);
            }
        }

        private void threw(String signal, Throwable t, boolean dispose) {
            broken = true;
            if (dispose) {
                dispose();
            }
            Undeliverable.report(
                    loop,
                    "the observer of " + source + " threw from " + signal + (dispose ? "; it is disposed" : "")
                            + " (an observer must not throw)",
                    t,
                    source);
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
