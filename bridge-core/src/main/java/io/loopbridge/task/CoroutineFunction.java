package io.loopbridge.task;

/**
 * A coroutine that takes an argument: a lambda whose body may {@code Async.await}, run as a task
 * per call (as {@code Reactive.mapAsync} does for each item).
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface CoroutineFunction<T, R> {
    /**
     * Runs the body for {@code argument} on the loop thread of its task, suspending at each {@code
     * Async.await}.
     *
     * @param argument the value the coroutine works on
     * @return the task's result
     * @throws Exception any failure: it fails the task made for this call
     */
    R apply(T argument) throws Exception;
}
