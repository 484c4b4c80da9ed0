package io.loopbridge.rxjava;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.Exceptions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One subscription to a {@code Single}, {@code Maybe} or {@code Completable} of {@link RxBridge}:
 * obtains its future on the loop (a new task, or an awaitable's shared future), hands the outcome to
 * the observer from the loop, and is the {@link Disposable} the observer holds.
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>{@code state} leaves {@code ACTIVE} once, to {@code DONE} (the outcome goes to the
 *       observer) or to {@code DISPOSED}; only the thread that moves it acts, so the observer gets
 *       at most one signal and none after a dispose. {@link #isDisposed()} is true in both.
 *   <li>Dispose (any thread) cancels the task on the loop; a task so cancelled ends in silence. A
 *       task that fails anyway after the dispose is reported as {@link Undeliverable}.
 *   <li>A shared awaitable is never cancelled and its failure stays with its owner: a dispose only
 *       removes this subscription's done callback.
 * </ol>
 */
final class FutureDisposable<T> implements Disposable, Consumer<LoopFuture<T>>, Runnable {
    private static final int ACTIVE = 0;
    private static final int DONE = 1;
    private static final int DISPOSED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(FutureDisposable.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final Supplier<LoopFuture<T>> source;
    private final boolean ownsFuture;
    /** The {@code Single}, {@code Maybe} or {@code Completable} subscribed to, for messages. */
    private final Object parent;

    private final Consumer<? super T> onValue;
    private final Consumer<? super Throwable> onError;
    private volatile int state;
    /** Loop only. */
    private LoopFuture<T> future;

    /**
     * {@code ownsFuture}: the future is this subscription's own task, cancelled by a dispose. {@code
     * onValue} receives the result, {@code null} included.
     */
    FutureDisposable(
            EventLoop loop,
            Supplier<LoopFuture<T>> source,
            boolean ownsFuture,
            Object parent,
            Consumer<? super T> onValue,
            Consumer<? super Throwable> onError) {
        this.loop = loop;
        this.source = source;
        this.ownsFuture = ownsFuture;
        this.parent = parent;
        this.onValue = onValue;
        this.onError = onError;
    }

    /** After the observer's {@code onSubscribe}: obtains the future on the loop. Any thread. */
    void start() {
        if (loop.inLoop()) {
            run();
            return;
        }
        try {
            loop.callSoonThreadsafe(this);
        } catch (IllegalStateException closedLoop) {
            if (STATE.compareAndSet(this, ACTIVE, DONE)) {
                signalError(new IllegalStateException("Event loop is closed: " + parent + " cannot run"));
            }
        }
    }

    /** On the loop. */
    @Override
    public void run() {
        if (state != ACTIVE) {
            return;
        }
        LoopFuture<T> f;
        try {
            f = source.get();
        } catch (Throwable t) {
            Exceptions.throwIfFatal(t);
            if (STATE.compareAndSet(this, ACTIVE, DONE)) {
                signalError(t);
            }
            return;
        }
        future = f;
        f.addDoneCallback(this);
    }

    /** The future's done callback, on the loop. */
    @Override
    public void accept(LoopFuture<T> f) {
        if (!STATE.compareAndSet(this, ACTIVE, DONE)) {
            if (ownsFuture && !f.isCancelled() && f.exception() != null) {
                Undeliverable.report(loop, parent + " failed after its observer disposed it", f.exception(), f);
            }
            return;
        }
        if (f.isCancelled()) {
            signalError(new CancellationException("the awaitable was cancelled: " + f));
            return;
        }
        Throwable e = f.exception();
        if (e != null) {
            signalError(e);
            return;
        }
        T value = f.result();
        try {
            onValue.accept(value);
        } catch (Throwable t) {
            Exceptions.throwIfFatal(t);
            Undeliverable.report(loop, "the observer of " + parent + " threw from onSuccess/onComplete", t, f);
        }
    }

    private void signalError(Throwable e) {
        try {
            onError.accept(e);
        } catch (Throwable t) {
            Exceptions.throwIfFatal(t);
            t.addSuppressed(e);
            Undeliverable.report(loop, "the observer of " + parent + " threw from onError", t, parent);
        }
    }

    @Override
    public void dispose() {
        if (!STATE.compareAndSet(this, ACTIVE, DISPOSED)) {
            return;
        }
        if (loop.inLoop()) {
            release();
        } else {
            try {
                loop.callSoonThreadsafe(this::release);
            } catch (IllegalStateException closedLoop) {
                // the loop closed its tasks with it
            }
        }
    }

    /** On the loop, after a dispose: cancel our task, or stop listening to a shared awaitable. */
    private void release() {
        LoopFuture<T> f = future;
        if (f == null) {
            return; // run() has not happened yet and will see DISPOSED
        }
        if (ownsFuture) {
            if (!f.isDone()) {
                f.cancel();
            }
        } else {
            f.removeDoneCallback(this);
        }
    }

    @Override
    public boolean isDisposed() {
        return state != ACTIVE;
    }

    @Override
    public String toString() {
        String[] names = {"active", "done", "disposed"};
        return "FutureDisposable[" + names[state] + " " + parent + "]";
    }
}
