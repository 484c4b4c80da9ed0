package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.BATCH;
import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.bench.ReactiveWorkloads.CoreBatchSubscriber;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The JVM peers of {@link PublisherBenchmark}, on the benchmark thread: nanoseconds (and, with
 * {@code -prof gc}, bytes) per item of {@value ReactiveWorkloads#ITEMS} boxed ints into the same
 * {@link BatchSubscriber}:
 *
 * <ul>
 *   <li>{@code fluxGenerate}: {@code Flux.generate} (Reactor wraps the plain subscriber in its
 *       {@code StrictSubscriber}); {@code fluxGenerateCoreSubscriber}: the same subscriber as a
 *       {@code CoreSubscriber}, called directly;
 *   <li>{@code fluxGeneratePublishOn}: {@code Flux.generate(...).publishOn(single)};
 *   <li>{@code rangeBaseSubscriber}: {@code Flux.range} into a {@code BaseSubscriber} requesting 256
 *       at a time (the peer of {@code iterate});
 *   <li>{@code fiberInterop}: rxjava3-fiber-interop's {@code FiberInterop.create} on a
 *       virtual-thread-per-task executor;
 *   <li>{@code kotlinxPublish}: kotlinx-coroutines-reactive {@code publish { send(i) }};
 *   <li>{@code monoBlock}: ns per {@code Mono.just(x).block()} (Reactor returns the value without
 *       subscribing); {@code monoHideBlock}: per {@code Mono.just(x).hide().block()} (subscribes).
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ReactivePeerBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ReactivePeerBenchmark {
    private final Flux<Integer> generate = ReactiveWorkloads.generateNumbers(ITEMS);
    private final Flux<Integer> range = Flux.range(0, ITEMS);
    private final Mono<Integer> ready = Mono.just(MonoAwaitVsBlock.VALUE);
    private final Mono<Integer> hidden = Mono.just(MonoAwaitVsBlock.VALUE).hide();
    private Scheduler scheduler;
    private ExecutorService executor;
    private Publisher<Integer> fibers;
    private Publisher<Integer> kotlinx;

    @Setup(Level.Trial)
    public void setUp() {
        scheduler = Schedulers.newSingle("bench-publishOn", true);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        fibers = ReactiveWorkloads.fiberNumbers(executor, ITEMS);
        kotlinx = KotlinxPeer.numbers(ITEMS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.dispose();
        executor.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long fluxGenerate() {
        return ReactiveWorkloads.subscribeAndJoin(generate, new BatchSubscriber());
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long fluxGenerateCoreSubscriber() {
        return ReactiveWorkloads.subscribeAndJoin(generate, new CoreBatchSubscriber());
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long fluxGeneratePublishOn() {
        return ReactiveWorkloads.subscribeAndJoin(generate.publishOn(scheduler, BATCH), new BatchSubscriber());
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long rangeBaseSubscriber() {
        return ReactiveWorkloads.baseSubscriberSum(range);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long fiberInterop() {
        return ReactiveWorkloads.subscribeAndJoin(fibers, new BatchSubscriber());
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinxPublish() {
        return ReactiveWorkloads.subscribeAndJoin(kotlinx, new BatchSubscriber());
    }

    @Benchmark
    @OperationsPerInvocation(MonoAwaitVsBlock.AWAITS)
    public long monoBlock() {
        return ReactiveWorkloads.monoBlock(ready, MonoAwaitVsBlock.AWAITS);
    }

    @Benchmark
    @OperationsPerInvocation(MonoAwaitVsBlock.AWAITS)
    public long monoHideBlock() {
        return ReactiveWorkloads.monoBlock(hidden, MonoAwaitVsBlock.AWAITS);
    }
}
