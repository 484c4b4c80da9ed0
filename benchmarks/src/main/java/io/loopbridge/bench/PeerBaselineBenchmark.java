package io.loopbridge.bench;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * The JVM baselines' sides: {@code CompletableFuture} chains ({@code completableFutureChain},
 * {@code completableFutureChainAsync}: ns per step), kotlinx-coroutines on {@code runBlocking}
 * ({@code kotlinxYield}: ns per {@code yield()}; {@code kotlinxAsync}: ns per {@code async} +
 * {@code awaitAll}) and {@code Flux.create} into the comparisons' subscriber ({@code fluxCreate}: ns
 * per item). Our sides: {@link ChainBenchmark}, {@link AwaitBenchmark}, {@link
 * TaskCreateBenchmark}, {@link PublisherBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PeerBaselineBenchmark {
    static final int STEPS = AwaitChainVsCompletableFuture.STEPS;
    static final int ITEMS = ReactiveWorkloads.ITEMS;

    private final Flux<Integer> create = PeerWorkloads.createNumbers(ITEMS);

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int completableFutureChain() {
        return PeerWorkloads.completableFutureChain(STEPS);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int completableFutureChainAsync() {
        return PeerWorkloads.completableFutureChainAsync(STEPS);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long kotlinxYield() {
        return KotlinxCoroutinePeer.yields(STEPS);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long kotlinxAsync() {
        return KotlinxCoroutinePeer.asyncAwaitAll(STEPS);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long fluxCreate() {
        return ReactiveWorkloads.subscribeAndJoin(create, new BatchSubscriber());
    }
}
