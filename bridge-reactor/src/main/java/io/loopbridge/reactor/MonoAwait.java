package io.loopbridge.reactor;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import java.util.Objects;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Awaits a {@link Mono} inside a coroutine. A value that arrives while subscribing (a ready Mono)
 * is returned without suspending; one that arrives later on another thread hops onto the loop.
 * The coroutine's bound context vars form the subscriber {@link Context}.
 */
final class MonoAwait<T> implements CoreSubscriber<T> {
    private final EventLoop loop;
    private final Context context;
    private volatile Subscription upstream;
    private volatile boolean done;
    private T value;
    private Throwable error;
    /** Created only if the coroutine has to wait. */
    private volatile LoopFuture<Void> waiter;

    private MonoAwait(EventLoop loop, Context context) {
        this.loop = loop;
        this.context = context;
    }

    static <T> T await(Mono<T> mono) {
        Objects.requireNonNull(mono, "mono");
        EventLoop loop = Async.loop();
        MonoAwait<T> s = new MonoAwait<>(loop, ContextBridge.current());
        mono.subscribe(s);
        return s.result();
    }

    private T result() {
        if (!done) {
            LoopFuture<Void> w = loop.createFuture();
            waiter = w;
            if (!done) {
                try {
                    Async.await(w);
                } catch (RuntimeException | Error e) {
                    Subscription s = upstream;
                    if (s != null && !done) {
                        s.cancel();
                    }
                    throw e;
                }
            }
        }
        if (error != null) {
            throw LoopFuture.rethrowable(error);
        }
        return value;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T t) {
        if (value == null) {
            value = t;
        }
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        finish();
    }

    @Override
    public void onComplete() {
        finish();
    }

    private void finish() {
        done = true;
        LoopFuture<Void> w = waiter;
        if (w != null) {
            if (loop.inLoop()) {
                complete(w);
            } else {
                try {
                    loop.callSoonThreadsafe(() -> complete(w));
                } catch (IllegalStateException closedLoop) {
                    // the awaiting coroutine is gone with its loop
                }
            }
        }
    }

    private static void complete(LoopFuture<Void> w) {
        if (!w.isDone()) {
            w.setResult(null);
        }
    }
}
