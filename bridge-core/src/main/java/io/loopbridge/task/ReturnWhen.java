package io.loopbridge.task;

/** When {@code Async.wait} returns (asyncio's {@code return_when} constants). */
public enum ReturnWhen {
    /** As soon as any awaitable is done (with a result, a failure or cancelled). */
    FIRST_COMPLETED,
    /**
     * As soon as any awaitable fails, or when all are done; a cancelled awaitable is not a failure.
     */
    FIRST_EXCEPTION,
    /** When all awaitables are done. */
    ALL_COMPLETED
}
