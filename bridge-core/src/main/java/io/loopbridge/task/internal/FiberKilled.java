package io.loopbridge.task.internal;

/**
 * Raised inside a fiber that is {@linkplain Fiber#kill() killed} because its loop closed with it
 * still suspended. An {@link Error} so that ordinary {@code catch (Exception e)} blocks let it pass.
 */
public final class FiberKilled extends Error {
    private static final long serialVersionUID = 1L;

    public FiberKilled() {
        super("the event loop closed while this coroutine was suspended", null, false, false);
    }
}
