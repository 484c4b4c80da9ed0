package io.loopbridge.loop;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.Task;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link EventLoop#runCoroutineThreadsafe} returns: made on the caller's thread, it starts a
 * task on the loop and completes with the task's outcome; cancelling it cancels the task.
 *
 * <p>{@code task} is touched only on the loop (by {@link #start} and by the hop a cancellation
 * makes), so the loop's queue orders the two without a lock: a cancellation that arrives before
 * {@link #start} leaves nothing to start, one that arrives after finds the task.
 */
final class CompletableFutureFromTask<T> extends CompletableFuture<T> {
    private final EventLoop loop;
    private final Coroutine<T> coroutine;
    /** Loop thread only; null until {@link #start} ran. */
    private Task<T> task;

    CompletableFutureFromTask(EventLoop loop, Coroutine<T> coroutine) {
        this.loop = loop;
        this.coroutine = coroutine;
    }

    /** Loop thread: creates the task unless the future was cancelled before the loop got here. */
    void start() {
        if (isCancelled()) {
            return; // as asyncio: the coroutine's body never runs
        }
        task = loop.createTask(coroutine);
        task.addDoneCallback(this::completeFrom);
    }

    /**
     * The loop closed with this future not complete: a task that ended in the last lap (its done
     * callback dropped with the rest of the queue) still hands over its outcome; otherwise the
     * caller learns that the coroutine will never finish.
     */
    void loopClosed() {
        if (task != null && task.isDone()) {
            completeFrom(task);
        } else {
            completeExceptionally(new IllegalStateException("The event loop was closed before the coroutine of "
                    + "runCoroutineThreadsafe finished; cancel or await such futures before closing the loop"));
        }
    }

    private void completeFrom(LoopFuture<T> done) {
        Throwable error;
        try {
            error = done.exception();
        } catch (CancellationException cancelled) {
            error = cancelled;
        }
        if (error != null) {
            completeExceptionally(error);
        } else {
            complete(done.result());
        }
    }

    /** Cancels this future at once and its task on the loop; {@code mayInterruptIfRunning} has no effect. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            try {
                loop.callSoonThreadsafe(this::cancelTask);
            } catch (IllegalStateException closed) {
                // the loop is closed: its tasks will never run again
            }
        }
        return cancelled;
    }

    private void cancelTask() {
        if (task != null) {
            task.cancel();
        }
    }
}
