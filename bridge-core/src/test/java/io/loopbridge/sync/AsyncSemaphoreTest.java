package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncSemaphore}, read like asyncio's {@code Semaphore}: at most {@code value} holders,
 * waiters served first come first served, and no permit lost to a waiter cancelled after it was
 * handed one (python/asyncio#270, gh-90155). Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
@SuppressWarnings("try")
class AsyncSemaphoreTest {
    final List<String> steps = new ArrayList<>();

    Task<Void> worker(AsyncSemaphore sem, String name) {
        return Async.createTask(
                () -> {
                    steps.add(name + " acquires");
                    try (Permit p = sem.acquire()) {
                        steps.add(name + " has a permit");
                        Async.sleep(Duration.ZERO);
                        steps.add(name + " releases");
                    } catch (CancellationException e) {
                        steps.add(name + " cancelled");
                        throw e;
                    }
                    return null;
                },
                name);
    }

    @Nested
    class Permits {

        @AllEngines
        void aSemaphoreLetsValueCoroutinesInAndTheNextOnesWaitInOrder(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(2);
                assertThat(sem).hasToString("AsyncSemaphore[unlocked, value:2]");
                Task<Void> a = worker(sem, "a");
                Task<Void> b = worker(sem, "b");
                Task<Void> c = worker(sem, "c");
                Task<Void> d = worker(sem, "d");

                Async.await(Async.gather(a, b, c, d));

                assertThat(steps)
                        .containsExactly(
                                "a acquires",
                                "a has a permit",
                                "b acquires",
                                "b has a permit",
                                "c acquires",
                                "d acquires",
                                "a releases",
                                "b releases",
                                "c has a permit",
                                "d has a permit",
                                "c releases",
                                "d releases");
                assertThat(sem.availablePermits()).isEqualTo(2);
                return null;
            });
        }

        @AllEngines
        void theDefaultSemaphoreHasOnePermit(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore();
                assertThat(sem.locked()).isFalse();

                try (Permit p = sem.acquire()) {
                    assertThat(sem.locked()).isTrue();
                    assertThat(sem).hasToString("AsyncSemaphore[locked]");
                }

                assertThat(sem.availablePermits()).isEqualTo(1);
                return null;
            });
        }

        @AllEngines
        void releaseWithoutAcquireAddsAPermit(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(0);
                assertThat(sem.locked()).isTrue();

                sem.release();

                assertThat(sem.availablePermits()).isEqualTo(1);
                sem.acquire();
                assertThat(sem.locked()).isTrue();
                return null;
            });
        }

        @AllEngines
        void aNewcomerCannotOvertakeAWaiter(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(1);
                Permit mine = sem.acquire();
                Task<Void> a = worker(sem, "a");
                settle();

                mine.close(); // the permit goes straight to a
                assertThat(sem.locked()).isTrue();
                steps.add("main acquires again");
                try (Permit again = sem.acquire()) {
                    steps.add("main has a permit");
                }

                assertThat(a.isDone()).isTrue();
                assertThat(steps)
                        .containsExactly(
                                "a acquires",
                                "main acquires again",
                                "a has a permit",
                                "a releases",
                                "main has a permit");
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aCancelledWaiterLeavesTheQueue(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(0);
                Task<Void> a = worker(sem, "a");
                settle();
                assertThat(sem).hasToString("AsyncSemaphore[locked, waiters:1]");

                a.cancel();
                settle();
                sem.release();

                assertThat(a.isCancelled()).isTrue();
                assertThat(sem).hasToString("AsyncSemaphore[unlocked, value:1]");
                return null;
            });
        }

        @AllEngines
        void aWaiterCancelledInTheLapItIsHandedAPermitHandsItOn(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(0);
                Task<Void> a = worker(sem, "a");
                Task<Void> b = worker(sem, "b");
                settle();

                sem.release(); // hands the permit to a...
                a.cancel(); // ...which is cancelled before it can run
                Async.await(b);

                assertThat(a.isCancelled()).isTrue();
                assertThat(steps)
                        .containsExactly("a acquires", "b acquires", "a cancelled", "b has a permit", "b releases");
                assertThat(sem.availablePermits()).isEqualTo(1);
                return null;
            });
        }

        @AllEngines
        void aWaiterCancelledInTheLapItIsHandedAPermitGivesItBackWhenNobodyElseWaits(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(0);
                Task<Void> a = worker(sem, "a");
                settle();

                sem.release();
                a.cancel();
                settle();

                assertThat(a.isCancelled()).isTrue();
                assertThat(sem).hasToString("AsyncSemaphore[unlocked, value:1]");
                return null;
            });
        }

        @AllEngines
        void manyReleasesThenCancellingEveryoneWokenLosesNoPermit(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(0);
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    tasks.add(worker(sem, "w" + i));
                }
                settle();

                sem.release();
                sem.release();
                sem.release();
                tasks.get(0).cancel();
                tasks.get(1).cancel();
                tasks.get(3).cancel();
                Async.await(Async.gatherSettled(tasks));

                assertThat(tasks.get(2).isCancelled()).isFalse();
                assertThat(tasks.get(4).isCancelled()).isFalse();
                assertThat(sem.availablePermits()).isEqualTo(3);
                return null;
            });
        }

        @AllEngines
        void aTimeoutWhileWaitingTakesNoPermit(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(0);
                boolean timedOut = false;
                try (var t = Async.timeout(Duration.ofMillis(10))) {
                    sem.acquire();
                } catch (AsyncTimeoutException e) {
                    timedOut = true;
                }

                assertThat(timedOut).isTrue();
                assertThat(sem).hasToString("AsyncSemaphore[locked]");
                return null;
            });
        }

        @AllEngines
        void aHundredContendingTasksCancelledAtRandomLoseNoPermit(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(3);
                Random random = new Random(90155);
                int[] inside = {0};
                int[] mostInside = {0};
                List<Integer> arrived = new ArrayList<>();
                List<Integer> served = new ArrayList<>();
                Line line = new Line(30);
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int id = i;
                    tasks.add(Async.createTask(() -> {
                        Chaos.dawdle(random, 20);
                        arrived.add(id);
                        Permit p;
                        line.enter();
                        try {
                            p = sem.acquire();
                        } finally {
                            line.leave();
                        }
                        try (p) {
                            served.add(id);
                            inside[0]++;
                            mostInside[0] = Math.max(mostInside[0], inside[0]);
                            try {
                                Chaos.dawdle(random, 5);
                            } finally {
                                inside[0]--;
                            }
                        }
                        line.maybeCancelFirst(random); // the next in line was just handed the permit
                        return null;
                    }));
                }

                int cancelled = Chaos.cancelSomeThenJoin(tasks, random, 20) + line.cancelled();

                assertThat(line.cancelled()).isPositive();
                assertThat(tasks.stream().filter(Task::isCancelled).count()).isEqualTo(cancelled);
                assertThat(mostInside[0]).isEqualTo(3);
                List<Integer> arrivedAndServed = new ArrayList<>(arrived);
                arrivedAndServed.retainAll(served);
                assertThat(served).as("first come, first served").isEqualTo(arrivedAndServed);
                assertThat(sem).hasToString("AsyncSemaphore[unlocked, value:3]");
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @Test
        void aNegativeValueIsRefused() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new AsyncSemaphore(-1))
                    .withMessage("value must not be negative: -1");
        }

        @Test
        void acquiringOutsideACoroutineThrows() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> new AsyncSemaphore().acquire())
                    .withMessageStartingWith("AsyncSemaphore.acquire() must be called inside a coroutine");
        }
    }
}
