package io.loopbridge.bench;

import static io.loopbridge.bench.MapAsyncVsFlatMapSequential.ITEMS;

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

/**
 * Both sides of {@code map_async_vs_flatmap_sequential_<engine>} and {@code
 * map_async_1_vs_concat_map_<engine>}: nanoseconds (and, with {@code -prof gc}, bytes) per item of
 * {@value MapAsyncVsFlatMapSequential#ITEMS} boxed ints of {@code Flux.range} into the same {@link
 * BatchSubscriber}:
 *
 * <ul>
 *   <li>{@code mapAsync}: {@code Reactive.mapAsync(..., concurrency, i -> i)}, a task per item,
 *       subscribed from a coroutine on the loop's thread, per engine;
 *   <li>{@code flatMapSequential}: {@code flatMapSequential(Mono::just, concurrency)} on the
 *       benchmark thread;
 *   <li>{@code concatMap}: {@code concatMap(Mono::just)}, Reactor's operator for concurrency 1.
 * </ul>
 *
 * <p>The peers take only the {@code concurrency} parameter (their state has no engine). Run:
 * {@code java -jar benchmarks/target/benchmarks.jar MapAsyncBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = BenchLoop.ADD_EXPORTS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MapAsyncBenchmark {
    /** Our side: a loop on one engine, kept for the trial. */
    @State(Scope.Thread)
    public static class Ours {
        @Param({"threads", "virtual", "continuation"})
        public String engine;

        @Param({"1", "16"})
        public int concurrency;

        private BenchLoop loop;
        private Coroutine<Long> mapAsync;

        @Setup(Level.Trial)
        public void setUp() {
            loop = new BenchLoop(engine);
            Publisher<Integer> mapped = MapAsyncVsFlatMapSequential.mapAsync(loop.loop(), ITEMS, concurrency);
            mapAsync = () -> ReactiveWorkloads.subscribeAndAwait(mapped, new BatchSubscriber());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    /** The peers' side: no loop. */
    @State(Scope.Thread)
    public static class Peer {
        @Param({"1", "16"})
        public int concurrency;

        private Flux<Integer> flatMapSequential;
        private final Flux<Integer> concatMap = MapAsyncVsFlatMapSequential.concatMap(ITEMS);

        @Setup(Level.Trial)
        public void setUp() {
            flatMapSequential = MapAsyncVsFlatMapSequential.flatMapSequential(ITEMS, concurrency);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long mapAsync(Ours s) {
        return s.loop.run(s.mapAsync);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long flatMapSequential(Peer p) {
        return ReactiveWorkloads.subscribeAndJoin(p.flatMapSequential, new BatchSubscriber());
    }

    /** Has no concurrency of its own: run it with {@code -p concurrency=1} to skip the duplicate. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long concatMap(Peer p) {
        return ReactiveWorkloads.subscribeAndJoin(p.concatMap, new BatchSubscriber());
    }
}
