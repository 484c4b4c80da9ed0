package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many tasks taking turns on the thread engines' role protocol: switches by {@code sleep(0)},
 * awaits of futures that foreign threads complete through {@code callSoonThreadsafe} and {@code
 * runCoroutineThreadsafe}, children that finish inline mid-lap, random cancels, a stop with bodies
 * suspended and a second run, then a close with bodies still suspended. Nothing may hang (a lost
 * wake-up or a lost role), every finally runs exactly once, and no loop thread is left.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(120)
class LoopRoleStressTest {
    static final int TASKS = 150;
    static final int ROUNDS = 3;

    static Stream<CoroutineEngine> threadEngines() {
        return Stream.of(CoroutineEngine.THREADS, CoroutineEngine.VIRTUAL).filter(CoroutineEngine::isAvailable);
    }

    final Map<Integer, AtomicInteger> finallies = new ConcurrentHashMap<>();
    final AtomicInteger started = new AtomicInteger();
    final AtomicReference<Throwable> unexpected = new AtomicReference<>();

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void manyTasksTakingTurnsWithForeignWakeUpsCancelsStopsAndAClose(CoroutineEngine engine) throws Exception {
        ExecutorService foreign = Executors.newFixedThreadPool(2);
        EventLoop loop = new EventLoop(engine);
        loop.setExceptionHandler((l, ctx) -> unexpected.compareAndSet(null, (Throwable) ctx.get("exception")));
        try {
            for (int round = 0; round < ROUNDS; round++) {
                runRound(loop, foreign, round);
            }
            // a last batch left suspended mid-work for close() to unwind
            List<Task<Integer>> left = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                left.add(loop.createTask(worker(loop, foreign, 10_000 + i, new SplittableRandom(i), true)));
            }
            runInThread(
                    loop,
                    () -> loop.runUntilComplete(loop.createTask(() -> {
                        for (int i = 0; i < 20; i++) {
                            Async.sleep(Duration.ZERO);
                        }
                        return null;
                    })));
            assertThat(left).anyMatch(t -> !t.isDone());
        } finally {
            closeInThread(loop);
            foreign.shutdown();
            assertThat(foreign.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(unexpected.get()).as("no exception reached the handler").isNull();
        assertThat(finallies).hasSize(started.get());
        assertThat(finallies.entrySet())
                .as("every body's finally ran exactly once")
                .allSatisfy(e ->
                        assertThat(e.getValue().get()).as("task %d", e.getKey()).isEqualTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void asyncGeneratorsSteppedByWhicheverThreadHoldsTheLoop(CoroutineEngine engine) throws Exception {
        ExecutorService foreign = Executors.newFixedThreadPool(2);
        EventLoop loop = new EventLoop(engine);
        loop.setExceptionHandler((l, ctx) -> unexpected.compareAndSet(null, (Throwable) ctx.get("exception")));
        List<AsyncGenerator<Integer, Void>> gens = new ArrayList<>();
        List<Task<Integer>> consumers = new ArrayList<>();
        StringBuilder dump = new StringBuilder();
        try {
            for (int g = 0; g < 12; g++) {
                int id = 20_000 + g;
                gens.add(AsyncGenerator.of(y -> {
                    started.incrementAndGet();
                    try {
                        for (int i = 0; ; i++) {
                            LoopFuture<Integer> f = loop.createFuture();
                            int v = i;
                            foreign.execute(() -> loop.callSoonThreadsafe(() -> f.setResult(v)));
                            Async.sleep(Duration.ZERO);
                            y.yield(Async.await(f));
                        }
                    } finally {
                        finallies.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            for (int c = 0; c < 12; c++) {
                AsyncGenerator<Integer, Void> gen = gens.get(c); // one consumer each: anext() never overlaps
                int id = 30_000 + c;
                consumers.add(loop.createTask(() -> {
                    started.incrementAndGet();
                    try {
                        int sum = 0;
                        for (int i = 0; i < 20; i++) {
                            sum += Async.await(gen.anext());
                            if (i == 10 && id == 30_000) {
                                Async.loop().dumpTasks(dump); // bodies suspended on threads that run the lap
                            }
                            Async.sleep(Duration.ZERO);
                        }
                        return sum;
                    } finally {
                        finallies.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            runInThread(
                    loop,
                    () -> loop.runUntilComplete(loop.createTask(() -> {
                        Async.await(Async.gatherSettled(consumers));
                        return null;
                    })));
            for (Task<Integer> t : consumers) {
                assertThat(t.result()).isNotNull();
            }
            assertThat(dump.toString()).contains("live task(s)");
        } finally {
            closeInThread(loop); // the generators are left suspended at a yield
            foreign.shutdown();
            assertThat(foreign.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(unexpected.get()).as("no exception reached the handler").isNull();
        assertThat(finallies).hasSize(started.get()).hasSize(24);
        assertThat(finallies.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    /** Tasks work and get cancelled; the loop stops midway, runs again, and runs until all are done. */
    private void runRound(EventLoop loop, ExecutorService foreign, int round) throws Exception {
        List<Task<Integer>> tasks = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(round);
        for (int i = 0; i < TASKS; i++) {
            tasks.add(loop.createTask(worker(loop, foreign, round * 1000 + i, random.split(), false)));
        }
        Task<Void> canceller = loop.createTask(() -> {
            SplittableRandom r = new SplittableRandom(round + 100);
            for (int i = 0; i < TASKS / 5; i++) {
                tasks.get(r.nextInt(TASKS)).cancel("random cancel");
                Async.sleep(Duration.ZERO);
            }
            return null;
        });
        // stop with bodies suspended (mid-switch, mid-await), then run again until everything ends
        runInThread(
                loop,
                () -> loop.runUntilComplete(loop.createTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        Async.sleep(Duration.ZERO);
                    }
                    return null;
                })));
        List<Task<?>> all = new ArrayList<>(tasks);
        all.add(canceller);
        runInThread(
                loop,
                () -> loop.runUntilComplete(loop.createTask(() -> {
                    Async.await(Async.gatherSettled(all));
                    return null;
                })));
        assertThat(tasks).allMatch(Task::isDone);
        for (Task<Integer> t : tasks) {
            if (!t.isCancelled()) {
                assertThat(t.result()).isNotNull();
            }
        }
    }

    private Coroutine<Integer> worker(
            EventLoop loop, ExecutorService foreign, int id, SplittableRandom random, boolean endless) {
        return () -> {
            started.incrementAndGet();
            Task<?> me = Async.currentTask();
            try {
                int sum = 0;
                for (int i = 0; endless || i < 12; i++) {
                    assertThat(Async.currentTask()).isSameAs(me);
                    switch (random.nextInt(5)) {
                        case 0:
                        case 1:
                            Async.sleep(Duration.ZERO);
                            break;
                        case 2: {
                            LoopFuture<Integer> f = loop.createFuture();
                            int v = i;
                            foreign.execute(() -> loop.callSoonThreadsafe(() -> {
                                if (!f.isDone()) {
                                    f.setResult(v);
                                }
                            }));
                            sum += Async.await(f);
                            break;
                        }
                        case 3: {
                            // a child that ends inline mid-lap, and one that switches once
                            Task<Integer> quick = Async.createTask(() -> 1);
                            Task<Integer> once = Async.createTask(() -> {
                                Async.sleep(Duration.ZERO);
                                return 2;
                            });
                            sum += Async.await(quick) + Async.await(once);
                            break;
                        }
                        default: {
                            // a coroutine submitted from a foreign thread, awaited through a loop future
                            LoopFuture<Integer> f = loop.createFuture();
                            foreign.execute(() -> {
                                CompletableFuture<Integer> cf = loop.runCoroutineThreadsafe(() -> {
                                    Async.sleep(Duration.ZERO);
                                    return 3;
                                });
                                cf.whenComplete((v, e) -> loop.callSoonThreadsafe(() -> {
                                    if (!f.isDone()) {
                                        if (e != null) {
                                            f.setException(e);
                                        } else {
                                            f.setResult(v);
                                        }
                                    }
                                }));
                            });
                            sum += Async.await(f);
                        }
                    }
                }
                return sum;
            } finally {
                finallies.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
        };
    }

    /** Runs the loop on a plain thread and waits, with a generous bound, for the run to return. */
    private static void runInThread(EventLoop loop, Runnable run) throws Exception {
        CompletableFuture<Void> done = CompletableFuture.runAsync(run, r -> new Thread(r, "stress-runner").start());
        await().atMost(Duration.ofSeconds(60)).until(done::isDone);
        done.get();
    }

    private static void closeInThread(EventLoop loop) throws Exception {
        runInThread(loop, loop::close);
    }
}
