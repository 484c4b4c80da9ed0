package io.loopbridge.task;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.internal.Driver;
import io.loopbridge.task.internal.FiberKilled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Structured concurrency (asyncio's {@code TaskGroup}): the tasks of a group are all done before
 * the code after the group runs; the first failure of one of them cancels the others, and every
 * failure is reported together in a {@link TaskGroupException}. A task that ends cancelled is not
 * a failure.
 *
 * <p>The lambda form has asyncio's semantics in full:
 *
 * <pre>{@code
 * String r = TaskGroup.run(tg -> {          // or Async.taskGroup(tg -> ...)
 *     Task<String> a = tg.createTask(() -> fetch("a"));
 *     Task<String> b = tg.createTask(() -> fetch("b"));
 *     return "both started";
 * });                                       // a and b are done here
 * }</pre>
 *
 * <ul>
 *   <li>The first failure of a task cancels the other tasks and the body: the await the body is
 *       suspended in throws {@link CancellationException}. Once the group is done, it withdraws
 *       that cancellation ({@link Task#uncancel()}), so it is neither reported nor seen again.
 *   <li>An exception of the body cancels the tasks.
 *   <li>Once every task is done, if a task failed or the body failed (other than with the
 *       group's own cancellation), {@link TaskGroupException} is thrown with the tasks' failures,
 *       then the body's.
 *   <li>If the task running the body is cancelled from outside, the group cancels its tasks,
 *       waits for them, and the {@link CancellationException} propagates (unless a task failed:
 *       then the {@link TaskGroupException} is thrown and the task's next await throws the
 *       cancellation again). A deadline ({@link Timeout}) around the group works the same way.
 * </ul>
 *
 * <p>The try-with-resources form, inside a coroutine:
 *
 * <pre>{@code
 * try (TaskGroup tg = new TaskGroup()) {
 *     tg.createTask(() -> fetch("a"));
 *     tg.createTask(() -> fetch("b"));
 * }                                          // close() suspends until both are done
 * }</pre>
 *
 * Java gives {@link #close()} no way to see an exception thrown by the body, so in this form:
 *
 * <ul>
 *   <li>the first failure of a task cancels the other tasks but not the body, which runs on to
 *       {@code close()}; {@code close()} then throws the {@link TaskGroupException};
 *   <li>an exception thrown by the body does <em>not</em> cancel the tasks early: {@code close()}
 *       waits for them to end on their own, then the body's exception propagates with the
 *       group's {@link TaskGroupException}, if any, {@linkplain Throwable#getSuppressed()
 *       suppressed} (Java's rule for try-with-resources);
 *   <li>cancellation is the exception: if the task is being cancelled when {@code close()} starts
 *       (its {@link Task#cancelling()} count is higher than when the group was made), or is
 *       cancelled while {@code close()} waits, the group cancels its tasks before waiting.
 * </ul>
 *
 * Use the lambda form when the body awaits while tasks may fail, or may throw.
 *
 * <p>Tasks are added by the body and by the group's own tasks, also while the group waits for
 * them (asyncio allows it); adding from any other task, once the group is finished, or once it
 * cancels its tasks throws {@link IllegalStateException}. Loop thread only, like the loop.
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>{@code tasks} holds exactly the group's tasks that are not done; each has {@code
 *       onTaskDone} registered, which removes it.
 *   <li>{@code aborting} is set once, when the group first cancels its tasks; no task is added
 *       after that.
 *   <li>{@code parentCancelRequested} (lambda form only) means the group has one cancellation
 *       request outstanding on the parent, which {@code exit} withdraws.
 * </ol>
 */
public final class TaskGroup implements AutoCloseable {
    private final Driver parent;
    private final EventLoop loop;
    /** The lambda form: the body's exceptions are seen, so a failing task may cancel the body. */
    private final boolean lambdaForm;
    /**
     * The parent's {@link Task#cancelling()} when the group was made: a request made since is what
     * tells the try-with-resources form that its body is being cancelled.
     */
    private final int cancellingAtEntry;

    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final Consumer<LoopFuture<?>> onTaskDone = this::onTaskDone;
    /** Completed by the last task to end while {@code exit} waits. */
    private LoopFuture<Void> allDone;

    private boolean exiting;
    private boolean aborting;
    private boolean finished;
    private boolean parentCancelRequested;

    /**
     * A group for a try-with-resources block of the calling coroutine.
     *
     * @throws IllegalStateException outside a coroutine
     */
    public TaskGroup() {
        this(Driver.current("new TaskGroup()"), false);
    }

    private TaskGroup(Driver parent, boolean lambdaForm) {
        this.parent = parent;
        this.loop = parent.loop();
        this.lambdaForm = lambdaForm;
        this.cancellingAtEntry = parent.cancelling();
    }

    /**
     * The body of {@link #run(Body)}: creates the group's tasks, may await, returns a value.
     *
     * @param <T> the type of the value the body returns
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Runs on the loop thread, inside the group's task.
         *
         * @param group the group to create tasks in; usable only until this body and its tasks end
         * @return the value {@link TaskGroup#run(Body)} returns once every task of the group is done
         * @throws Exception a failure, which cancels the group's tasks and is reported with theirs in
         *     a {@link TaskGroupException}
         */
        T run(TaskGroup group) throws Exception;
    }

    /**
     * Runs {@code body} with a new group, waits until every task of the group is done and returns
     * what the body returned. See the class documentation for how failures and cancellation
     * propagate.
     *
     * @param body creates the group's tasks; run at once on the calling coroutine; not null
     * @param <T> the type of the body's result
     * @return what {@code body} returned, once every task of the group is done
     * @throws NullPointerException if {@code body} is null
     * @throws TaskGroupException if a task failed, or the body failed
     * @throws CancellationException if the calling task was cancelled
     * @throws IllegalStateException outside a coroutine
     */
    public static <T> T run(Body<T> body) {
        Objects.requireNonNull(body, "body");
        TaskGroup group = new TaskGroup(Driver.current("TaskGroup.run()"), true);
        T result = null;
        Throwable failure = null;
        try {
            result = body.run(group);
        } catch (FiberKilled killed) {
            throw killed; // the loop closed under the body: nothing can be awaited any more
        } catch (Throwable e) {
            failure = e;
        }
        group.exit(failure);
        return result;
    }

    /**
     * {@link #createTask(Coroutine, String)} with the default name.
     *
     * @param coroutine the body of the task; not null
     * @param <T> the type of the task's result
     * @return the task, already scheduled to start on the group's loop
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /**
     * Starts {@code coroutine} as a task of this group.
     *
     * @param coroutine the body of the task; not null
     * @param name the task's name; {@code null} for the default {@code Task-N}
     * @param <T> the type of the task's result
     * @return the task, already scheduled to start on the group's loop; the group waits for it
     * @throws NullPointerException if {@code coroutine} is null
     * @throws IllegalStateException if the group is finished or is cancelling its tasks, or the
     *     caller is neither the task that created the group nor one of its tasks
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        loop.checkOwner("TaskGroup.createTask");
        if (finished || (exiting && tasks.isEmpty())) {
            throw new IllegalStateException("TaskGroup is finished: " + this);
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup is shutting down: " + this);
        }
        Driver caller = Driver.currentOrNull();
        if (caller != parent && (caller == null || !tasks.contains(caller.owner()))) {
            throw new IllegalStateException("TaskGroup.createTask() must be called by the task that created the group ("
                    + parent.owner() + ") or by one of the group's tasks, not by "
                    + (caller == null ? "code outside a coroutine" : caller.owner()));
        }
        Task<T> task = loop.createTask(coroutine, name);
        tasks.add(task);
        task.addDoneCallback(onTaskDone);
        return task;
    }

    /**
     * Suspends the calling coroutine until every task of the group is done; throws {@link
     * TaskGroupException} if any failed. Called by try-with-resources; idempotent.
     *
     * @throws IllegalStateException if called by another task than the one that created the
     *     group, or on the group of {@link #run(Body)}
     */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        if (lambdaForm) {
            throw new IllegalStateException("The group of TaskGroup.run() closes when its body returns: " + this);
        }
        if (Driver.currentOrNull() != parent) {
            throw new IllegalStateException("TaskGroup.close() must be called by the task that created the group ("
                    + parent.owner() + "): " + this);
        }
        exit(null);
    }

    /** asyncio's {@code TaskGroup.__aexit__}; {@code bodyError} is known in the lambda form only. */
    private void exit(Throwable bodyError) {
        exiting = true;
        // A timeout of the body's own (Async.waitFor) is a failure; the deadline of an enclosing
        // Timeout, like any cancellation of the parent, is a cancellation.
        boolean bodyCancelled = bodyError instanceof CancellationException
                && (!(bodyError instanceof AsyncTimeoutException) || parent.cancelling() > cancellingAtEntry);
        CancellationException propagate = bodyCancelled ? (CancellationException) bodyError : null;
        if (bodyError != null || (!lambdaForm && parent.cancelling() > cancellingAtEntry)) {
            abort();
        }
        while (!tasks.isEmpty()) {
            allDone = loop.createFuture();
            try {
                parent.await(allDone);
            } catch (CancellationException e) {
                // the parent is cancelled (by the group or from outside): cancel the tasks, keep waiting
                if (propagate == null) {
                    propagate = e;
                }
                abort();
            }
            allDone = null;
        }
        finished = true;
        if (parentCancelRequested) {
            parentCancelRequested = false;
            if (parent.uncancel(false) == 0) {
                propagate = null; // only the group's own request was pending
            }
        }
        if (bodyError != null && !bodyCancelled) {
            errors.add(bodyError);
        }
        if (errors.isEmpty()) {
            if (propagate != null) {
                throw propagate;
            }
            return;
        }
        if (parent.cancelling() > 0 && (lambdaForm || propagate != null)) {
            // The TaskGroupException replaces a CancellationException: re-arm it for the next await,
            // keeping the request count (asyncio's uncancel(); cancel()).
            parent.uncancel(false);
            parent.requestCancel(parent.cancelMessage(), false);
        }
        throw new TaskGroupException(errors);
    }

    private void abort() {
        if (aborting) {
            return;
        }
        aborting = true;
        for (Task<?> t : List.copyOf(tasks)) {
            t.cancel();
        }
    }

    private void onTaskDone(LoopFuture<?> task) {
        tasks.remove(task);
        if (tasks.isEmpty() && allDone != null && !allDone.isDone()) {
            allDone.setResult(null);
        }
        if (task.isCancelled()) {
            return;
        }
        Throwable e = task.exception();
        if (e == null) {
            return;
        }
        errors.add(e);
        if (!exiting && parentDone()) {
            // a group that was never closed: nobody is left to receive the failure
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("message", "Task of a TaskGroup failed after the task that created the group ended");
            ctx.put("exception", e);
            ctx.put("task", task);
            ctx.put("group", this);
            loop.callExceptionHandler(ctx);
            return;
        }
        if (!aborting) {
            abort();
            if (lambdaForm) {
                parentCancelRequested = parent.requestCancel("a task of the TaskGroup failed", false);
            }
        }
    }

    private boolean parentDone() {
        Object owner = parent.owner();
        return owner instanceof LoopFuture && ((LoopFuture<?>) owner).isDone();
    }

    @Override
    public String toString() {
        String state = finished ? "finished" : aborting ? "shutting down" : exiting ? "exiting" : "open";
        return "TaskGroup[" + state + " tasks=" + tasks.size() + " errors=" + errors.size() + "]";
    }
}
