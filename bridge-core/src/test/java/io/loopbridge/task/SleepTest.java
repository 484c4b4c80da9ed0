package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Async.sleep} with a positive delay, read like asyncio's {@code sleep}: the task waits on
 * a timer of the loop (no future of its own), and cancelling it cancels that timer and raises
 * {@link CancellationException} at the sleep, inside deadlines and task groups too. Every test runs
 * on each coroutine engine the JVM offers, on virtual time.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class SleepTest {
    static final Duration STEP = Duration.ofMillis(20);
    /** Longer than any test may take: reaching it means a cancellation went missing. */
    static final Duration FOREVER = Duration.ofSeconds(30);

    final List<String> events = new CopyOnWriteArrayList<>();

    /** Sleeps {@link #FOREVER}, recording how the sleep ended, and lets the cancellation propagate. */
    Coroutine<String> sleeper(String name) {
        return () -> {
            try {
                Async.sleep(FOREVER);
                events.add(name + " woke up");
                return name;
            } catch (CancellationException e) {
                events.add(name + " cancelled: " + e.getMessage() + " at " + VirtualTime.now());
                throw e;
            }
        };
    }

    static int timersLeft() {
        return Async.loop().stats().scheduledTimers();
    }

    @AllEngines
    void sleepersWakeInTheOrderOfTheirDeadlinesAtThoseTimes(CoroutineEngine engine) {
        VirtualTime.run(engine, () -> {
            Task<?> slow = Async.createTask(() -> {
                Async.sleep(STEP.multipliedBy(3));
                events.add("slow at " + VirtualTime.now());
                return null;
            });
            Task<?> fast = Async.createTask(() -> {
                Async.sleep(STEP);
                events.add("fast at " + VirtualTime.now());
                return null;
            });
            Async.await(Async.gather(slow, fast));
            return null;
        });

        assertThat(events).containsExactly("fast at " + STEP, "slow at " + STEP.multipliedBy(3));
    }

    @AllEngines
    void cancellingASleepingTaskRaisesAtTheSleepAndCancelsItsTimer(CoroutineEngine engine) {
        VirtualTime.run(engine, () -> {
            Task<String> task = Async.createTask(sleeper("sleeper"));
            Async.sleep(STEP);
            assertThat(task.toString()).as("where the task waits").contains("waiting on Async.sleep");
            assertThat(task.cancel("stop")).isTrue();
            Throwable thrown = catchThrowable(() -> Async.await(task));
            assertThat(thrown).isInstanceOf(CancellationException.class);
            assertThat(task.isCancelled()).isTrue();
            Async.sleep(Duration.ZERO);
            assertThat(timersLeft()).as("the cancelled sleep's timer is gone").isZero();
            return null;
        });

        assertThat(events).containsExactly("sleeper cancelled: stop at " + STEP);
    }

    @AllEngines
    void aTaskMayCatchTheCancellationOfItsSleepAndSleepAgain(CoroutineEngine engine) {
        String result = VirtualTime.run(engine, () -> {
            Task<String> task = Async.createTask(() -> {
                try {
                    Async.sleep(FOREVER);
                    return "slept through";
                } catch (CancellationException e) {
                    Async.currentTask().uncancel();
                }
                Async.sleep(STEP);
                return "went on until " + VirtualTime.now();
            });
            Async.sleep(STEP);
            task.cancel();
            return Async.await(task);
        });

        assertThat(result).isEqualTo("went on until " + STEP.multipliedBy(2));
    }

    @AllEngines
    void aTaskThatCancelledItselfRaisesAtItsNextSleepWithoutWaiting(CoroutineEngine engine) {
        String result = VirtualTime.run(
                engine,
                () -> Async.await(Async.createTask(() -> {
                    Async.currentTask().cancel("self");
                    Throwable thrown = catchThrowable(() -> Async.sleep(FOREVER));
                    assertThat(thrown).isInstanceOf(CancellationException.class).hasMessage("self");
                    Async.currentTask().uncancel();
                    return "raised at " + VirtualTime.now() + ", timers left " + timersLeftAfterALap();
                })));

        assertThat(result).isEqualTo("raised at PT0S, timers left 0");
    }

    static int timersLeftAfterALap() {
        Async.sleep(Duration.ZERO);
        return timersLeft();
    }

    @AllEngines
    void aSleepCancelledAndThenUncancelledStillRaisesAsAsyncio(CoroutineEngine engine) {
        String result = VirtualTime.run(engine, () -> {
            Task<String> task = Async.createTask(() -> {
                try {
                    Async.sleep(FOREVER);
                    return "slept through";
                } catch (CancellationException e) {
                    return "raised, cancelling() = " + Async.currentTask().cancelling();
                }
            });
            Async.sleep(STEP);
            task.cancel();
            task.uncancel();
            return Async.await(task);
        });

        // asyncio: the sleep's future is cancelled, so the await raises even with no request left
        assertThat(result).isEqualTo("raised, cancelling() = 0");
    }

    @AllEngines
    void aCancellationArrivingInTheLapItsTimerFiresStillRaisesAtTheSleep(CoroutineEngine engine) {
        VirtualTime.run(engine, () -> {
            Task<?>[] victim = new Task<?>[1];
            Task<?> canceller = Async.createTask(() -> {
                Async.sleep(STEP);
                victim[0].cancel("same lap");
                return null;
            });
            victim[0] = Async.createTask(() -> {
                try {
                    Async.sleep(STEP); // due with the canceller's, after it
                    events.add("victim woke up");
                } catch (CancellationException e) {
                    events.add("victim cancelled: " + e.getMessage());
                    throw e;
                }
                return null;
            });
            Async.await(Async.gatherSettled(canceller, victim[0]));
            return null;
        });

        assertThat(events).containsExactly("victim cancelled: same lap");
    }

    @AllEngines
    void aSleepInsideATimeoutEndsAtTheDeadlineWithTheTimeoutException(CoroutineEngine engine) {
        Throwable thrown = VirtualTime.run(engine, () -> {
            Throwable t = catchThrowable(() -> {
                try (Timeout scope = Async.timeout(STEP)) {
                    Async.sleep(FOREVER);
                }
            });
            assertThat(VirtualTime.now()).isEqualTo(STEP);
            assertThat(timersLeftAfterALap()).as("the sleep's timer is gone").isZero();
            return t;
        });

        assertThat(thrown).isInstanceOf(AsyncTimeoutException.class);
    }

    @AllEngines
    void aSleepShorterThanItsTimeoutEndsNormally(CoroutineEngine engine) {
        Duration woke = VirtualTime.run(engine, () -> {
            try (Timeout scope = Async.timeout(STEP.multipliedBy(2))) {
                Async.sleep(STEP);
            }
            return VirtualTime.now();
        });

        assertThat(woke).isEqualTo(STEP);
    }

    @AllEngines
    void aFailingTaskOfAGroupCancelsItsSleepingSiblingAtOnce(CoroutineEngine engine) {
        Throwable thrown = VirtualTime.run(engine, () -> {
            Throwable t = catchThrowable(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(sleeper("sibling"));
                    tg.createTask(() -> {
                        Async.sleep(STEP);
                        throw new IllegalStateException("worker");
                    });
                }
            });
            assertThat(VirtualTime.now())
                    .as("the group ended when the worker failed")
                    .isEqualTo(STEP);
            assertThat(timersLeftAfterALap()).isZero();
            return t;
        });

        assertThat(thrown).isInstanceOf(TaskGroupException.class);
        assertThat(((TaskGroupException) thrown).getExceptions())
                .extracting(Throwable::getMessage)
                .containsExactly("worker");
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).startsWith("sibling cancelled: ").endsWith(" at " + STEP);
    }

    @AllEngines
    void sleepZeroLetsEveryReadyTaskRunOnceBetweenTwoSteps(CoroutineEngine engine) {
        VirtualTime.run(engine, () -> {
            Coroutine<Void> stepper = () -> {
                String name = Async.currentTask().getName();
                for (int i = 1; i <= 3; i++) {
                    events.add(name + " " + i);
                    if (i == 2) {
                        Async.await(Async.createTask(() -> "a real await between two yields"));
                    }
                    Async.sleep(Duration.ZERO);
                }
                return null;
            };
            Task<Void> a = Async.createTask(stepper, "a");
            Task<Void> b = Async.createTask(stepper, "b");
            Async.await(Async.gather(a, b));
            return null;
        });

        assertThat(events).containsExactly("a 1", "b 1", "a 2", "b 2", "a 3", "b 3");
    }

    @AllEngines
    void aTaskCancelledWhileYieldingRaisesAtItsNextSleepZero(CoroutineEngine engine) {
        int[] yields = {0};
        Throwable thrown = VirtualTime.run(engine, () -> {
            Task<Void> spinner = Async.createTask(() -> {
                while (true) {
                    Async.sleep(Duration.ZERO);
                    yields[0]++;
                }
            });
            for (int i = 0; i < 5; i++) {
                Async.sleep(Duration.ZERO);
            }
            spinner.cancel("enough");
            return catchThrowable(() -> Async.await(spinner));
        });

        assertThat(thrown).isInstanceOf(CancellationException.class);
        assertThat(yields[0]).as("the spinner ran once per lap until cancelled").isEqualTo(4);
    }

    @AllEngines
    void sleepZeroOnADebugLoopStillYields(CoroutineEngine engine) {
        VirtualTime.run(engine, () -> {
            Async.loop().setDebug(true);
            Task<Void> other = Async.createTask(() -> {
                events.add("other runs");
                return null;
            });
            for (int i = 0; i < 3; i++) {
                Async.sleep(Duration.ZERO);
                events.add("main " + i);
            }
            Async.await(other);
            return null;
        });

        assertThat(events).containsExactly("other runs", "main 0", "main 1", "main 2");
    }

    @AllEngines
    void aSleeperWakesOneLapAfterItsTimerAsWithAsyncioSleepFuture(CoroutineEngine engine) {
        VirtualTime.run(engine, () -> {
            Task<?> sleeper = Async.createTask(() -> {
                Async.sleep(STEP);
                events.add("sleeper wakes");
                return null;
            });
            Async.sleep(Duration.ZERO); // the sleeper's timer is set first
            Async.loop().callLater(STEP, () -> events.add("callback due at the same time"));
            Async.await(sleeper);
            return null;
        });

        // asyncio: the timer sets the sleep future's result; the task's step follows in the next lap
        assertThat(events).containsExactly("callback due at the same time", "sleeper wakes");
    }
}
