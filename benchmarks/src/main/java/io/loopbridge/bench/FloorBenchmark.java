package io.loopbridge.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * The floors of {@link Floors}: {@code mpscRunnable} (ns per empty {@code Runnable} offered to and
 * run from {@link MpscRunnableQueue}; beside {@code CallSoonBenchmark.batchedCallSoon}), {@code
 * rawContinuation} (ns per {@code jdk.internal.vm.Continuation} yield/run round trip; beside {@code
 * AwaitBenchmark.sleepZero}) and {@code fluxRangeNoop} (ns per item of {@code Flux.range} into a
 * subscriber that requests everything; beside {@code PublisherBenchmark.publisher}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = BenchLoop.ADD_EXPORTS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FloorBenchmark {
    static final int CALLBACKS = Floors.CALLBACKS;
    static final int SWITCHES = Floors.SWITCHES;
    static final int ITEMS = Floors.ITEMS;

    private final MpscRunnableQueue queue = new MpscRunnableQueue();
    private final Runnable empty = () -> {};
    private final Flux<Integer> range = Flux.range(0, ITEMS);

    @Setup(Level.Trial)
    public void check() {
        String why = RawContinuation.skipReason();
        if (why != null) {
            throw new Engines.Unavailable(why);
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public int mpscRunnable() {
        return MpscRunnableQueue.emptyRunnables(queue, empty, CALLBACKS);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long rawContinuation() {
        return RawContinuation.roundTrips(SWITCHES);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long fluxRangeNoop() {
        return Floors.rangeIntoNoop(range);
    }
}
