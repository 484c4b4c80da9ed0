package io.loopbridge.internal;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.Handle;
import io.loopbridge.task.internal.RoleFiber;
import java.nio.channels.Selector;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loop internals that other packages of the library need (coroutine engines, tasks, I/O). Not API:
 * the loop installs the single implementation when its class initializes.
 */
public interface LoopAccess {
    /** Makes {@code thread} the only thread allowed to touch the loop's state. */
    void transferOwner(EventLoop loop, Thread thread);

    /**
     * Whether the suspending coroutine whose step is the running callback may resume at once,
     * because the next lap would run nothing but {@code step}; if so that lap is accounted for.
     */
    boolean takeLoneStep(EventLoop loop, Runnable step);

    /**
     * Whether nothing but the calling step wants the loop now: no other callback ready (beyond
     * {@code ownReady} of the caller's own), no work from other threads, no I/O and no timer due within
     * {@code nanos}. Loop only.
     */
    boolean isQuiet(EventLoop loop, int ownReady, long nanos);

    /** The task (or other coroutine driver) whose step the loop is running, or {@code null}. */
    Object currentStep(EventLoop loop);

    void setCurrentStep(EventLoop loop, Object step);

    /** The loop's live tasks (created and not yet done), in creation order. Loop thread only. */
    Set<LiveTask> liveTasks(EventLoop loop);

    /** The loop's unfinished async generators, held weakly. Loop thread only. */
    Set<Object> asyncGenerators(EventLoop loop);

    /** The loop's selector, opened on first use. Loop thread only. */
    Selector selector(EventLoop loop);

    /**
     * How many subscriptions made on the loop's thread to sources that need that thread are still
     * running, as a bridge counts them (bridge-reactor: a {@code block()} there would never end, so
     * Reactor is told the thread must not block). The loop only owns the counter; any thread.
     */
    AtomicInteger pendingOnOwnThread(EventLoop loop);

    /**
     * Schedules {@code step} as {@code callSoon} does, queueing {@code handle} again when it is not
     * null, and returns the handle queued: a task that yields over and over (asyncio's {@code
     * sleep(0)}) allocates nothing per yield. Only for a handle that has run and that nobody else
     * can cancel, of a callback that sets up its own context (the handle keeps the one of its
     * first scheduling); a debug-mode loop still makes a new traced handle each time.
     */
    Handle callSoonReusing(EventLoop loop, Handle handle, Runnable step);

    /**
     * How the first step of a task's body goes on the loop's role protocol (thread engines): 0 not
     * at all (the older protocol: a fiber of its own), 1 inline on the calling role thread, which is
     * pure ({@link #roleBeginBody}), 2 on a pure thread the role is handed to ({@link #roleHandFirstStep}).
     */
    int roleStartMode(EventLoop loop);

    /** Marks the calling role thread as one holding a body, which starts now; returns its fiber (the thread itself). */
    RoleFiber roleBeginBody(EventLoop loop);

    /** The body of {@code fiber}'s thread has ended: the thread is pure again. */
    void roleEndBody(EventLoop loop, RoleFiber fiber);

    /** Hands the role to a pure thread that runs {@code step} (a driver's first step) first; the caller must then return. */
    void roleHandFirstStep(EventLoop loop, Runnable step);

    /**
     * The step of the body suspended on {@code fiber}'s thread: resumes it there, by handing the
     * role over unless it is the calling thread; the caller must then return.
     */
    void roleResume(EventLoop loop, RoleFiber fiber);

    /**
     * The body on {@code fiber}'s thread (the caller, holding the role) suspends, its next step
     * {@code step} queued or to come: goes on with the loop's laps until that step; false if
     * instead the loop closed and the body must unwind.
     */
    boolean roleSuspend(EventLoop loop, RoleFiber fiber, Runnable step);

    /** Makes the (waiting) thread of {@code fiber} unwind its body and end; returns once it has. */
    void roleKill(RoleFiber fiber);

    /** The thread of a role fiber. */
    Thread roleThread(RoleFiber fiber);

    /** The access object; initializes the loop class if needed. */
    static LoopAccess get() {
        LoopAccess a = Holder.access;
        if (a == null) {
            try {
                Class.forName(EventLoop.class.getName(), true, EventLoop.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            a = Holder.access;
        }
        return a;
    }

    /** Called once by the loop class. */
    static void install(LoopAccess access) {
        if (Holder.access != null) {
            throw new IllegalStateException("loop access is already installed");
        }
        Holder.access = access;
    }

    /** Not API. */
    final class Holder {
        static volatile LoopAccess access;

        private Holder() {}
    }
}
