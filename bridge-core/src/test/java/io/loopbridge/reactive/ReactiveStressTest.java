package io.loopbridge.reactive;

import static io.loopbridge.reactive.RecordingSubscriber.PATIENCE;
import static io.loopbridge.reactive.RecordingSubscriber.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Signals from many threads at once: upstream items produced on several threads reach the
 * coroutine one at a time and none is lost; demand and cancel issued from other threads while the
 * generator emits. Every test runs on each coroutine engine the JVM offers, a few rounds each.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class ReactiveStressTest {
    static final int ROUNDS = 4;
    static final int PRODUCERS = 4;
    static final int PER_PRODUCER = 5_000;

    interface Body {
        void run() throws Exception;
    }

    static void onEngine(CoroutineEngine engine, Body body) {
        Async.run(engine, () -> {
            body.run();
            return null;
        });
    }

    static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    /** Every value of {@code 0 .. PRODUCERS * PER_PRODUCER - 1} once, and each producer's own values in order. */
    static void assertEachItemOnceInProducerOrder(List<Integer> seen) {
        int total = PRODUCERS * PER_PRODUCER;
        assertThat(seen).hasSize(total);
        int[] count = new int[total];
        int[] lastOfProducer = new int[PRODUCERS];
        Arrays.fill(lastOfProducer, -1);
        for (int v : seen) {
            count[v]++;
            int p = v / PER_PRODUCER;
            assertThat(v).as("producer %d's order", p).isGreaterThan(lastOfProducer[p]);
            lastOfProducer[p] = v;
        }
        for (int v = 0; v < total; v++) {
            assertThat(count[v]).as("item %d", v).isEqualTo(1);
        }
    }

    @AllEngines
    void aMergeOfFourThreadsIsSerializedToTheCoroutine(CoroutineEngine engine) {
        List<Scheduler> schedulers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            schedulers.add(Schedulers.newSingle("producer-" + p));
        }
        try {
            onEngine(engine, () -> {
                for (int round = 0; round < ROUNDS; round++) {
                    List<Flux<Integer>> sources = new ArrayList<>();
                    for (int p = 0; p < PRODUCERS; p++) {
                        sources.add(Flux.range(p * PER_PRODUCER, PER_PRODUCER).publishOn(schedulers.get(p), 16));
                    }
                    // each source emits on its producer thread; merge hands items over from whichever
                    // thread drains it, the coroutine's own request included
                    LoopSubscriber<Integer> items = Reactive.iterate(Flux.merge(sources), 32);
                    List<Integer> seen = new ArrayList<>();
                    for (int i : items) {
                        seen.add(i);
                    }
                    assertEachItemOnceInProducerOrder(seen);
                }
            });
        } finally {
            schedulers.forEach(Scheduler::dispose);
        }
    }

    @AllEngines
    void fourThreadsEmittingIntoOneSinkLoseNothing(CoroutineEngine engine) {
        onEngine(engine, () -> {
            for (int round = 0; round < ROUNDS; round++) {
                Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer();
                LoopSubscriber<Integer> items = Reactive.iterate(sink.asFlux(), 64);
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    int first = p * PER_PRODUCER;
                    Thread t = new Thread(
                            () -> {
                                try {
                                    start.await();
                                } catch (InterruptedException e) {
                                    return;
                                }
                                for (int v = first; v < first + PER_PRODUCER; v++) {
                                    // concurrent emitters collide (FAIL_NON_SERIALIZED); retry until it is our turn
                                    sink.emitNext(v, Sinks.EmitFailureHandler.busyLooping(PATIENCE));
                                }
                            },
                            "sink-producer-" + p);
                    t.start();
                    producers.add(t);
                }
                Thread completer = new Thread(
                        () -> {
                            try {
                                for (Thread t : producers) {
                                    t.join();
                                }
                            } catch (InterruptedException e) {
                                return;
                            }
                            sink.emitComplete(Sinks.EmitFailureHandler.busyLooping(PATIENCE));
                        },
                        "sink-completer");
                completer.start();
                start.countDown();
                List<Integer> seen = new ArrayList<>();
                for (int i : items) {
                    seen.add(i);
                }
                assertEachItemOnceInProducerOrder(seen);
                eventually("the producers end", () -> !completer.isAlive());
            }
        });
    }

    @AllEngines
    void demandFromAnotherThreadWhileTheGeneratorEmits(CoroutineEngine engine) {
        onEngine(engine, () -> {
            int n = 10_000;
            Publisher<Integer> p = Reactive.publisher(Async.loop(), y -> {
                for (int i = 1; i <= n; i++) {
                    y.yield(i);
                }
            });
            for (int round = 0; round < ROUNDS; round++) {
                // publishOn requests from its worker thread, a few items at a time
                List<Integer> seen = new ArrayList<>();
                for (int i : Reactive.iterate(Flux.from(p).publishOn(Schedulers.parallel(), 8), 16)) {
                    seen.add(i);
                }
                assertThat(seen).isEqualTo(range(1, n));

                List<Integer> blocked = Async.toThread(() -> Flux.from(p)
                        .limitRate(5)
                        .publishOn(Schedulers.parallel(), 4)
                        .collectList()
                        .block(PATIENCE));
                assertThat(blocked).isEqualTo(range(1, n));
            }
            assertThat(Async.allTasks()).containsExactly(Async.currentTask());
        });
    }

    @AllEngines
    void aPublisherOfAnotherLoopIsReadAcrossThreads(CoroutineEngine engine) throws InterruptedException {
        CompletableFuture<EventLoop> other = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread otherThread = new Thread(
                () -> Async.run(engine, () -> {
                    other.complete(Async.loop());
                    return Async.await(stop);
                }),
                "other-loop");
        otherThread.start();
        try {
            onEngine(engine, () -> {
                EventLoop b = Async.await(other);
                int n = 5_000;
                List<String> finallies = new CopyOnWriteArrayList<>();
                Publisher<Integer> onB = Reactive.publisher(b, y -> {
                    try {
                        for (int i = 1; i <= n; i++) {
                            y.yield(i);
                        }
                    } finally {
                        finallies.add("finally");
                    }
                });
                for (int round = 0; round < ROUNDS; round++) {
                    // every request and cancel crosses from this loop's thread to b's
                    List<Integer> seen = new ArrayList<>();
                    for (int i : Reactive.iterate(onB, 16)) {
                        seen.add(i);
                    }
                    assertThat(seen).isEqualTo(range(1, n));
                    assertThat(Reactive.awaitFirst(onB)).isEqualTo(1);
                    int expected = 2 * (round + 1);
                    eventually("b's generators are closed", () -> finallies.size() == expected);
                }
                Publisher<Integer> fewOnB = Reactive.publisher(b, y -> {
                    for (int i = 1; i <= 300; i++) {
                        y.yield(i);
                    }
                });
                assertThat(Reactive.toList(Reactive.mapAsync(fewOnB, Async.loop(), 8, i -> -i)))
                        .isEqualTo(range(1, 300).stream().map(i -> -i).collect(Collectors.toList()));
                assertThat(Reactive.awaitSingle(Reactive.fromCoroutine(
                                b, () -> Thread.currentThread().getName())))
                        .isNotNull();
            });
        } finally {
            stop.complete(null);
            otherThread.join();
        }
    }

    @AllEngines
    void cancelFromAnotherThreadWhileTheGeneratorEmits(CoroutineEngine engine) {
        onEngine(engine, () -> {
            List<String> finallies = new CopyOnWriteArrayList<>();
            Publisher<Integer> endless = Reactive.publisher(Async.loop(), y -> {
                try {
                    for (int i = 1; ; i++) {
                        y.yield(i);
                    }
                } finally {
                    finallies.add("finally");
                }
            });
            for (int round = 0; round < ROUNDS; round++) {
                List<Integer> first = Async.toThread(() -> Flux.from(endless)
                        .publishOn(Schedulers.parallel(), 4)
                        .take(500)
                        .collectList()
                        .block(PATIENCE));
                assertThat(first).isEqualTo(range(1, 500));
                int expected = round + 1;
                eventually("the generator of round " + round + " is closed", () -> finallies.size() == expected);
            }
            assertThat(Async.allTasks()).containsExactly(Async.currentTask());
        });
    }
}
