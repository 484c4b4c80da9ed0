package io.loopbridge.task.internal;

import io.loopbridge.internal.LoopAccess;

/**
 * A task body started inline on one of its loop's role threads (thread engines, {@code
 * -Dloopbridge.loopRole}): it keeps that thread for life. It is never resumed by a call: the loop's
 * role is handed to its thread ({@link LoopAccess#roleResume}), and it suspends by going on with the
 * loop's laps there ({@link LoopAccess#roleSuspend}).
 */
final class RoleFiber extends Fiber {
    private static final LoopAccess LOOPS = LoopAccess.get();

    /**
     * The loop's token for the thread, which knows the thread and the loop: a suspended task holds
     * this object for life, so it keeps no more than it must (24 bytes).
     */
    final Object token;

    /** The context the thread's slot held around the body, put back while the body is suspended. */
    Object outerContext;

    volatile boolean done;

    RoleFiber(Object token) {
        this.token = token;
    }

    @Override
    public void resume() {
        throw new IllegalStateException("a role fiber is resumed by handing it the loop, not by a call");
    }

    @Override
    public void suspend() {
        throw new IllegalStateException("a role fiber suspends through its driver");
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public boolean isCurrent() {
        return Thread.currentThread() == LOOPS.roleThread(token);
    }

    /** The body's frames: what lies below its suspend (the thread runs the loop's laps above it). */
    @Override
    public StackTraceElement[] stackTrace() {
        StackTraceElement[] all = LOOPS.roleThread(token).getStackTrace();
        for (int i = 0; i < all.length; i++) {
            if (all[i].getMethodName().equals("roleSuspend")
                    && all[i].getClassName().equals(Driver.class.getName())) {
                return java.util.Arrays.copyOfRange(all, i, all.length);
            }
        }
        return all;
    }

    @Override
    public void kill() {
        if (!done) {
            LOOPS.roleKill(token);
        }
    }

    @Override
    public String toString() {
        return LOOPS.roleThread(token).getName();
    }
}
