package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many concurrently sleeping tasks, as asyncio runs them: a million on the lightweight engines
 * within the default heap, a couple of thousand on platform threads. Each test prints its figures
 * (see the test's output file under {@code target/surefire-reports}). The heap figure is what is in
 * use when every task is asleep, garbage included; {@code -Dloopbridge.scale.liveHeap=true} forces a
 * full GC there to print the live set instead (slow: seconds, on two cores).
 */
@Tag("scale")
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class ScaleTest {
    static final int MILLION = 1_000_000;
    static final int ON_THREADS = 2_000;
    static final Duration NAP = Duration.ofSeconds(1);
    /** Each run must finish well within this, or it is cut short and fails. */
    static final Duration BUDGET = Duration.ofSeconds(60);

    static final boolean LIVE_HEAP = Boolean.getBoolean("loopbridge.scale.liveHeap");

    @Test
    void aMillionSleepingTasksOnVirtualThreads() {
        assumeTrue(CoroutineEngine.VIRTUAL.isAvailable(), "virtual threads need JDK 21");
        sleepers(CoroutineEngine.VIRTUAL, MILLION);
    }

    @Test
    void aMillionSleepingTasksOnContinuations() {
        assumeTrue(CoroutineEngine.CONTINUATION.isAvailable(), "the continuation engine is not available");
        sleepers(CoroutineEngine.CONTINUATION, MILLION);
    }

    @Test
    void twoThousandSleepingTasksOnPlatformThreads() {
        sleepers(CoroutineEngine.THREADS, ON_THREADS);
    }

    /**
     * Starts {@code n} tasks that each sleep {@link #NAP} and count themselves done. They are all
     * created in one step of the main task, so their first steps all run in one lap of the loop and
     * all {@code n} are asleep together at the end of it, however long the lap took.
     */
    private static void sleepers(CoroutineEngine engine, int n) {
        long start = System.nanoTime();
        int[] asleep = {0};
        int[] mostAsleep = {0};
        int[] done = {0};
        long[] heapWithAllAsleep = {0};
        long[] startedAfter = {0};
        long[] measuring = {0};

        int completed = Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            LoopFuture<Void> allDone = loop.createFuture();
            for (int i = 0; i < n; i++) {
                Async.createTask(() -> {
                    mostAsleep[0] = Math.max(mostAsleep[0], ++asleep[0]);
                    if (asleep[0] == n) {
                        startedAfter[0] = System.nanoTime() - start;
                        heapWithAllAsleep[0] = usedHeap();
                        measuring[0] = System.nanoTime() - start - startedAfter[0];
                    }
                    Async.sleep(NAP);
                    asleep[0]--;
                    if (++done[0] == n) {
                        allDone.setResult(null);
                    }
                    return null;
                });
            }
            Async.waitFor(allDone, BUDGET);
            return done[0];
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        System.out.printf(
                "%s: %,d tasks, all asleep after %d ms, all done after %d ms (%d ms of it measuring the "
                        + "heap); heap %s with all asleep %,d MiB (%,d B per task), max heap %,d MiB%n",
                engine,
                n,
                startedAfter[0] / 1_000_000,
                took.toMillis(),
                measuring[0] / 1_000_000,
                LIVE_HEAP ? "live (after a full GC)" : "in use (garbage included)",
                heapWithAllAsleep[0] >> 20,
                heapWithAllAsleep[0] / n,
                Runtime.getRuntime().maxMemory() >> 20);
        assertThat(completed).isEqualTo(n);
        assertThat(mostAsleep[0]).as("tasks asleep at the same time").isEqualTo(n);
        assertThat(took).isLessThan(BUDGET);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        if (LIVE_HEAP) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
