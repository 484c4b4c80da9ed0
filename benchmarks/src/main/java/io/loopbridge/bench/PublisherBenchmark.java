package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
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
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Our sides of the Reactive Streams comparisons, per engine: nanoseconds (and, with {@code -prof
 * gc}, bytes: {@code gc.alloc.rate.norm}) per item of a stream of {@value ReactiveWorkloads#ITEMS}
 * boxed ints, each invocation one stream run as a task of a loop kept for the trial:
 *
 * <ul>
 *   <li>{@code publisher}: {@code Reactive.publisher} into the {@link BatchSubscriber} (256 requested
 *       from inside {@code onNext}), subscribed on the loop's thread ({@code
 *       asyncgen_publisher_vs_flux_generate_<engine>}, {@code …_vs_fiber_interop}, {@code
 *       …_vs_kotlinx_publish});
 *   <li>{@code publisherCrossThread}: the same through {@code publishOn(single)}, the subscriber on
 *       another thread ({@code asyncgen_publisher_vs_flux_generate_cross_thread_<engine>});
 *   <li>{@code fluxBridge}: {@code ReactorBridge.flux} into the same subscriber ({@code
 *       flux_bridge_vs_flux_generate_<engine>});
 *   <li>{@code iterate}: a coroutine sums {@code Flux.range} with {@code Reactive.iterate(flux, 256)}
 *       ({@code iterate_vs_subscribe_<engine>}); {@code reactorIterate}: the same with {@code
 *       ReactorBridge.iterate}; {@code coreSubscriberIterate}: the same iteration through a {@code
 *       LoopSubscriber} that is also a Reactor {@code CoreSubscriber} (not wrapped in Reactor's
 *       {@code StrictSubscriber});
 *   <li>{@code monoAwait}: ns per {@code ReactorBridge.await(Mono.just(x))} ({@code
 *       mono_await_vs_block_just}); {@code monoHideAwait}: the same on {@code Mono.just(x).hide()}
 *       ({@code mono_await_vs_block}).
 * </ul>
 *
 * <p>The peers are in {@link ReactivePeerBenchmark}. Run: {@code java -jar
 * benchmarks/target/benchmarks.jar PublisherBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = BenchLoop.ADD_EXPORTS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PublisherBenchmark {
    @Param({"threads", "virtual", "continuation"})
    public String engine;

    private BenchLoop loop;
    private Scheduler scheduler;
    private Coroutine<Long> publisher;
    private Coroutine<Long> publisherCrossThread;
    private Coroutine<Long> fluxBridge;
    private Coroutine<Long> iterate;
    private Coroutine<Long> reactorIterate;
    private Coroutine<Long> coreSubscriberIterate;
    private Coroutine<Long> monoAwait;
    private Coroutine<Long> monoHideAwait;

    @Setup(Level.Trial)
    public void setUp() {
        loop = new BenchLoop(engine);
        scheduler = Schedulers.newSingle("bench-publishOn", true);
        Publisher<Integer> numbers = ReactiveWorkloads.asyncGenNumbers(loop.loop(), ITEMS);
        Flux<Integer> bridged = ReactiveWorkloads.bridgeFluxNumbers(loop.loop(), ITEMS);
        Flux<Integer> range = Flux.range(0, ITEMS);
        Mono<Integer> ready = Mono.just(MonoAwaitVsBlock.VALUE);
        Mono<Integer> hidden = Mono.just(MonoAwaitVsBlock.VALUE).hide();
        publisher = () -> ReactiveWorkloads.subscribeAndAwait(numbers, new BatchSubscriber());
        publisherCrossThread = () -> ReactiveWorkloads.subscribeAcrossAndAwait(numbers, scheduler);
        fluxBridge = () -> ReactiveWorkloads.subscribeAndAwait(bridged, new BatchSubscriber());
        iterate = () -> ReactiveWorkloads.iterateSum(range);
        reactorIterate = () -> ReactiveWorkloads.reactorIterateSum(range);
        coreSubscriberIterate = () -> ReactiveWorkloads.coreIterateSum(range);
        monoAwait = () -> ReactiveWorkloads.monoAwait(ready, MonoAwaitVsBlock.AWAITS);
        monoHideAwait = () -> ReactiveWorkloads.monoAwait(hidden, MonoAwaitVsBlock.AWAITS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (scheduler != null) {
            scheduler.dispose();
        }
        if (loop != null) {
            loop.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long publisher() {
        return loop.run(publisher);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long publisherCrossThread() {
        return loop.run(publisherCrossThread);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long fluxBridge() {
        return loop.run(fluxBridge);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long iterate() {
        return loop.run(iterate);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long reactorIterate() {
        return loop.run(reactorIterate);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long coreSubscriberIterate() {
        return loop.run(coreSubscriberIterate);
    }

    @Benchmark
    @OperationsPerInvocation(MonoAwaitVsBlock.AWAITS)
    public long monoAwait() {
        return loop.run(monoAwait);
    }

    @Benchmark
    @OperationsPerInvocation(MonoAwaitVsBlock.AWAITS)
    public long monoHideAwait() {
        return loop.run(monoHideAwait);
    }
}
