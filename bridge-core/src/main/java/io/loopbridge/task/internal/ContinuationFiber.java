package io.loopbridge.task.internal;

import java.lang.invoke.MethodHandle;

/**
 * A fiber as a {@code jdk.internal.vm.Continuation} run by the resumer's own thread: a switch is
 * a stack freeze/thaw, no thread is involved, and the loop thread never changes owner.
 */
final class ContinuationFiber extends Fiber implements Runnable {
    private static final MethodHandle NEW = Fibers.CONT_NEW;
    private static final MethodHandle RUN = Fibers.CONT_RUN;
    private static final MethodHandle YIELD = Fibers.CONT_YIELD;
    private static final MethodHandle IS_DONE = Fibers.CONT_IS_DONE;
    private static final MethodHandle CURRENT = Fibers.CONT_CURRENT;
    private static final MethodHandle STACK = Fibers.CONT_STACK;
    private static final Object SCOPE = Fibers.SCOPE;

    private final Object continuation;
    private final String name;
    /** The body: a driver's (no extra object per task) or any runnable's. */
    private final Driver driver;

    private final Runnable body;
    private Throwable failure;
    private boolean killed;
    private boolean running;

    ContinuationFiber(String name, Driver driver, Runnable body) {
        this.name = name;
        this.driver = driver;
        this.body = body;
        try {
            this.continuation = (Object) NEW.invokeExact(SCOPE, (Runnable) this);
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
    }

    /** The continuation's entry point: runs the body, keeping an escaping failure for {@link #resume()}. */
    @Override
    public void run() {
        try {
            if (!killed) {
                if (driver != null) {
                    driver.enterBody();
                } else {
                    body.run();
                }
            }
        } catch (FiberKilled expected) {
            // unwound on purpose
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Override
    public void resume() {
        if (running) {
            throw new IllegalStateException("fiber is already running: " + this);
        }
        if (isDone()) {
            throw new IllegalStateException("cannot resume a fiber that has ended");
        }
        running = true;
        try {
            RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw sneakyThrow(t);
        } finally {
            running = false;
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            throw sneakyThrow(f);
        }
    }

    @Override
    public void suspend() {
        try {
            boolean yielded = (boolean) YIELD.invokeExact(SCOPE);
            if (!yielded) {
                throw pinned("unknown reason", null);
            }
        } catch (IllegalStateException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.startsWith("Pinned")) {
                throw pinned(msg.substring(msg.indexOf(':') + 1).trim(), e);
            }
            throw e;
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
        if (killed) {
            throw new FiberKilled();
        }
    }

    private static IllegalStateException pinned(String reason, Throwable cause) {
        String hint = reason.contains("MONITOR")
                ? "it is inside a synchronized block or method; move the await out of it, or use AsyncLock instead of the monitor"
                : reason.contains("NATIVE")
                        ? "a native frame is on its stack (e.g. a callback from native code or a reflective call)"
                        : "see the reason";
        return new IllegalStateException(
                "Cannot suspend this coroutine on the continuation engine (pinned: " + reason + "): " + hint, cause);
    }

    @Override
    public boolean isDone() {
        try {
            return (boolean) IS_DONE.invokeExact(continuation);
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
    }

    @Override
    public boolean isCurrent() {
        try {
            return (Object) CURRENT.invokeExact(SCOPE) == continuation;
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
    }

    @Override
    public StackTraceElement[] stackTrace() {
        if (running) {
            return new StackTraceElement[0];
        }
        try {
            return (StackTraceElement[]) STACK.invokeExact(continuation);
        } catch (Throwable t) {
            return new StackTraceElement[0];
        }
    }

    @Override
    public void kill() {
        if (isDone()) {
            return;
        }
        killed = true;
        resume();
    }

    @Override
    public String toString() {
        return name != null ? name : driver != null ? driver.fiberName() : continuation.toString();
    }
}
