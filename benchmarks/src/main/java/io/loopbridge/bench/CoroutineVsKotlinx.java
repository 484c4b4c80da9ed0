package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;

/**
 * Our coroutines against kotlinx-coroutines, the strongest coroutine peer on the JVM (Kotlin code:
 * {@code src/main/kotlin/.../KotlinxCoroutinePeer.kt}), each batch on a single-threaded event loop:
 * ours a task of a loop kept for the comparison, theirs a {@code runBlocking} block (its own event
 * loop on the bench thread).
 *
 * <ul>
 *   <li>{@code await_roundtrip_vs_kotlinx_yield_<engine>}: {@value #STEPS} times {@code
 *       Async.sleep(0)} against {@code yield()}: a trip through the loop's queue and back;
 *   <li>{@code task_create_vs_kotlinx_async_<engine>}: {@value #STEPS} tasks that return at once,
 *       gathered, against as many {@code async { }} and {@code awaitAll()}.
 * </ul>
 */
final class CoroutineVsKotlinx extends LoopVsPeer {
    static final int STEPS = 1000;
    private final boolean tasks;

    CoroutineVsKotlinx(CoroutineEngine engine, boolean tasks) {
        super(
                tasks ? "task_create_vs_kotlinx_async" : "await_roundtrip_vs_kotlinx_yield",
                tasks ? "kotlinx_async" : "kotlinx_yield",
                engine,
                STEPS,
                STEPS);
        this.tasks = tasks;
    }

    @Override
    public String opName() {
        return tasks ? "task" : "step";
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        if (tasks) {
            return () -> (long) CoroutineWorkloads.createAndGather(STEPS);
        }
        return () -> {
            CoroutineWorkloads.sleepZero(STEPS);
            return (long) STEPS;
        };
    }

    @Override
    long peerBatch() {
        return tasks ? KotlinxCoroutinePeer.asyncAwaitAll(STEPS) : KotlinxCoroutinePeer.yields(STEPS);
    }
}
