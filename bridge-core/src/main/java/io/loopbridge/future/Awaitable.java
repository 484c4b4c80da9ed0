package io.loopbridge.future;

/**
 * Anything a coroutine can {@code Async.await}: a {@link LoopFuture}, a task, or an adapter that
 * exposes its outcome as a future of the loop.
 *
 * @param <T> the type of the result
 */
public interface Awaitable<T> {
    /** The loop whose coroutines may await this. */
    io.loopbridge.loop.EventLoop loop();

    /** The future that carries this awaitable's outcome; for a {@link LoopFuture}, itself. */
    LoopFuture<T> future();
}
