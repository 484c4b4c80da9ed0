package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.FOREVER;
import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

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
 * {@link AsyncLock}, read like asyncio's {@code Lock}: one holder at a time, waiters served first
 * come first served, and cancellation never leaves the lock held by nobody (the asyncio bugs of that
 * kind: bpo-27585). Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
@SuppressWarnings("try") // try (Permit held = ...) holds the lock for the block; "held" itself is unused
class AsyncLockTest {
    final List<String> steps = new ArrayList<>();

    /** A task that takes the lock, notes it, holds it for one lap, and releases it. */
    Task<Void> worker(AsyncLock lock, String name) {
        return Async.createTask(
                () -> {
                    steps.add(name + " acquires");
                    try (Permit held = lock.acquire()) {
                        steps.add(name + " holds the lock");
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
    class Acquiring {

        @AllEngines
        void aFreeLockIsTakenWithoutSuspendingAndReleasedByClosingThePermit(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                assertThat(lock.locked()).isFalse();

                try (Permit held = lock.acquire()) {
                    assertThat(lock.locked()).isTrue();
                    assertThat(lock).hasToString("AsyncLock[locked]");
                }

                assertThat(lock.locked()).isFalse();
                assertThat(lock).hasToString("AsyncLock[unlocked]");
                return null;
            });
        }

        @AllEngines
        void acquireAndReleaseCanBeCalledExplicitly(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();

                lock.acquire();
                try {
                    assertThat(lock.locked()).isTrue();
                } finally {
                    lock.release();
                }

                assertThat(lock.locked()).isFalse();
                return null;
            });
        }

        @AllEngines
        void waitersGetTheLockInTheOrderTheyAskedForIt(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit held = lock.acquire();
                Task<Void> a = worker(lock, "a");
                Task<Void> b = worker(lock, "b");
                Task<Void> c = worker(lock, "c");
                settle();
                assertThat(lock).hasToString("AsyncLock[locked, waiters:3]");

                steps.add("main releases");
                held.close();
                Async.await(Async.gather(a, b, c));

                assertThat(steps)
                        .containsExactly(
                                "a acquires",
                                "b acquires",
                                "c acquires",
                                "main releases",
                                "a holds the lock",
                                "a releases",
                                "b holds the lock",
                                "b releases",
                                "c holds the lock",
                                "c releases");
                assertThat(lock.locked()).isFalse();
                return null;
            });
        }

        @AllEngines
        void aNewcomerCannotOvertakeAWaiter(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit held = lock.acquire();
                worker(lock, "a");
                settle();

                held.close();
                // the lock went straight to a, which has not run yet: it is still locked
                assertThat(lock.locked()).isTrue();
                steps.add("main acquires again");
                try (Permit again = lock.acquire()) {
                    steps.add("main holds the lock");
                }

                assertThat(steps)
                        .containsExactly(
                                "a acquires",
                                "main acquires again",
                                "a holds the lock",
                                "a releases",
                                "main holds the lock");
                return null;
            });
        }

        @AllEngines
        void theBlockReleasesTheLockWhenItThrows(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                IllegalArgumentException boom = new IllegalArgumentException("boom");

                Throwable thrown = catchThrowable(() -> {
                    try (Permit held = lock.acquire()) {
                        throw boom;
                    }
                });

                assertThat(thrown).isSameAs(boom);
                assertThat(lock.locked()).isFalse();
                return null;
            });
        }

        @AllEngines
        void aPermitReleasesOnceHoweverOftenItIsClosed(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit first = lock.acquire();
                first.close();
                Permit second = lock.acquire();

                first.close();

                assertThat(lock.locked()).as("the second holder still holds it").isTrue();
                second.close();
                assertThat(lock.locked()).isFalse();
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aCancelledWaiterLeavesTheQueueAndNeverGetsTheLock(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit held = lock.acquire();
                Task<Void> a = worker(lock, "a");
                settle();

                a.cancel();
                settle();

                assertThat(a.isCancelled()).isTrue();
                assertThat(lock).hasToString("AsyncLock[locked]");
                held.close();
                assertThat(lock.locked()).isFalse();
                assertThat(steps).containsExactly("a acquires", "a cancelled");
                return null;
            });
        }

        @AllEngines
        void aWaiterCancelledInTheLapItIsHandedTheLockHandsItOnToTheNextWaiter(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit held = lock.acquire();
                Task<Void> a = worker(lock, "a");
                Task<Void> b = worker(lock, "b");
                settle();

                held.close(); // hands the lock to a...
                a.cancel(); // ...which is cancelled before it can run
                settle();

                assertThat(a.isCancelled()).isTrue();
                assertThat(b.isDone() && !b.isCancelled()).isTrue();
                assertThat(steps)
                        .containsExactly("a acquires", "b acquires", "a cancelled", "b holds the lock", "b releases");
                assertThat(lock.locked()).isFalse();
                return null;
            });
        }

        @AllEngines
        void aWaiterCancelledInTheLapItIsHandedTheLockUnlocksItWhenNobodyElseWaits(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit held = lock.acquire();
                Task<Void> a = worker(lock, "a");
                settle();

                held.close();
                a.cancel();
                settle();

                assertThat(a.isCancelled()).isTrue();
                assertThat(lock.locked()).isFalse();
                assertThat(lock).hasToString("AsyncLock[unlocked]");
                return null;
            });
        }

        @AllEngines
        void cancellingTheHolderReleasesTheLockThroughItsPermit(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Task<Void> holder = Async.createTask(() -> {
                    try (Permit held = lock.acquire()) {
                        steps.add("holder holds the lock");
                        Async.sleep(FOREVER);
                    }
                    return null;
                });
                settle();
                Task<Void> b = worker(lock, "b");
                settle();

                holder.cancel();
                settle();

                assertThat(holder.isCancelled()).isTrue();
                assertThat(steps)
                        .containsExactly("holder holds the lock", "b acquires", "b holds the lock", "b releases");
                assertThat(lock.locked()).isFalse();
                return null;
            });
        }

        @AllEngines
        void aTimeoutWhileWaitingGivesUpTheWaitAndLeavesTheLockToItsHolder(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit held = lock.acquire();

                Task<String> impatient = Async.createTask(() -> {
                    try (var t = Async.timeout(Duration.ofMillis(10))) {
                        lock.acquire();
                        return "got it";
                    } catch (AsyncTimeoutException e) {
                        return "timed out";
                    }
                });

                assertThat(Async.await(impatient)).isEqualTo("timed out");
                assertThat(lock).hasToString("AsyncLock[locked]");
                held.close();
                assertThat(lock.locked()).isFalse();
                return null;
            });
        }

        @AllEngines
        void aHundredContendingTasksCancelledAtRandomLoseNoLockAndKeepTheirOrder(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Random random = new Random(27585);
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
                        Permit held;
                        line.enter();
                        try {
                            held = lock.acquire();
                        } finally {
                            line.leave();
                        }
                        try (held) {
                            served.add(id);
                            inside[0]++;
                            mostInside[0] = Math.max(mostInside[0], inside[0]);
                            try {
                                Chaos.dawdle(random, 3);
                            } finally {
                                inside[0]--;
                            }
                        }
                        line.maybeCancelFirst(random); // the next in line was just handed the lock
                        return null;
                    }));
                }

                int cancelled = Chaos.cancelSomeThenJoin(tasks, random, 20) + line.cancelled();

                long completed = tasks.stream().filter(t -> !t.isCancelled()).count();
                assertThat(cancelled).isPositive();
                assertThat(line.cancelled()).isPositive();
                assertThat(tasks.stream().filter(Task::isCancelled).count()).isEqualTo(cancelled);
                assertThat(completed + cancelled).isEqualTo(100);
                assertThat(mostInside[0]).isEqualTo(1);
                List<Integer> arrivedAndServed = new ArrayList<>(arrived);
                arrivedAndServed.retainAll(served);
                assertThat(served).as("first come, first served").isEqualTo(arrivedAndServed);
                assertThat(lock).hasToString("AsyncLock[unlocked]");
                try (Permit held = lock.acquire()) {
                    assertThat(lock.locked()).isTrue();
                }
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @AllEngines
        void releasingALockThatIsNotLockedThrows(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();

                assertThatIllegalStateException().isThrownBy(lock::release).withMessage("Lock is not acquired");

                Permit held = lock.acquire();
                lock.release();
                assertThatIllegalStateException()
                        .as("the permit after an explicit release")
                        .isThrownBy(held::close)
                        .withMessage("Lock is not acquired");
                return null;
            });
        }

        @AllEngines
        void releasingAgainBeforeTheWaiterItWasHandedToRunsThrowsAndLetsNoSecondWaiterIn(CoroutineEngine engine) {
            // asyncio: the lock is unlocked from release() until the woken waiter runs, so a second
            // release() raises "Lock is not acquired." instead of waking a second waiter
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit mine = lock.acquire();
                Task<Void> b = Async.createTask(() -> {
                    lock.acquire();
                    steps.add("b holds the lock");
                    return null;
                });
                Task<Void> c = Async.createTask(() -> {
                    lock.acquire();
                    steps.add("c holds the lock");
                    return null;
                });
                settle();

                mine.close(); // handed to b
                assertThatIllegalStateException().isThrownBy(lock::release).withMessage("Lock is not acquired");
                settle();

                assertThat(steps).containsExactly("b holds the lock");
                assertThat(c.isDone()).as("c still waits for the lock b holds").isFalse();
                lock.release(); // b's
                Async.await(c);
                assertThat(b.isDone()).isTrue();
                return null;
            });

            assertThat(steps).containsExactly("b holds the lock", "c holds the lock");
        }

        @Test
        void acquiringOutsideACoroutineThrows() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> new AsyncLock().acquire())
                    .withMessageStartingWith("AsyncLock.acquire() must be called inside a coroutine");
        }

        @AllEngines
        void releasingFromAnotherThreadThrowsAndNamesTheWayIn(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                lock.acquire();

                Throwable thrown = Async.toThread(() -> catchThrowable(lock::release));

                assertThat(thrown)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("AsyncLock.release()")
                        .hasMessageContaining("callSoonThreadsafe");
                assertThat(lock.locked()).isTrue();
                return null;
            });
        }

        @AllEngines
        void aLockServesOneLoopOnly(CoroutineEngine engine) {
            AsyncLock lock = new AsyncLock();
            Async.run(engine, () -> {
                lock.acquire().close();
                return null;
            });

            assertThatThrownBy(() -> Async.run(engine, lock::acquire))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is bound to a different event loop");
        }
    }
}
