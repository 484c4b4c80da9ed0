package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.task.Coroutine;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
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
 * Our sides of the RxJava comparisons, per engine, each invocation one task of a loop kept for the
 * trial:
 *
 * <ul>
 *   <li>{@code flowableBridge}: ns per item of {@code RxBridge.flowable} into the {@link
 *       BatchSubscriber}, subscribed on the loop's thread ({@code
 *       flowable_bridge_vs_flowable_generate_<engine>});
 *   <li>{@code singleAwait}: ns per {@code RxBridge.await(Single.just(x))} ({@code
 *       single_await_vs_blockingGet}).
 * </ul>
 *
 * <p>The peers are in {@link RxPeerBenchmark}. Run: {@code java -jar benchmarks/target/benchmarks.jar
 * 'RxBenchmark|RxPeerBenchmark' -p engine=continuation -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = BenchLoop.ADD_EXPORTS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RxBenchmark {
    @Param({"threads", "virtual", "continuation"})
    public String engine;

    private BenchLoop loop;
    private Coroutine<Long> flowableBridge;
    private Coroutine<Long> singleAwait;

    @Setup(Level.Trial)
    public void setUp() {
        loop = new BenchLoop(engine);
        Flowable<Integer> bridged = RxWorkloads.bridgeFlowableNumbers(loop.loop(), ITEMS);
        Single<Integer> ready = Single.just(SingleAwaitVsBlockingGet.VALUE);
        flowableBridge = () -> ReactiveWorkloads.subscribeAndAwait(bridged, new BatchSubscriber());
        singleAwait = () -> RxWorkloads.singleAwait(ready, SingleAwaitVsBlockingGet.AWAITS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (loop != null) {
            loop.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long flowableBridge() {
        return loop.run(flowableBridge);
    }

    @Benchmark
    @OperationsPerInvocation(SingleAwaitVsBlockingGet.AWAITS)
    public long singleAwait() {
        return loop.run(singleAwait);
    }
}
