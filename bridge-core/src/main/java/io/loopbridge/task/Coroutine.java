package io.loopbridge.task;

/**
 * The body of a task: a plain lambda that may {@code Async.await}. Calling another coroutine's
 * body directly is Python's {@code await other()}: it runs in the same task.
 *
 * @param <T> the type of the result ({@code Void} and {@code null} for none)
 */
@FunctionalInterface
public interface Coroutine<T> {
    T call() throws Exception;
}
