package io.loopbridge.task.internal;

/**
 * A body of code that runs only while someone has handed control to it: {@link #resume()} runs it
 * until it calls {@link #suspend()} or ends, then returns. One fiber per coroutine or generator.
 *
 * <p>Exactly one side runs at a time: the resumer waits inside {@link #resume()} while the fiber
 * runs, and the fiber waits inside {@link #suspend()} while the resumer runs. A failure the body
 * does not catch is rethrown by the {@link #resume()} that saw it end.
 */
public abstract class Fiber {
    /** Runs the fiber until it suspends or ends. Not reentrant. */
    public abstract void resume();

    /**
     * Hands control back to the resumer; returns when resumed again. Only from inside this fiber.
     *
     * @throws FiberKilled if the fiber was {@linkplain #kill() killed} while suspended
     * @throws IllegalStateException if the JVM refuses to suspend here (a pinned continuation)
     */
    public abstract void suspend();

    /** Whether the body has ended. */
    public abstract boolean isDone();

    /** Whether the calling code runs inside this fiber (and not inside a fiber nested in it). */
    public abstract boolean isCurrent();

    /** Where the fiber is suspended, innermost frame first, or an empty array if unknown. */
    public abstract StackTraceElement[] stackTrace();

    /**
     * Ends a suspended fiber by raising {@link FiberKilled} at its {@link #suspend()} so its {@code
     * finally} blocks run and its thread (if any) ends; a fiber that never started just never
     * runs. Called by the resumer.
     */
    public abstract void kill();

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
