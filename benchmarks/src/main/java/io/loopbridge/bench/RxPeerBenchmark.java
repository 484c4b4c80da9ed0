package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
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

/**
 * The RxJava peers of {@link RxBenchmark}, on the benchmark thread: {@code flowableGenerate} (ns per
 * item of {@code Flowable.generate} into the {@link BatchSubscriber}) and {@code singleBlockingGet}
 * (ns per {@code Single.just(x).blockingGet()}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RxPeerBenchmark {
    private final Flowable<Integer> generate = RxWorkloads.generateNumbers(ITEMS);
    private final Single<Integer> ready = Single.just(SingleAwaitVsBlockingGet.VALUE);

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long flowableGenerate() {
        return ReactiveWorkloads.subscribeAndJoin(generate, new BatchSubscriber());
    }

    @Benchmark
    @OperationsPerInvocation(SingleAwaitVsBlockingGet.AWAITS)
    public long singleBlockingGet() {
        return RxWorkloads.singleBlockingGet(ready, SingleAwaitVsBlockingGet.AWAITS);
    }
}
