package io.loopbridge.stress;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import java.lang.reflect.Field;
import java.util.Queue;

/**
 * Loops for the stress tests. A jcstress actor drives the loop itself, one lap at a time, so the
 * loop must run on the actor's thread: never the virtual engine, whose loop runs on a thread of its
 * own.
 */
public final class Loops {
    private static final Field INBOUND;

    static {
        try {
            INBOUND = EventLoop.class.getDeclaredField("inbound");
            INBOUND.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Loops() {}

    /**
     * A loop for tests that run coroutines: the threads engine, whose coroutines may resume on
     * whichever thread runs the next lap (the arbiter's, after the actors'). The continuation engine
     * forbids that (its coroutines are frames of the loop thread's stack), and its cross-thread
     * paths are the loop's own, which the callback tests cover.
     */
    public static EventLoop forTasks() {
        return new EventLoop(CoroutineEngine.THREADS);
    }

    /** A loop for tests that run plain callbacks only. */
    public static EventLoop forCallbacks() {
        return new EventLoop(CoroutineEngine.THREADS);
    }

    /**
     * Runs exactly {@code n} laps on the calling thread, none of which blocks: each lap runs what
     * was ready when it started (and what other threads had handed in by then).
     */
    public static void laps(EventLoop loop, int n) {
        for (int i = 0; i < n; i++) {
            loop.callSoon(loop::stop);
            loop.runForever();
        }
    }

    /** How many callbacks sit in the loop's cross-thread queue (read by reflection: not API). */
    public static int inboundSize(EventLoop loop) {
        try {
            return ((Queue<?>) INBOUND.get(loop)).size();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
