package io.loopbridge.task.internal;

import io.loopbridge.internal.LoopAccess;

/**
 * A task body started inline on one of its loop's role threads (thread engines, {@code
 * -Dloopbridge.loopRole}): it keeps that thread for life. The loop's thread object is itself the
 * fiber (its class extends this one), so a suspended task holds no object for it beyond the thread's
 * own; once the body ends the thread may run another, so its driver drops it ({@link Driver}).
 *
 * <p>It is never resumed by a call: the loop's role is handed to its thread ({@link
 * LoopAccess#roleResume}), and it suspends by going on with the loop's laps there ({@link
 * LoopAccess#roleSuspend}). The fiber is the loop's token for the thread in those calls.
 */
public abstract class RoleFiber extends Fiber {
    private static final LoopAccess LOOPS = LoopAccess.get();

    /** The context the thread's slot held around the body, put back while the body is suspended. */
    Object outerContext;

    /** For the loop's thread class. */
    protected RoleFiber() {}

    @Override
    public final void resume() {
        throw new IllegalStateException("a role fiber is resumed by handing it the loop, not by a call");
    }

    @Override
    public final void suspend() {
        throw new IllegalStateException("a role fiber suspends through its driver");
    }

    /** Never: a driver drops its role fiber as its body ends (the thread goes on with other bodies). */
    @Override
    public final boolean isDone() {
        return false;
    }

    @Override
    public final boolean isCurrent() {
        return Thread.currentThread() == LOOPS.roleThread(this);
    }

    /** The body's frames and those below it: what lies below its suspend (the thread runs the loop's laps above it). */
    @Override
    public final StackTraceElement[] stackTrace() {
        StackTraceElement[] all = LOOPS.roleThread(this).getStackTrace();
        String driver = Driver.class.getName();
        for (int i = 0; i < all.length; i++) {
            if (all[i].getMethodName().equals("roleSuspend")
                    && all[i].getClassName().equals(driver)) {
                return java.util.Arrays.copyOfRange(all, i, all.length);
            }
        }
        return all;
    }

    @Override
    public final void kill() {
        LOOPS.roleKill(this);
    }
}
