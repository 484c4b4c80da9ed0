package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per callback of the event loop's scheduling paths.
 *
 * <ul>
 *   <li>{@code batchedCallSoon}: a callback inside the running loop schedules a batch of {@value
 *       #BATCH} callbacks with {@code callSoon}; the loop runs them and stops (asyncio's batched
 *       {@code loop.call_soon}, the workload of {@code call_soon_vs_asyncio}).
 *   <li>{@code callSoonThreadsafe}: the benchmark thread posts {@value #BATCH} callbacks with
 *       {@code callSoonThreadsafe} into a loop running on another thread and waits until the last
 *       one has run, so the queue stays bounded and the figure covers the cross-thread hand-off.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CallSoonBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CallSoonBenchmark {
    static final int BATCH = 1000;

    /** A loop that the benchmark thread starts and stops once per batch. */
    @State(Scope.Thread)
    public static class SameThread {
        CallSoonBatch batch;

        @Setup(Level.Trial)
        public void setUp() {
            batch = new CallSoonBatch(BATCH);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            batch.close();
        }
    }

    /** A loop running on its own thread for the whole trial. */
    @State(Scope.Thread)
    public static class OtherThread {
        EventLoop loop;
        Thread loopThread;
        Runnable empty = () -> {};
        Runnable markDone;
        /** Batches fully run; written by the loop thread only. */
        volatile long completed;

        long posted;

        @Setup(Level.Trial)
        public void setUp() {
            loop = new EventLoop();
            markDone = () -> completed = completed + 1;
            loopThread = new Thread(loop::runForever, "bench-loop");
            loopThread.setDaemon(true);
            loopThread.start();
            while (!loop.isRunning()) {
                Thread.onSpinWait();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            loop.callSoonThreadsafe(loop::stop);
            loopThread.join();
            loop.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batchedCallSoon(SameThread s) {
        s.batch.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void callSoonThreadsafe(OtherThread s) {
        EventLoop loop = s.loop;
        Runnable empty = s.empty;
        for (int i = 1; i < BATCH; i++) {
            loop.callSoonThreadsafe(empty);
        }
        loop.callSoonThreadsafe(s.markDone);
        long target = ++s.posted;
        while (s.completed < target) {
            Thread.onSpinWait();
        }
    }
}
