package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;

/**
 * An event loop on one coroutine engine that a JMH benchmark keeps for a whole trial and runs one
 * task on per invocation ({@code runUntilComplete}), so loop creation stays out of the figures.
 */
final class BenchLoop implements AutoCloseable {
    /**
     * JMH forks get this ({@code @Fork(jvmArgsAppend = ...)}): the continuation engine needs it.
     * With {@code -f 0} the host JVM must have been started with it.
     */
    static final String ADD_EXPORTS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";

    private final EventLoop loop;

    /**
     * A loop on the engine named {@code engine} ({@code threads}, {@code virtual},
     * {@code continuation}).
     *
     * @throws Engines.Unavailable (no stack trace) when this JVM does not offer it: JMH reports
     *     that parameter as failed, with the reason, and goes on with the others
     */
    BenchLoop(String engine) {
        this(Engines.require(engine));
    }

    /** A loop on {@code engine}, which must be available (see {@link Engines#skipReason}). */
    BenchLoop(CoroutineEngine engine) {
        this.loop = new EventLoop(engine);
    }

    /** The loop, e.g. to build publishers on it. */
    EventLoop loop() {
        return loop;
    }

    /** Runs {@code coroutine} as a task of the loop until it completes; returns its result. */
    <T> T run(Coroutine<T> coroutine) {
        return loop.runUntilComplete(loop.createTask(coroutine));
    }

    @Override
    public void close() {
        loop.close();
    }
}
