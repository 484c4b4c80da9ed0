package io.loopbridge.reactor;

import static io.loopbridge.reactor.testing.BackgroundLoop.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.reactor.testing.AllEngines;
import io.loopbridge.reactor.testing.BackgroundLoop;
import io.loopbridge.reactor.testing.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Reactor operators that fuse asynchronously ({@code publishOn}, {@code flatMap}'s inners, a
 * StepVerifier expecting fusion) drain {@code Reactive.publisher}'s items from a queue the loop
 * publishes in batches: every batch, when the generator waits for demand or suspends elsewhere, and
 * before it ends. These are the rules a plain subscriber sees, kept in the fused mode.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class AsyncFusionTest {
    private static Publisher<Integer> numbers(BackgroundLoop bg, int n) {
        return Reactive.publisher(bg.loop(), y -> {
            for (int i = 0; i < n; i++) {
                y.yield(i);
            }
        });
    }

    private static List<Integer> upTo(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @AllEngines
    void aStepVerifierExpectingAsyncFusionGetsIt(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            StepVerifier.create(Flux.from(numbers(bg, 200)))
                    .expectFusion(Fuseable.ASYNC)
                    .expectNextSequence(upTo(200))
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void reactorBridgeFluxFusesToo(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Flux<Integer> flux = ReactorBridge.flux(bg.loop(), y -> {
                for (int i = 0; i < 100; i++) {
                    y.yield(i);
                }
            });
            StepVerifier.create(flux)
                    .expectFusion(Fuseable.ASYNC)
                    .expectNextSequence(upTo(100))
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void publishOnReadsEveryItemInOrderAcrossManyRefills(CoroutineEngine engine) {
        Scheduler worker = Schedulers.newSingle("fusion-test");
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            List<Integer> got = Flux.from(numbers(bg, 100_000))
                    .publishOn(worker, 256)
                    .collectList()
                    .block(PATIENCE);
            assertThat(got).isEqualTo(upTo(100_000));
        } finally {
            worker.dispose();
        }
    }

    @AllEngines
    void aDrainerFarBehindAnUnboundedRequestStillGetsEveryItemInOrder(CoroutineEngine engine) {
        Scheduler worker = Schedulers.newSingle("fusion-test");
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            List<Integer> got = Flux.from(numbers(bg, 5_000))
                    .publishOn(worker, Integer.MAX_VALUE) // requests everything at once
                    .doOnNext(i -> {
                        if (i == 0) {
                            spin(50); // the generator runs thousands of items ahead
                        }
                    })
                    .collectList()
                    .block(PATIENCE);
            assertThat(got).isEqualTo(upTo(5_000));
        } finally {
            worker.dispose();
        }
    }

    /** Busy for {@code millis} (BlockHound would refuse a sleep on a Reactor worker). */
    private static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            // BlockHound counts Thread.onSpinWait as blocking too
        }
    }

    @AllEngines
    void theQueueNeverHoldsMoreThanWasRequested(CoroutineEngine engine) {
        AtomicInteger yielded = new AtomicInteger();
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Publisher<Integer> counted = Reactive.publisher(bg.loop(), y -> {
                for (int i = 0; i < 100; i++) {
                    yielded.incrementAndGet(); // counted before the yield that may wait
                    y.yield(i);
                }
            });
            StepVerifier.create(Flux.from(counted), 0)
                    .expectFusion(Fuseable.ASYNC)
                    .thenRequest(3)
                    .expectNext(0, 1, 2)
                    .expectNoEvent(Duration.ofMillis(50))
                    .then(() -> assertThat(yielded)
                            .as("the fourth yield waits for demand")
                            .hasValue(4))
                    .thenRequest(97)
                    .expectNextCount(97)
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void itemsQueuedBeforeTheGeneratorSuspendsElsewhereGoOutAtOnce(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            LoopFuture<Void> gate = bg.call(() -> bg.loop().createFuture());
            Publisher<Integer> paused = Reactive.publisher(bg.loop(), y -> {
                y.yield(1);
                y.yield(2);
                Async.await(gate); // far from a full batch, with demand left
                y.yield(3);
            });
            StepVerifier.create(Flux.from(paused))
                    .expectFusion(Fuseable.ASYNC)
                    .expectNext(1, 2)
                    .then(() -> bg.loop().callSoonThreadsafe(() -> gate.setResult(null)))
                    .expectNext(3)
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void theItemsBeforeAFailureArriveBeforeIt(CoroutineEngine engine) {
        Scheduler worker = Schedulers.newSingle("fusion-test");
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Publisher<Integer> failing = Reactive.publisher(bg.loop(), y -> {
                for (int i = 0; i < 100; i++) {
                    y.yield(i);
                }
                throw new IllegalStateException("after 100");
            });
            StepVerifier.create(Flux.from(failing).publishOn(worker, 256))
                    .expectNextSequence(upTo(100))
                    .expectErrorMessage("after 100")
                    .verify(PATIENCE);
        } finally {
            worker.dispose();
        }
    }

    @AllEngines
    void aCancelClosesTheGeneratorAndDiscardsWhatWasNotRead(CoroutineEngine engine) {
        Scheduler worker = Schedulers.newSingle("fusion-test");
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            takeFromEndless(bg, worker, 10);
        } finally {
            worker.dispose();
        }
    }

    @AllEngines
    void cancelsAtRandomPointsLoseAndRepeatNothing(CoroutineEngine engine) {
        Scheduler worker = Schedulers.newSingle("fusion-test");
        Random random = new Random(6);
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            for (int i = 0; i < 500; i++) {
                takeFromEndless(bg, worker, 1 + random.nextInt(600));
            }
        } finally {
            worker.dispose();
        }
    }

    /**
     * {@code take(n)} behind {@code publishOn} from an endless generator: the first n arrive, the
     * generator's finally block runs, and every item it handed over was either read or discarded,
     * none twice (its last yield may have taken an item and then seen the cancel).
     */
    private static void takeFromEndless(BackgroundLoop bg, Scheduler worker, int n) {
        AtomicInteger yielded = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        List<Object> discarded = new CopyOnWriteArrayList<>();
        Publisher<Integer> endless = Reactive.publisher(bg.loop(), y -> {
            try {
                for (int i = 0; ; i++) {
                    y.yield(i);
                    yielded.incrementAndGet();
                }
            } finally {
                closed.set(true);
            }
        });
        List<Integer> got = Flux.from(endless)
                .publishOn(worker, 256)
                .take(n)
                .doOnDiscard(Integer.class, discarded::add)
                .collectList()
                .block(PATIENCE);
        assertThat(got).isEqualTo(upTo(n));
        // what was queued and never published is discarded just after the generator's finally block
        await().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .atMost(PATIENCE)
                .until(() -> closed.get() && got.size() + discarded.size() >= yielded.get());
        List<Integer> seen = new ArrayList<>(got);
        discarded.forEach(d -> seen.add((Integer) d));
        Collections.sort(seen);
        assertThat(seen).isEqualTo(upTo(seen.size()));
        assertThat(seen.size()).isBetween(yielded.get(), yielded.get() + 1);
    }

    @AllEngines
    void flatMapInnersFuseOnTheLoopsThread(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            List<Integer> got = Flux.range(0, 4)
                    .flatMap(i -> Flux.from(Reactive.<Integer>publisher(bg.loop(), y -> {
                        for (int j = 0; j < 300; j++) {
                            y.yield(i * 300 + j);
                        }
                    })))
                    .collectList()
                    .block(PATIENCE);
            assertThat(got).hasSize(1200);
            Collections.sort(got);
            assertThat(got).isEqualTo(upTo(1200));
        }
    }

    @AllEngines
    void aCoroutineIteratesAFusedPipelineBack(CoroutineEngine engine) {
        Scheduler worker = Schedulers.newSingle("fusion-test");
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            long sum = bg.run(() -> {
                long s = 0;
                try (var items = Reactive.iterate(Flux.from(numbers(bg, 10_000)).publishOn(worker, 64), 32)) {
                    for (int v : items) {
                        s += v;
                    }
                }
                return s;
            });
            assertThat(sum).isEqualTo(10_000L * 9_999 / 2);
        } finally {
            worker.dispose();
        }
    }
}
