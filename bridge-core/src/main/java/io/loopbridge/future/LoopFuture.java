package io.loopbridge.future;

import io.loopbridge.context.Context;
import io.loopbridge.internal.CurrentContext;
import io.loopbridge.internal.LiveTask;
import io.loopbridge.loop.EventLoop;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The outcome of an operation that completes later on an {@link EventLoop} (asyncio's {@code
 * Future}).
 *
 * <p>Not thread-safe: like the loop's other state, a future is read and completed on its loop's
 * thread. From other threads, complete it through {@link EventLoop#callSoonThreadsafe}, or build it
 * with {@link #from(EventLoop, CompletionStage)}. Done callbacks never run inline: they are
 * scheduled with {@link EventLoop#callSoon} when the future completes, in registration order.
 *
 * @param <T> the type of the result
 */
public class LoopFuture<T> implements Awaitable<T> {
    private static final Cleaner CLEANER = Cleaner.create();
    /** The outcome of a future whose result is {@code null}. */
    private static final Object NULL_RESULT = new Object();
    /** The outcome of a future cancelled without a message. */
    private static final Abnormal CANCELLED = Abnormal.cancelled(null);

    private final EventLoop loop;
    /**
     * The state and the outcome in one field: null while pending, an {@link Abnormal} once failed
     * or cancelled, else the result ({@link #NULL_RESULT} for null). A future is 24 bytes, not
     * the 32 that a state field and a tracker of unread failures took.
     */
    private Object outcome;
    /** null, one {@code Consumer}, or an {@code ArrayList} of them; most futures have one waiter. */
    private Object callbacks;

    /**
     * A pending future bound to {@code loop}; see also {@link EventLoop#createFuture()}.
     *
     * @param loop the loop whose thread completes the future and runs its callbacks; not null
     */
    public LoopFuture(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * A future of {@code loop} that completes with {@code stage}'s outcome. The stage may complete
     * on any thread: the outcome hops onto the loop. Cancelling the future cancels the stage when
     * the stage supports it ({@link CompletionStage#toCompletableFuture()}).
     *
     * @param loop the loop the future belongs to; not null. If it is closed when the stage
     *     completes, the outcome is dropped and the future stays pending
     * @param stage the stage whose value, failure or cancellation the future takes; a {@link
     *     CompletionException} is unwrapped; not null
     * @param <T> the type of the result
     * @return a new pending future of {@code loop}
     * @throws NullPointerException if {@code loop} or {@code stage} is null
     */
    public static <T> LoopFuture<T> from(EventLoop loop, CompletionStage<T> stage) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(stage, "stage");
        LoopFuture<T> future = new LoopFuture<>(loop);
        stage.whenComplete((value, error) -> {
            if (loop.inLoop()) {
                future.completeFrom(value, error);
            } else {
                try {
                    loop.callSoonThreadsafe(() -> future.completeFrom(value, error));
                } catch (IllegalStateException closed) {
                    // the loop is gone: nobody can observe the outcome
                }
            }
        });
        future.addDoneCallback(f -> {
            if (f.isCancelled()) {
                try {
                    stage.toCompletableFuture().cancel(false);
                } catch (UnsupportedOperationException notCancellable) {
                    // a minimal stage: nothing to cancel
                }
            }
        });
        return future;
    }

    /**
     * {@link #from(EventLoop, CompletionStage)} on the loop running on this thread.
     *
     * @param stage the stage whose outcome the future takes; not null
     * @param <T> the type of the result
     * @return a new pending future of the running loop
     * @throws IllegalStateException if no event loop runs on this thread
     */
    public static <T> LoopFuture<T> from(CompletionStage<T> stage) {
        EventLoop loop = EventLoop.running();
        if (loop == null) {
            throw new IllegalStateException(
                    "LoopFuture.from(stage) needs a running event loop on this thread; pass the loop explicitly");
        }
        return from(loop, stage);
    }

    private void completeFrom(T value, Throwable error) {
        if (outcome != null) {
            return;
        }
        if (error == null) {
            setResult(value);
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            cancel(cause.getMessage());
        } else {
            setException(cause);
        }
    }

    /** {@return the loop this future belongs to, whose thread runs its done callbacks} */
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public final LoopFuture<T> future() {
        return this;
    }

    /** {@return whether the future has a result, a failure, or was cancelled} */
    public final boolean isDone() {
        return outcome != null;
    }

    /** {@return whether the future was cancelled} */
    public final boolean isCancelled() {
        Object o = outcome;
        return o instanceof Abnormal && ((Abnormal) o).error == null;
    }

    /**
     * The result. A failure is rethrown: a {@link RuntimeException} or {@link Error} as it is, a
     * checked exception wrapped in {@link CompletionException}.
     *
     * @return the value the future was completed with; may be null
     * @throws IllegalStateException if the future is not done
     * @throws CancellationException if the future was cancelled
     */
    @SuppressWarnings("unchecked")
    public final T result() {
        Object o = outcome;
        if (o == null) {
            throw new IllegalStateException("Result is not ready: " + this);
        }
        if (o instanceof Abnormal) {
            throw rethrowable(((Abnormal) o).retrieve());
        }
        return o == NULL_RESULT ? null : (T) o;
    }

    /**
     * The failure, or {@code null} if the future has a result.
     *
     * @return the exception the future failed with, as it was set; {@code null} if it has a result
     * @throws IllegalStateException if the future is not done
     * @throws CancellationException if the future was cancelled
     */
    public final Throwable exception() {
        Object o = outcome;
        if (o == null) {
            throw new IllegalStateException("Exception is not set: " + this);
        }
        return o instanceof Abnormal ? ((Abnormal) o).retrieve() : null;
    }

    /**
     * A {@link RuntimeException} or {@link Error} as it is, anything else wrapped in {@link CompletionException}.
     *
     * @param t the failure to rethrow
     * @return {@code t} itself if it is a {@link RuntimeException}, else a new {@link
     *     CompletionException} with {@code t} as its cause; the caller throws it
     * @throws Error {@code t} itself, thrown at once rather than returned, if it is an {@link Error}
     */
    public static RuntimeException rethrowable(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new CompletionException(t);
    }

    /**
     * Completes the future with {@code value} and schedules the done callbacks.
     *
     * @param value the result; may be null
     * @throws IllegalStateException if the future is already done
     */
    public void setResult(T value) {
        checkPending("setResult");
        outcome = value == null ? NULL_RESULT : value;
        scheduleCallbacks();
    }

    /**
     * Fails the future with {@code error} and schedules the done callbacks.
     *
     * @param error the failure that {@link #result()} rethrows and {@link #exception()} returns; not
     *     null
     * @throws NullPointerException if {@code error} is null
     * @throws IllegalStateException if the future is already done
     */
    public void setException(Throwable error) {
        Objects.requireNonNull(error, "error");
        checkPending("setException");
        UnreadFailure unread = null;
        if (loop.isDebug()) {
            unread = new UnreadFailure(loop, error, toString());
            CLEANER.register(this, unread);
        }
        outcome = Abnormal.failed(error, unread);
        scheduleCallbacks();
    }

    /**
     * Cancels the future; {@code false} if it was already done.
     *
     * @return {@code true} if this call cancelled the future (for a task: requested cancellation);
     *     {@code false} if it was already done
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future with {@code message} (carried by the {@link CancellationException} that
     * readers get) and schedules the done callbacks; {@code false} if it was already done.
     *
     * @param message the message of the {@link CancellationException}; may be null
     * @return {@code true} if this call cancelled the future; {@code false} if it was already done
     * @throws IllegalStateException if called from another thread than the running loop's
     */
    public boolean cancel(String message) {
        loop.checkOwner("cancel");
        if (outcome != null) {
            return false;
        }
        outcome = message == null ? CANCELLED : Abnormal.cancelled(message);
        scheduleCallbacks();
        return true;
    }

    /** {@return the message given to {@link #cancel(String)}, or {@code null}} */
    protected final String cancelMessage() {
        Object o = outcome;
        return o instanceof Abnormal ? ((Abnormal) o).message : null;
    }

    /** {@return a fresh {@link CancellationException} carrying the cancel message} */
    protected final CancellationException cancellationException() {
        return new CancellationException(cancelMessage());
    }

    /**
     * Adds {@code callback}, called with this future once it is done, through {@link
     * EventLoop#callSoon}; if the future is already done, it is scheduled at once. It runs in a copy
     * of the {@link Context} current now, as asyncio's {@code add_done_callback}, not in that of the
     * code that completes the future.
     *
     * @param callback called on the loop thread with this future, once per registration; not null
     * @throws IllegalStateException if called from another thread than the running loop's
     */
    @SuppressWarnings("unchecked")
    public final void addDoneCallback(Consumer<? super LoopFuture<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        loop.checkOwner("addDoneCallback");
        if (outcome != null) {
            loop.callSoon(() -> callback.accept(this));
            return;
        }
        // a coroutine's driver sets up its own context when it steps: it needs none captured
        Object cb = CurrentContext.inUse() && !(callback instanceof LiveTask)
                ? new InContext<T>(callback, Context.copyCurrent())
                : callback;
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = cb;
        } else if (cbs instanceof ArrayList) {
            ((ArrayList<Object>) cbs).add(cb);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(cbs);
            list.add(cb);
            callbacks = list;
        }
    }

    /** A done callback and a copy of the context it was added from, in which it runs. */
    private static final class InContext<T> implements Consumer<LoopFuture<T>> {
        final Consumer<? super LoopFuture<T>> callback;
        private final Context context;

        InContext(Consumer<? super LoopFuture<T>> callback, Context context) {
            this.callback = callback;
            this.context = context;
        }

        @Override
        public void accept(LoopFuture<T> future) {
            Object previous = CurrentContext.swap(context);
            try {
                callback.accept(future);
            } finally {
                CurrentContext.swap(previous);
            }
        }
    }

    private static boolean registers(Object registered, Object callback) {
        return registered.equals(callback)
                || (registered instanceof InContext && ((InContext<?>) registered).callback.equals(callback));
    }

    /**
     * Removes every registration of {@code callback}; returns how many were removed.
     *
     * @param callback the callback to remove, compared with {@code equals}
     * @return how many registrations were removed; 0 if none, or if the callbacks were already
     *     scheduled
     */
    @SuppressWarnings("unchecked")
    public final int removeDoneCallback(Consumer<? super LoopFuture<T>> callback) {
        loop.checkOwner("removeDoneCallback");
        Object cbs = callbacks;
        if (cbs == null) {
            return 0;
        }
        if (cbs instanceof ArrayList) {
            ArrayList<Object> list = (ArrayList<Object>) cbs;
            int before = list.size();
            list.removeIf(c -> registers(c, callback));
            return before - list.size();
        }
        if (registers(cbs, callback)) {
            callbacks = null;
            return 1;
        }
        return 0;
    }

    /**
     * A {@link CompletableFuture} that completes with this future's outcome (from the loop's
     * thread). Cancelling it cancels this future.
     *
     * @return a new {@link CompletableFuture}, completed on the loop thread once this future is done
     * @throws IllegalStateException if called from another thread than the running loop's
     */
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean done = super.cancel(mayInterruptIfRunning);
                if (done && !loop.isClosed()) {
                    try {
                        loop.callSoonThreadsafe(() -> LoopFuture.this.cancel());
                    } catch (IllegalStateException closedMeanwhile) {
                        // the loop closed after the check: nothing left to cancel there
                    }
                }
                return done;
            }
        };
        addDoneCallback(f -> {
            Object o = f.outcome;
            if (o instanceof Abnormal) {
                Abnormal a = (Abnormal) o;
                cf.completeExceptionally(a.error == null ? f.cancellationException() : a.retrieve());
            } else {
                @SuppressWarnings("unchecked")
                T value = o == NULL_RESULT ? null : (T) o;
                cf.complete(value);
            }
        });
        return cf;
    }

    private void checkPending(String method) {
        loop.checkOwner(method);
        if (outcome != null) {
            throw new IllegalStateException(method + "() on a future that is already done: " + this);
        }
    }

    @SuppressWarnings("unchecked")
    private void scheduleCallbacks() {
        Object cbs = callbacks;
        if (cbs == null) {
            return;
        }
        callbacks = null;
        if (cbs instanceof ArrayList) {
            for (Object cb : (ArrayList<Object>) cbs) {
                Consumer<? super LoopFuture<T>> c = (Consumer<? super LoopFuture<T>>) cb;
                loop.callSoon(() -> c.accept(this));
            }
        } else {
            Consumer<? super LoopFuture<T>> c = (Consumer<? super LoopFuture<T>>) cbs;
            loop.callSoon(() -> c.accept(this));
        }
    }

    /** {@return a short state description for {@link #toString()}, such as {@code pending}} */
    protected String describeState() {
        Object o = outcome;
        if (o == null) {
            return "pending";
        }
        if (o instanceof Abnormal) {
            Abnormal a = (Abnormal) o;
            if (a.error != null) {
                return "finished exception=" + a.error;
            }
            return a.message == null ? "cancelled" : "cancelled message='" + a.message + "'";
        }
        return "finished result=" + (o == NULL_RESULT ? null : o);
    }

    /** A failure ({@code error} set) or a cancellation ({@code error} null, with its message). */
    private static final class Abnormal {
        final Throwable error;
        final String message;
        /** Set in debug mode: reports the failure if nobody reads it. */
        private final UnreadFailure unread;

        private Abnormal(Throwable error, String message, UnreadFailure unread) {
            this.error = error;
            this.message = message;
            this.unread = unread;
        }

        static Abnormal failed(Throwable error, UnreadFailure unread) {
            return new Abnormal(error, null, unread);
        }

        static Abnormal cancelled(String message) {
            return new Abnormal(null, message, null);
        }

        /** The failure, now read; throws a fresh {@link CancellationException} if cancelled. */
        Throwable retrieve() {
            if (error == null) {
                throw new CancellationException(message);
            }
            if (unread != null) {
                unread.retrieved = true;
            }
            return error;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describeState() + "]";
    }

    /** Cleaner action: reports a failure that was never read once the future is unreachable. */
    private static final class UnreadFailure implements Runnable {
        private final EventLoop loop;
        private final Throwable error;
        private final String description;
        volatile boolean retrieved;

        UnreadFailure(EventLoop loop, Throwable error, String description) {
            this.loop = loop;
            this.error = error;
            this.description = description;
        }

        @Override
        public void run() {
            if (retrieved) {
                return;
            }
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("message", "Future exception was never retrieved");
            ctx.put("exception", error);
            ctx.put("future", description);
            try {
                loop.callSoonThreadsafe(() -> loop.callExceptionHandler(ctx));
            } catch (IllegalStateException closed) {
                loop.defaultExceptionHandler(ctx);
            }
        }
    }
}
