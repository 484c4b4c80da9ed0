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
 * Our side of the callback baseline ({@code await_chain_vs_completablefuture_<engine>}, {@code
 * await_chain_hop_vs_completablefuture_async_<engine>}): ns per awaited step, {@value #STEPS} per
 * invocation, one task per invocation on a loop kept for the trial. The peer's side is in {@link
 * PeerBaselineBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = BenchLoop.ADD_EXPORTS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ChainBenchmark {
    static final int STEPS = AwaitChainVsCompletableFuture.STEPS;

    @Param({"threads", "virtual", "continuation"})
    public String engine;

    private BenchLoop loop;
    private final Coroutine<Integer> chain = () -> PeerWorkloads.awaitChain(STEPS);
    private final Coroutine<Integer> hops = () -> PeerWorkloads.awaitChainHop(STEPS);

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
    public int awaitChain() {
        return loop.run(chain);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int awaitChainHop() {
        return loop.run(hops);
    }
}
