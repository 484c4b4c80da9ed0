package io.loopbridge.future;

/**
 * Anything a coroutine can {@code Async.await}: a {@link LoopFuture}, a task, or an adapter that
 * exposes its outcome as a future of the loop.
 *
 * @param <T> the type of the result
 */
public interface Awaitable<T> {
    /** {@return the loop whose coroutines may await this; its outcome is delivered on that loop} */
    io.loopbridge.loop.EventLoop loop();

    /** {@return the future that carries this awaitable's outcome; for a {@link LoopFuture}, itself} */
    LoopFuture<T> future();
}
