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
 * Nanoseconds per item of a generator of {@value #ITEMS} ints consumed inside a coroutine on the
 * engine (the workloads of {@code generator_next_vs_python_<engine>}, {@code
 * generator_foreach_vs_python_<engine>} and {@code asyncgen_next_vs_asyncio_<engine>}):
 *
 * <ul>
 *   <li>{@code next}: a for-each loop over a {@code Generator} ({@code hasNext}/{@code next}, a
 *       switch to the generator's fiber and back per item);
 *   <li>{@code forEachRemaining}: the consumer runs on the generator's fiber, no switch per item;
 *   <li>{@code asyncFor}: a for-each loop over an {@code AsyncGenerator} whose body yields without
 *       awaiting (one switch into the body and back per item, no future).
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar GeneratorBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = BenchLoop.ADD_EXPORTS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class GeneratorBenchmark {
    static final int ITEMS = 10_000;

    @Param({"threads", "virtual", "continuation"})
    public String engine;

    private BenchLoop loop;
    private final Coroutine<Long> next = () -> CoroutineWorkloads.generatorNext(ITEMS);
    private final Coroutine<Long> forEach = () -> CoroutineWorkloads.generatorForEach(ITEMS);
    private final Coroutine<Long> asyncFor = () -> CoroutineWorkloads.asyncGeneratorFor(ITEMS);

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
    @OperationsPerInvocation(ITEMS)
    public long next() {
        return loop.run(next);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long forEachRemaining() {
        return loop.run(forEach);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long asyncFor() {
        return loop.run(asyncFor);
    }
}
