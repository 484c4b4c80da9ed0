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
    R apply(T argument) throws Exception;
}
