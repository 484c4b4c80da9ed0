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
 * Nanoseconds per task: a coroutine creates {@value #TASKS} tasks that return at once and gathers
 * them (the workload of {@code task_create_vs_asyncio_<engine>}; the ratio driver uses 100 tasks
 * on the threads engine, here every engine gets {@value #TASKS}, so a threads invocation starts
 * that many platform threads).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TaskCreateBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = BenchLoop.ADD_EXPORTS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class TaskCreateBenchmark {
    static final int TASKS = 1000;

    @Param({"threads", "virtual", "continuation"})
    public String engine;

    private BenchLoop loop;
    private final Coroutine<Integer> batch = () -> CoroutineWorkloads.createAndGather(TASKS);

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
    @OperationsPerInvocation(TASKS)
    public int createAndGather() {
        return loop.run(batch);
    }
}
