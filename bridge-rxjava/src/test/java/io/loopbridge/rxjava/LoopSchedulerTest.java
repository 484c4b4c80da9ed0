package io.loopbridge.rxjava;

import static io.loopbridge.rxjava.RxTesting.captureLoopErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.rxjava.RxTesting.LoopThread;
import io.loopbridge.rxjava.RxTesting.NoThreadsLeft;
import io.loopbridge.rxjava.RxTesting.RxJavaErrors;
import io.loopbridge.task.CoroutineEngine;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.UndeliverableException;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.Timed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code RxBridge.scheduler(loop)}: RxJava work as loop callbacks, timed by the loop's clock. Time
 * is virtual ({@link TestEventLoop}, the loop's own {@code TestScheduler}), so delays and periods
 * are exact.
 */
@ExtendWith({NoThreadsLeft.class, RxJavaErrors.class})
class LoopSchedulerTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    /** Logs "what at Ns" in loop time. */
    Runnable log(EventLoop loop, String what) {
        return () -> steps.add(what + " at " + TimeUnit.NANOSECONDS.toSeconds(loop.time()) + "s");
    }

    @AllEngines
    void workRunsAsACallbackOfTheLoop(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            AtomicReference<EventLoop> ranOn = new AtomicReference<>();
            RxBridge.scheduler(loop).scheduleDirect(() -> ranOn.set(EventLoop.running()));
            assertThat(ranOn).hasNullValue();
            loop.runUntilIdle();
            assertThat(ranOn).hasValue(loop);
        }
    }

    @AllEngines
    void aWorkersTasksRunOneAtATimeInTheOrderScheduled(CoroutineEngine engine) throws Exception {
        try (LoopThread lt = new LoopThread(engine)) {
            Scheduler.Worker worker = RxBridge.scheduler(lt.loop).createWorker();
            List<Integer> order = new CopyOnWriteArrayList<>();
            AtomicInteger running = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1000);
            for (int i = 0; i < 1000; i++) {
                int n = i;
                worker.schedule(() -> {
                    assertThat(running.incrementAndGet()).isEqualTo(1);
                    assertThat(lt.loop.inLoop()).isTrue();
                    order.add(n);
                    running.decrementAndGet();
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order).isEqualTo(IntStream.range(0, 1000).boxed().collect(Collectors.toList()));
            worker.dispose();
            assertThat(lt.loopErrors).isEmpty();
        }
    }

    @AllEngines
    void aDelayedTaskRunsAtItsTimeOnTheLoopsClock(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            Scheduler.Worker worker = RxBridge.scheduler(loop).createWorker();
            Disposable d = worker.schedule(log(loop, "ran"), 5, TimeUnit.SECONDS);
            loop.advanceTime(Duration.ofMillis(4_999));
            assertThat(steps).isEmpty();
            assertThat(d.isDisposed()).isFalse();
            loop.advanceTime(Duration.ofMillis(1));
            assertThat(steps).containsExactly("ran at 5s");
            assertThat(d.isDisposed()).as("a task that ran").isTrue();
        }
    }

    @AllEngines
    void aPeriodicTaskRunsAtAFixedRate(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            Scheduler scheduler = RxBridge.scheduler(loop);
            Disposable late = scheduler.schedulePeriodicallyDirect(log(loop, "late"), 1, 2, TimeUnit.SECONDS);
            Disposable now = scheduler.createWorker().schedulePeriodically(log(loop, "now"), 0, 3, TimeUnit.SECONDS);
            loop.advanceTime(Duration.ofSeconds(7));
            // at 3s both are due: "now" scheduled its timer first (at 0s), "late" at 1s
            assertThat(steps)
                    .containsExactly(
                            "now at 0s",
                            "late at 1s",
                            "now at 3s",
                            "late at 3s",
                            "late at 5s",
                            "now at 6s",
                            "late at 7s");
            late.dispose();
            now.dispose();
            loop.advanceTime(Duration.ofSeconds(10));
            assertThat(steps).hasSize(7);
        }
    }

    @AllEngines
    void disposingATaskCancelsIt(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            Scheduler.Worker worker = RxBridge.scheduler(loop).createWorker();
            Disposable soon = worker.schedule(log(loop, "soon"));
            Disposable later = worker.schedule(log(loop, "later"), 1, TimeUnit.SECONDS);
            soon.dispose();
            loop.runUntilIdle();
            later.dispose();
            loop.advanceTime(Duration.ofSeconds(2));
            assertThat(steps).isEmpty();
            assertThat(soon.isDisposed()).isTrue();
            assertThat(later.isDisposed()).isTrue();
        }
    }

    @AllEngines
    void disposingAWorkerCancelsItsPendingWorkAndRejectsMore(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            Scheduler.Worker worker = RxBridge.scheduler(loop).createWorker();
            worker.schedule(log(loop, "immediate"));
            worker.schedule(log(loop, "delayed"), 1, TimeUnit.SECONDS);
            worker.schedulePeriodically(log(loop, "periodic"), 1, 1, TimeUnit.SECONDS);
            worker.dispose();
            assertThat(worker.isDisposed()).isTrue();
            Disposable after = worker.schedule(log(loop, "after dispose"));
            assertThat(after.isDisposed()).isTrue();
            loop.advanceTime(Duration.ofSeconds(5));
            assertThat(steps).isEmpty();
        }
    }

    @AllEngines
    void intervalTicksOnTheLoopsTimers(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            Scheduler scheduler = RxBridge.scheduler(loop);
            TestObserver<Timed<Long>> to = Observable.interval(1, TimeUnit.SECONDS, scheduler)
                    .take(3)
                    .timestamp(TimeUnit.MILLISECONDS, scheduler)
                    .test();
            long start = scheduler.now(TimeUnit.MILLISECONDS);
            loop.advanceTime(Duration.ofSeconds(2));
            to.assertValueCount(2).assertNotComplete();
            loop.advanceTime(Duration.ofSeconds(1));
            to.assertComplete();
            assertThat(to.values().stream().map(t -> t.time() - start).collect(Collectors.toList()))
                    .containsExactly(1_000L, 2_000L, 3_000L);
            assertThat(to.values().stream().map(Timed::value).collect(Collectors.toList()))
                    .containsExactly(0L, 1L, 2L);
        }
    }

    @AllEngines
    void observeOnMovesAPipelineOntoTheLoop(CoroutineEngine engine) throws Exception {
        try (LoopThread lt = new LoopThread(engine)) {
            TestObserver<EventLoop> to = Observable.range(1, 100)
                    .subscribeOn(Schedulers.computation())
                    .observeOn(RxBridge.scheduler(lt.loop))
                    .map(i -> EventLoop.running())
                    .test();
            to.awaitDone(10, TimeUnit.SECONDS).assertValueCount(100).assertComplete();
            assertThat(to.values()).containsOnly(lt.loop);
        }
    }

    @AllEngines
    void nowFollowsTheLoopsClockFromTheWallClock(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            Scheduler scheduler = RxBridge.scheduler(loop);
            long before = scheduler.now(TimeUnit.MILLISECONDS);
            assertThat(before).isCloseTo(System.currentTimeMillis(), within(60_000L));
            loop.advanceTime(Duration.ofHours(1));
            assertThat(scheduler.now(TimeUnit.MILLISECONDS) - before).isEqualTo(3_600_000L);
            assertThat(scheduler.createWorker().now(TimeUnit.SECONDS)).isEqualTo(scheduler.now(TimeUnit.SECONDS));
        }
    }

    @AllEngines
    void shutdownCancelsPendingWorkAndLeavesTheLoopOpen(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            Scheduler scheduler = RxBridge.scheduler(loop);
            Scheduler.Worker worker = scheduler.createWorker();
            worker.schedule(log(loop, "worker"), 1, TimeUnit.SECONDS);
            scheduler.scheduleDirect(log(loop, "direct"), 1, TimeUnit.SECONDS);
            scheduler.shutdown();
            assertThat(worker.isDisposed()).isTrue();
            assertThat(scheduler.createWorker().isDisposed())
                    .as("a worker made after shutdown")
                    .isTrue();
            assertThat(scheduler.scheduleDirect(log(loop, "after shutdown")).isDisposed())
                    .isTrue();
            assertThat(worker.schedule(log(loop, "on a worker after shutdown")).isDisposed())
                    .isTrue();
            assertThat(RxJavaErrors.take())
                    .as("as RxJava's shut-down schedulers, the dropped work is reported, not lost in silence")
                    .hasSize(2)
                    .allSatisfy(e -> assertThat(e)
                            .isInstanceOf(UndeliverableException.class)
                            .cause()
                            .isInstanceOf(RejectedExecutionException.class)
                            .hasMessageContaining("is shut down"));
            loop.advanceTime(Duration.ofSeconds(2));
            assertThat(steps).isEmpty();
            assertThat(loop.isClosed()).isFalse();
            loop.callSoon(log(loop, "the loop runs on"));
            loop.runUntilIdle();
            assertThat(steps).containsExactly("the loop runs on at 2s");

            scheduler.start();
            scheduler.scheduleDirect(log(loop, "after start"));
            loop.runUntilIdle();
            assertThat(steps).endsWith("after start at 2s");
        }
    }

    @AllEngines
    void aTaskThatThrowsIsReportedAndAPeriodicOneStops(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
            AtomicInteger runs = new AtomicInteger();
            Disposable d = RxBridge.scheduler(loop)
                    .schedulePeriodicallyDirect(
                            () -> {
                                runs.incrementAndGet();
                                throw new RuntimeException("tick failed");
                            },
                            1,
                            1,
                            TimeUnit.SECONDS);
            loop.advanceTime(Duration.ofSeconds(5));
            assertThat(runs).hasValue(1);
            assertThat(d.isDisposed()).isTrue();
            assertThat(loopErrors).singleElement().satisfies(ctx -> {
                assertThat((String) ctx.get("message"))
                        .contains("a task scheduled on RxBridge.scheduler")
                        .contains("threw");
                assertThat((Throwable) ctx.get("exception")).hasMessage("tick failed");
            });
            assertThat(RxJavaErrors.take()).singleElement().isInstanceOf(UndeliverableException.class);
        }
    }

    @AllEngines
    void workOnAClosedLoopIsRejectedAsRxJavaRejectsIt(CoroutineEngine engine) {
        TestEventLoop loop = new TestEventLoop(engine);
        Scheduler scheduler = RxBridge.scheduler(loop);
        loop.close();
        Disposable d = scheduler.scheduleDirect(log(loop, "never"));
        assertThat(d.isDisposed()).isTrue();
        assertThat(RxJavaErrors.take())
                .singleElement()
                .isInstanceOf(UndeliverableException.class)
                .extracting(Throwable::getCause)
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(steps).isEmpty();
    }

    @AllEngines
    void workIsDecoratedByRxJavaPluginsOnSchedule(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            RxJavaPlugins.setScheduleHandler(r -> () -> {
                steps.add("decorated");
                r.run();
            });
            RxBridge.scheduler(loop).createWorker().schedule(log(loop, "task"));
            loop.runUntilIdle();
            assertThat(steps).containsExactly("decorated", "task at 0s");
        }
    }
}
