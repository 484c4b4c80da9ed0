package io.loopbridge.reactor;

import static io.loopbridge.reactor.testing.BackgroundLoop.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.reactor.testing.AllEngines;
import io.loopbridge.reactor.testing.BackgroundLoop;
import io.loopbridge.reactor.testing.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * {@code ReactorBridge.scheduler(loop)}, Reactor work run as loop callbacks, and {@code
 * ReactorBridge.boundedElastic()}, loop work run on Reactor's pool for blocking tasks. Delays and
 * periods are loop timers, so the tests with time run on a {@link TestEventLoop} and move its clock.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class LoopSchedulerTest {
    final List<String> steps = new CopyOnWriteArrayList<>();
    final TestEventLoop clock = new TestEventLoop();
    final Scheduler onClock = ReactorBridge.scheduler(clock);

    @AfterEach
    void closeClock() {
        clock.close();
    }

    Runnable log(String step) {
        return () -> steps.add(step + " at " + TimeUnit.NANOSECONDS.toMillis(clock.time()) + " ms"
                + (clock.inLoop() ? "" : " OFF THE LOOP"));
    }

    // ---------------------------------------------------------------- on a running loop

    @AllEngines
    void scheduleRunsTheTaskAsALoopCallback(CoroutineEngine engine) throws Exception {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Scheduler scheduler = ReactorBridge.scheduler(bg.loop());
            CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
            scheduler.schedule(() -> inLoop.complete(bg.loop().inLoop()));
            assertThat(inLoop.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            CompletableFuture<Boolean> delayed = new CompletableFuture<>();
            scheduler.createWorker().schedule(() -> delayed.complete(bg.loop().inLoop()), 2, TimeUnit.MILLISECONDS);
            assertThat(delayed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            scheduler.dispose();
        }
    }

    @AllEngines
    void publishOnLandsThePipelineOnTheLoop(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Scheduler scheduler = ReactorBridge.scheduler(bg.loop());
            Flux<String> flux = Flux.range(1, 100)
                    .publishOn(Schedulers.parallel())
                    .map(i -> i + (bg.loop().inLoop() ? " on the loop" : " elsewhere"))
                    .publishOn(scheduler)
                    .map(s -> s + (bg.loop().inLoop() ? ", then on the loop" : ", then elsewhere"));
            StepVerifier.create(flux)
                    .expectNext("1 elsewhere, then on the loop")
                    .expectNextCount(98)
                    .expectNext("100 elsewhere, then on the loop")
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void aCoroutineCanReadAPipelinePublishedOnItsOwnLoop(CoroutineEngine engine) {
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            List<Boolean> inLoop = ReactorBridge.await(Flux.range(1, 10)
                    .publishOn(Schedulers.parallel())
                    .publishOn(ReactorBridge.scheduler(loop))
                    .map(i -> loop.inLoop())
                    .collectList());
            assertThat(inLoop).hasSize(10).containsOnly(true);
            return null;
        });
    }

    // ---------------------------------------------------------------- time, on loop time

    @Test
    void aDelayIsALoopTimer() {
        onClock.schedule(log("delayed"), 5, TimeUnit.SECONDS);
        clock.advanceTime(Duration.ofMillis(4_999));
        assertThat(steps).isEmpty();
        clock.advanceTime(Duration.ofMillis(1));
        assertThat(steps).containsExactly("delayed at 5000 ms");
    }

    @Test
    void periodicWorkRunsAtAFixedRateUntilDisposed() {
        Disposable periodic = onClock.schedulePeriodically(log("tick"), 1, 2, TimeUnit.SECONDS);
        clock.advanceTime(Duration.ofSeconds(6));
        assertThat(steps).containsExactly("tick at 1000 ms", "tick at 3000 ms", "tick at 5000 ms");

        periodic.dispose();
        assertThat(periodic.isDisposed()).isTrue();
        clock.advanceTime(Duration.ofSeconds(10));
        assertThat(steps).hasSize(3);
    }

    @Test
    void aPeriodWithoutInitialDelayStartsAtOnce() {
        onClock.schedulePeriodically(log("every second"), 0, 1, TimeUnit.SECONDS);
        clock.advanceTime(Duration.ofMillis(2_500));
        assertThat(steps).containsExactly("every second at 0 ms", "every second at 1000 ms", "every second at 2000 ms");
    }

    /** As on Reactor's own schedulers, a period of zero (or less) runs the task again as soon as it returns. */
    @Test
    void aZeroPeriodRunsTheTaskBackToBackUntilDisposed() {
        AtomicReference<Disposable> direct = new AtomicReference<>();
        direct.set(onClock.schedulePeriodically(
                () -> {
                    log("direct").run();
                    if (steps.size() == 3) {
                        direct.get().dispose();
                    }
                },
                500,
                0,
                TimeUnit.MILLISECONDS));
        clock.advanceTime(Duration.ofSeconds(1));
        assertThat(steps).containsExactly("direct at 500 ms", "direct at 500 ms", "direct at 500 ms");
        assertThat(direct.get().isDisposed()).isTrue();

        steps.clear();
        Scheduler.Worker worker = onClock.createWorker();
        AtomicReference<Disposable> onWorker = new AtomicReference<>();
        onWorker.set(worker.schedulePeriodically(
                () -> {
                    log("on a worker").run();
                    if (steps.size() == 2) {
                        onWorker.get().dispose();
                    }
                },
                0,
                -1,
                TimeUnit.SECONDS));
        clock.advanceTime(Duration.ofSeconds(1));
        assertThat(steps).containsExactly("on a worker at 1000 ms", "on a worker at 1000 ms");
        worker.dispose();
    }

    /** Reactor's time operators read the scheduler's clock: on a virtual-time loop it is loop time. */
    @Test
    void nowIsTheLoopClockSoElapsedMeasuresLoopTime() {
        long before = onClock.now(TimeUnit.MILLISECONDS);
        clock.advanceTime(Duration.ofHours(1));
        assertThat(onClock.now(TimeUnit.MILLISECONDS) - before)
                .isEqualTo(Duration.ofHours(1).toMillis());

        List<Long> gaps = new ArrayList<>();
        Flux.interval(Duration.ofSeconds(2), onClock).take(3).elapsed(onClock).subscribe(t -> gaps.add(t.getT1()));
        clock.advanceTime(Duration.ofSeconds(6));
        assertThat(gaps).containsExactly(2_000L, 2_000L, 2_000L);
    }

    @Test
    void reactorTimeOperatorsFollowTheLoopClock() {
        List<Long> ticks = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Flux.interval(Duration.ofSeconds(1), onClock).take(3).subscribe(ticks::add, e -> {}, () -> done.set(true));
        List<String> delayed = new ArrayList<>();
        Mono.just("an hour later").delayElement(Duration.ofHours(1), onClock).subscribe(delayed::add);

        clock.advanceTime(Duration.ofMillis(2_999));
        assertThat(ticks).containsExactly(0L, 1L);
        clock.advanceTime(Duration.ofMillis(1));
        assertThat(ticks).containsExactly(0L, 1L, 2L);
        assertThat(done).isTrue();

        assertThat(delayed).isEmpty();
        clock.advanceTime(Duration.ofHours(1));
        assertThat(delayed).containsExactly("an hour later");
    }

    /**
     * StepVerifier on loop time: Reactor's {@code withVirtualTime} swaps Reactor's own schedulers
     * only, so a pipeline timed by the loop's scheduler is verified by moving the {@link
     * TestEventLoop}'s clock between expectations (the test thread drives that loop).
     */
    @Test
    void stepVerifierFollowsDelaysAndPeriodsOnLoopTime() {
        StepVerifier.create(Flux.interval(Duration.ofSeconds(1), Duration.ofSeconds(2), onClock)
                        .take(3)
                        .map(i -> "tick " + i + " at " + TimeUnit.NANOSECONDS.toMillis(clock.time()) + " ms"
                                + (clock.inLoop() ? "" : " OFF THE LOOP")))
                .expectSubscription()
                .then(() -> clock.advanceTime(Duration.ofMillis(999)))
                .then(() -> clock.advanceTime(Duration.ofMillis(1)))
                .expectNext("tick 0 at 1000 ms")
                .then(() -> clock.advanceTime(Duration.ofSeconds(4)))
                .expectNext("tick 1 at 3000 ms", "tick 2 at 5000 ms")
                .expectComplete()
                .verify(PATIENCE);

        StepVerifier.create(Mono.just("an hour later").delayElement(Duration.ofHours(1), onClock))
                .expectSubscription()
                .then(() -> clock.advanceTime(Duration.ofMinutes(59)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> clock.advanceTime(Duration.ofMinutes(1)))
                .expectNext("an hour later")
                .expectComplete()
                .verify(PATIENCE);
    }

    // ---------------------------------------------------------------- workers and disposal

    @Test
    void aWorkerRunsItsTasksInOrder() {
        Scheduler.Worker w = onClock.createWorker();
        w.schedule(log("a"));
        w.schedule(log("b"), 1, TimeUnit.SECONDS);
        w.schedule(log("c"));
        clock.advanceTime(Duration.ofSeconds(1));
        assertThat(steps).containsExactly("a at 0 ms", "c at 0 ms", "b at 1000 ms");
        w.dispose();
    }

    @Test
    void disposingATaskCancelsIt() {
        Disposable d = onClock.schedule(log("cancelled"), 1, TimeUnit.SECONDS);
        Disposable now = onClock.schedule(log("cancelled too"));
        d.dispose();
        now.dispose();
        assertThat(d.isDisposed()).isTrue();
        clock.advanceTime(Duration.ofSeconds(2));
        assertThat(steps).isEmpty();
    }

    @Test
    void disposingAWorkerCancelsItsPendingWorkAndRejectsMore() {
        Scheduler.Worker disposed = onClock.createWorker();
        Scheduler.Worker other = onClock.createWorker();
        disposed.schedule(log("pending"));
        disposed.schedule(log("delayed"), 1, TimeUnit.SECONDS);
        disposed.schedulePeriodically(log("periodic"), 0, 1, TimeUnit.SECONDS);
        other.schedule(log("other"), 1, TimeUnit.SECONDS);

        disposed.dispose();
        assertThat(disposed.isDisposed()).isTrue();
        assertThatThrownBy(() -> disposed.schedule(log("rejected"))).isInstanceOf(RejectedExecutionException.class);
        clock.advanceTime(Duration.ofSeconds(3));
        assertThat(steps).containsExactly("other at 1000 ms");
        other.dispose();
    }

    @Test
    void disposingTheSchedulerCancelsPendingWorkOfItsWorkersAndRejectsMore() {
        Scheduler.Worker w = onClock.createWorker();
        onClock.schedule(log("direct"), 1, TimeUnit.SECONDS);
        w.schedule(log("on a worker"), 1, TimeUnit.SECONDS);

        onClock.dispose();
        assertThat(onClock.isDisposed()).isTrue();
        assertThatThrownBy(() -> onClock.schedule(log("rejected"))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> onClock.createWorker().schedule(log("rejected")))
                .isInstanceOf(RejectedExecutionException.class);
        clock.advanceTime(Duration.ofSeconds(2));
        assertThat(steps).isEmpty();

        clock.callSoon(log("the loop itself stays open"));
        clock.runUntilIdle();
        assertThat(steps).containsExactly("the loop itself stays open at 2000 ms");
    }

    /** As Reactor's own schedulers: a disposed scheduler cannot be initialized again. */
    @Test
    void initializingADisposedSchedulerIsRefused() {
        onClock.init(); // a live one: nothing to do
        onClock.dispose();
        assertThatThrownBy(onClock::init)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("disposed");
        assertThat(onClock.isDisposed()).isTrue();
    }

    @Test
    void publishOnADisposedSchedulerSignalsRejection() {
        onClock.dispose();
        List<Throwable> errors = new ArrayList<>();
        Flux.just(1).publishOn(onClock).subscribe(i -> {}, errors::add);
        assertThat(errors).singleElement().isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aClosedLoopRejectsWork() {
        EventLoop closed = new EventLoop();
        closed.close();
        Scheduler s = ReactorBridge.scheduler(closed);
        assertThatThrownBy(() -> s.schedule(() -> {})).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> s.schedule(() -> {}, 1, TimeUnit.SECONDS))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatNullPointerException()
                .isThrownBy(() -> ReactorBridge.scheduler(null))
                .withMessage("loop");
        assertThatNullPointerException()
                .isThrownBy(() -> onClock.schedule(null))
                .withMessage("task");
    }

    // ---------------------------------------------------------------- the other way: blocking work off the loop

    @AllEngines
    void boundedElasticRunsBlockingWorkOffTheLoop(CoroutineEngine engine) {
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            String thread = Async.await(loop.runInExecutor(ReactorBridge.boundedElastic(), () -> {
                Thread.sleep(1);
                return Thread.currentThread().getName() + (loop.inLoop() ? " on the loop" : "");
            }));
            assertThat(thread).startsWith("boundedElastic-").doesNotContain("on the loop");
            assertThat(loop.inLoop()).isTrue();

            UncheckedIOException boom = new UncheckedIOException(new java.io.IOException("disk"));
            assertThatThrownBy(() -> Async.await(loop.runInExecutor(ReactorBridge.boundedElastic(), () -> {
                        throw boom;
                    })))
                    .isSameAs(boom);
            return null;
        });
    }
}
