package io.loopbridge.bench;

import io.loopbridge.task.Coroutine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per {@code Async.sleep(Duration.ZERO)} step: a coroutine yields to the loop and is
 * resumed by it, {@value #STEPS} times per invocation (the workload of {@code
 * await_roundtrip_vs_asyncio_<engine>}). One task per invocation on a loop kept for the trial.
 * {@code sleepZeroTakingTurns}: two tasks doing the same, so every step is a task switch (the
 * workload of {@code await_switch_vs_asyncio_<engine>}; a lone task's step needs none).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AwaitBenchmark} (add {@code -p
 * engine=continuation} for one engine). An engine this JVM does not offer fails its parameter
 * with the reason; the others still run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = BenchLoop.ADD_EXPORTS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class AwaitBenchmark {
    static final int STEPS = 1000;

    @Param({"threads", "virtual", "continuation"})
    public String engine;

    private BenchLoop loop;
    private final Coroutine<Void> steps = () -> {
        CoroutineWorkloads.sleepZero(STEPS);
        return null;
    };
    private final Coroutine<Void> turns = () -> {
        CoroutineWorkloads.sleepZeroTakingTurns(STEPS);
        return null;
    };

    @Setup(Level.Trial)
    public void setUp() {
        loop = new BenchLoop(engine);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (loop != null) {
            loop.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public void sleepZero() {
        loop.run(steps);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public void sleepZeroTakingTurns() {
        loop.run(turns);
    }
}
