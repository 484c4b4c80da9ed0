package io.loopbridge.task;

/**
 * The body of a task: a plain lambda that may {@code Async.await}. Calling another coroutine's
 * body directly is Python's {@code await other()}: it runs in the same task.
 *
 * @param <T> the type of the result ({@code Void} and {@code null} for none)
 */
@FunctionalInterface
public interface Coroutine<T> {
    /**
     * Runs the body on the loop thread of its task, suspending at each {@code Async.await}.
     *
     * @return the task's result
     * @throws Exception any failure: it fails the task, and an awaiting caller sees it rethrown
     */
    T call() throws Exception;
}
