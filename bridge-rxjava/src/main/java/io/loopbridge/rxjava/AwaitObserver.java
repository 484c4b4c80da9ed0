package io.loopbridge.rxjava;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.reactivex.rxjava3.core.CompletableObserver;
import io.reactivex.rxjava3.core.MaybeObserver;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;

/**
 * Awaits a {@code Single}, {@code Maybe} or {@code Completable} inside a coroutine ({@code
 * RxBridge.await}).
 *
 * <ol>
 *   <li>A source that signals while being subscribed (a ready one) costs no suspension: the outcome
 *       is read before the coroutine would wait.
 *   <li>An outcome from another thread hops onto the loop ({@code callSoonThreadsafe}); one on the
 *       loop's thread completes the waiter at once.
 *   <li>Cancelling the waiting coroutine disposes the subscription, also one whose {@code
 *       onSubscribe} has not arrived yet; an error that arrives after that is {@link Undeliverable},
 *       unless it is a {@code CancellationException} (the echo of the dispose).
 *   <li>The first outcome stands: an error after it is {@link Undeliverable} (a cancellation too: we
 *       disposed nothing), a second value is dropped (RxJava's convention for late items).
 * </ol>
 */
final class AwaitObserver<T> implements SingleObserver<T>, MaybeObserver<T>, CompletableObserver {
    /** Our own sentinel: RxJava's shared {@code Disposable.disposed()} may be a source's real upstream. */
    private static final Disposable DISPOSED = Disposable.empty();

    private static final int WAITING = 0;
    private static final int DONE = 1;
    private static final int ABANDONED = 2;

    private static final VarHandle UPSTREAM;
    private static final VarHandle STATE;

    static {
        DISPOSED.dispose();
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UPSTREAM = l.findVarHandle(AwaitObserver.class, "upstream", Disposable.class);
            STATE = l.findVarHandle(AwaitObserver.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private volatile Disposable upstream;
    /** WAITING, then DONE (the outcome is in) or ABANDONED (the coroutine left), once. */
    private volatile int state;

    private T value;
    private Throwable error;
    /** Created only if the coroutine has to wait. */
    private volatile LoopFuture<Void> waiter;
    /** The awaiting coroutine's thread, and whether it is inside subscribe: signals made there cannot race. */
    private final Thread caller = Thread.currentThread();

    boolean subscribing;

    private boolean onCallerDuringSubscribe() {
        return Thread.currentThread() == caller && subscribing;
    }

    AwaitObserver(String what) {
        EventLoop l = EventLoop.running();
        if (l == null) {
            throw new IllegalStateException(what + " must be called inside a coroutine");
        }
        this.loop = l;
    }

    /** After subscribing: the value ({@code null} for none), or the source's error rethrown. */
    T result() {
        if (state == WAITING) {
            LoopFuture<Void> w = loop.createFuture();
            waiter = w;
            if (state == WAITING) {
                try {
                    Async.await(w);
                } catch (RuntimeException | Error e) {
                    abandon();
                    throw e;
                }
            }
        }
        Throwable e = error;
        if (e != null) {
            throw LoopFuture.rethrowable(e);
        }
        return value;
    }

    /** The coroutine stops waiting (cancelled): dispose, or report an error that came in meanwhile. */
    private void abandon() {
        if (STATE.compareAndSet(this, WAITING, ABANDONED)) {
            dispose();
        } else if (error != null) {
            afterLeaving(error);
        }
    }

    /**
     * An error nobody awaits any more: undeliverable, but a cancellation is not reported — it is the
     * echo of our dispose, or the cancel of a source nobody wants.
     */
    private void afterLeaving(Throwable t) {
        if (!(t instanceof CancellationException)) {
            Undeliverable.report(loop, "the source failed after the coroutine awaiting it was cancelled", t, this);
        }
    }

    private void dispose() {
        Disposable d = (Disposable) UPSTREAM.getAndSet(this, DISPOSED);
        if (d != null && d != DISPOSED) {
            d.dispose();
        }
    }

    @Override
    public void onSubscribe(Disposable d) {
        if (onCallerDuringSubscribe()) {
            if (upstream == null) {
                UPSTREAM.setRelease(this, d);
            } else {
                d.dispose();
            }
            return;
        }
        if (!UPSTREAM.compareAndSet(this, null, d)) {
            d.dispose(); // the coroutine gave up before the source called in
        }
    }

    @Override
    public void onSuccess(T t) {
        if (state == DONE) {
            return; // a second outcome breaks the source's contract: RxJava drops a late item; the first stands
        }
        value = t;
        finish();
    }

    @Override
    public void onComplete() {
        finish();
    }

    @Override
    public void onError(Throwable t) {
        if (state == DONE) {
            // signals are serial, so DONE was set by this source's earlier outcome, which stands; we
            // disposed nothing, so even a cancellation is the source's own late error
            Undeliverable.report(loop, "the source failed after it had already signalled its outcome", t, this);
            return;
        }
        error = t;
        if (!finish()) {
            afterLeaving(t);
        }
    }

    /** {@code false} if the coroutine has left. */
    private boolean finish() {
        if (onCallerDuringSubscribe()) {
            if (state != WAITING) {
                return false;
            }
            STATE.setRelease(this, DONE);
            return true;
        }
        if (!STATE.compareAndSet(this, WAITING, DONE)) {
            return false;
        }
        LoopFuture<Void> w = waiter;
        if (w == null) {
            return true;
        }
        if (loop.inLoop()) {
            complete(w);
        } else {
            try {
                loop.callSoonThreadsafe(() -> complete(w));
            } catch (IllegalStateException closedLoop) {
                // the awaiting coroutine is gone with its loop
            }
        }
        return true;
    }

    private static void complete(LoopFuture<Void> w) {
        if (!w.isDone()) {
            w.setResult(null);
        }
    }

    @Override
    public String toString() {
        String[] names = {"waiting", "done", "abandoned"};
        return "RxBridge.await[" + names[state] + "]";
    }
}
