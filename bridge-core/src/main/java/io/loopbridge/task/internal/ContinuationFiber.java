package io.loopbridge.task.internal;

import java.lang.invoke.MethodHandle;

/**
 * A fiber as a {@code jdk.internal.vm.Continuation} run by the resumer's own thread: a switch is
 * a stack freeze/thaw, no thread is involved, and the loop thread never changes owner.
 *
 * <p>A generator's body runs on one; a {@link Driver} (a task) holds its continuation itself,
 * whose target is an entry shared by the loop's drivers, through the static operations here.
 */
final class ContinuationFiber extends Fiber implements Runnable {
    private static final MethodHandle NEW = Fibers.CONT_NEW;
    private static final MethodHandle RUN = Fibers.CONT_RUN;
    private static final MethodHandle YIELD = Fibers.CONT_YIELD;
    private static final MethodHandle IS_DONE = Fibers.CONT_IS_DONE;
    private static final MethodHandle CURRENT = Fibers.CONT_CURRENT;
    private static final MethodHandle STACK = Fibers.CONT_STACK;
    private static final MethodHandle PARENT = Fibers.CONT_PARENT;
    private static final Object SCOPE = Fibers.SCOPE;

    private final Object continuation;
    private final String name;
    private final Runnable body;
    private Throwable failure;
    private boolean killed;
    private boolean running;

    ContinuationFiber(String name, Runnable body) {
        this.name = name;
        this.body = body;
        this.continuation = newContinuation(this);
    }

    /** The continuation's entry point: runs the body, keeping an escaping failure for {@link #resume()}. */
    @Override
    public void run() {
        try {
            if (!killed) {
                body.run();
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
            run(continuation);
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
        yieldNow();
        if (killed) {
            throw new FiberKilled();
        }
    }

    // The bare-continuation operations, shared with Driver, whose continuation runs its loop's
    // shared entry: on this engine a task has no fiber object at all.

    /** A new continuation in the loopbridge scope running {@code target}. */
    static Object newContinuation(Runnable target) {
        try {
            return (Object) NEW.invokeExact(SCOPE, target);
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
    }

    /** Runs {@code continuation} until it yields or ends; what its target throws propagates. */
    static void run(Object continuation) {
        try {
            RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
    }

    /** Yields the current continuation, or throws explaining why the JVM pinned it. */
    static void yieldNow() {
        boolean yielded;
        try {
            yielded = (boolean) YIELD.invokeExact(SCOPE);
        } catch (Throwable t) {
            throw yieldFailure(t);
        }
        if (!yielded) {
            throw pinned("unknown reason", null);
        }
    }

    private static RuntimeException yieldFailure(Throwable t) {
        if (t instanceof IllegalStateException) {
            String msg = String.valueOf(t.getMessage());
            if (msg.startsWith("Pinned")) {
                return pinned(msg.substring(msg.indexOf(':') + 1).trim(), t);
            }
        }
        return sneakyThrow(t);
    }

    static boolean isDone(Object continuation) {
        try {
            return (boolean) IS_DONE.invokeExact(continuation);
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
    }

    /** The continuation running on the calling thread in the loopbridge scope, or null. */
    static Object current() {
        try {
            return (Object) CURRENT.invokeExact(SCOPE);
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
    }

    /** Whether {@code continuation} runs on the calling thread (it or one it runs is the current one). */
    static boolean isMounted(Object continuation) {
        try {
            for (Object c = current(); c != null; c = (Object) PARENT.invokeExact(c)) {
                if (c == continuation) {
                    return true;
                }
            }
            return false;
        } catch (Throwable t) {
            throw sneakyThrow(t);
        }
    }

    /** Where a continuation that is not running waits, innermost first; empty if unknown. */
    static StackTraceElement[] stackTrace(Object continuation) {
        try {
            return (StackTraceElement[]) STACK.invokeExact(continuation);
        } catch (Throwable t) {
            return new StackTraceElement[0];
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
        return isDone(continuation);
    }

    @Override
    public boolean isCurrent() {
        return current() == continuation;
    }

    @Override
    public StackTraceElement[] stackTrace() {
        return running ? new StackTraceElement[0] : stackTrace(continuation);
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
        return name != null ? name : continuation.toString();
    }
}
