package io.loopbridge.loop;

import java.util.Map;

/**
 * Receives errors that no caller can receive: a callback that threw, a future that failed and was
 * never read, a subscriber that threw. Installed with {@link EventLoop#setExceptionHandler}.
 *
 * <p>The context map has the keys of asyncio: {@code "message"} (always), and where they apply
 * {@code "exception"} (a {@link Throwable}), {@code "handle"}, {@code "future"}, {@code "task"}; the
 * reactive adapters add {@code "subscriber"} (the subscriber, or the subscription it left).
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * Called on the loop's thread.
     *
     * @param loop the loop the error happened on
     * @param context the error's description: {@code "message"} always, other keys as described
     *     above
     */
    void handle(EventLoop loop, Map<String, Object> context);
}
