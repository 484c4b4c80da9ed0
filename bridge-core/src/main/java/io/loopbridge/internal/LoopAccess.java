package io.loopbridge.internal;

import io.loopbridge.loop.EventLoop;
import java.nio.channels.Selector;
import java.util.Set;

/**
 * Loop internals that other packages of the library need (coroutine engines, tasks, I/O). Not API:
 * the loop installs the single implementation when its class initializes.
 */
public interface LoopAccess {
    /** Makes {@code thread} the only thread allowed to touch the loop's state. */
    void transferOwner(EventLoop loop, Thread thread);

    /** The task (or other coroutine driver) whose step the loop is running, or {@code null}. */
    Object currentStep(EventLoop loop);

    void setCurrentStep(EventLoop loop, Object step);

    /** The loop's live tasks (created and not yet done), in creation order. Loop thread only. */
    Set<LiveTask> liveTasks(EventLoop loop);

    /** The loop's unfinished async generators, held weakly. Loop thread only. */
    Set<Object> asyncGenerators(EventLoop loop);

    /** The loop's selector, opened on first use. Loop thread only. */
    Selector selector(EventLoop loop);

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
