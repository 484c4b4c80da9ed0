package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncCondition}, read like asyncio's {@code Condition} ({@code wait} → {@code await},
 * {@code wait_for} → {@code awaitUntil}, {@code notify} → {@code signal}, {@code notify_all} →
 * {@code signalAll}): waiting releases the lock and takes it back, cancelled or not, and a signal
 * is never lost with a waiter that is cancelled after it was signalled (gh-112202). Every test runs
 * on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
@SuppressWarnings("try")
class AsyncConditionTest {
    final List<String> steps = new ArrayList<>();

    /** A task that waits for one signal under the lock and notes whether it holds the lock after. */
    Task<Void> waiter(AsyncCondition cond, String name) {
        return Async.createTask(
                () -> {
                    try (Permit held = cond.acquire()) {
                        steps.add(name + " waits");
                        try {
                            cond.await();
                        } catch (CancellationException e) {
                            steps.add(name + " cancelled, holding the lock: " + cond.locked());
                            throw e;
                        }
                        steps.add(name + " signalled, holding the lock: " + cond.locked());
                    }
                    return null;
                },
                name);
    }

    @Nested
    class WaitingAndSignalling {

        @AllEngines
        void awaitReleasesTheLockUntilSignalledThenTakesItBack(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                Task<Void> a = waiter(cond, "a");
                settle();
                assertThat(cond.locked()).as("a released it while waiting").isFalse();
                assertThat(cond).hasToString("AsyncCondition[unlocked, waiters:1]");

                try (Permit held = cond.acquire()) {
                    steps.add("main signals");
                    cond.signal();
                    settle();
                    steps.add("main releases");
                }
                Async.await(a);

                assertThat(steps)
                        .containsExactly(
                                "a waits", "main signals", "main releases", "a signalled, holding the lock: true");
                assertThat(cond).hasToString("AsyncCondition[unlocked]");
                return null;
            });
        }

        @AllEngines
        void signalWakesOneWaiterSignalNWakesNAndSignalAllWakesEveryone(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                List<Task<Void>> tasks = List.of(
                        waiter(cond, "a"), waiter(cond, "b"), waiter(cond, "c"), waiter(cond, "d"), waiter(cond, "e"));
                settle();

                try (Permit held = cond.acquire()) {
                    cond.signal();
                }
                settle();
                assertThat(cond).hasToString("AsyncCondition[unlocked, waiters:4]");

                try (Permit held = cond.acquire()) {
                    cond.signal(2);
                }
                settle();
                assertThat(cond).hasToString("AsyncCondition[unlocked, waiters:2]");

                try (Permit held = cond.acquire()) {
                    cond.signalAll();
                }
                Async.await(Async.gather(tasks));

                assertThat(steps)
                        .containsExactly(
                                "a waits",
                                "b waits",
                                "c waits",
                                "d waits",
                                "e waits",
                                "a signalled, holding the lock: true",
                                "b signalled, holding the lock: true",
                                "c signalled, holding the lock: true",
                                "d signalled, holding the lock: true",
                                "e signalled, holding the lock: true");
                return null;
            });
        }

        @AllEngines
        void signallingWithNobodyWaitingDoesNothing(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                try (Permit held = cond.acquire()) {
                    cond.signal();
                    cond.signal(0);
                    cond.signalAll();
                }
                assertThat(cond).hasToString("AsyncCondition[unlocked]");
                return null;
            });
        }

        @AllEngines
        void awaitUntilReturnsOnceThePredicateHolds(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                ArrayDeque<String> items = new ArrayDeque<>();
                Task<String> consumer = Async.createTask(() -> {
                    try (Permit held = cond.acquire()) {
                        cond.awaitUntil(() -> {
                            steps.add("consumer checks: " + items);
                            return !items.isEmpty();
                        });
                        return items.remove();
                    }
                });
                settle();

                try (Permit held = cond.acquire()) {
                    cond.signal(); // a spurious wake-up: nothing to take yet
                }
                settle();
                try (Permit held = cond.acquire()) {
                    items.add("x");
                    cond.signal();
                }

                assertThat(Async.await(consumer)).isEqualTo("x");
                assertThat(steps).containsExactly("consumer checks: []", "consumer checks: []", "consumer checks: [x]");
                return null;
            });
        }

        @AllEngines
        void awaitUntilDoesNotWaitWhenThePredicateAlreadyHolds(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                try (Permit held = cond.acquire()) {
                    cond.awaitUntil(() -> true);
                    assertThat(cond.locked()).isTrue();
                }
                return null;
            });
        }

        @AllEngines
        void conditionsSharingALockWakeOnlyTheirOwnWaiters(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLock lock = new AsyncLock();
                AsyncCondition notEmpty = new AsyncCondition(lock);
                AsyncCondition notFull = new AsyncCondition(lock);
                Task<Void> a = waiter(notEmpty, "a");
                Task<Void> b = waiter(notFull, "b");
                settle();

                try (Permit held = lock.acquire()) {
                    assertThat(notEmpty.locked()).isTrue();
                    notFull.signal();
                }
                Async.await(b);
                settle();

                assertThat(a.isDone()).isFalse();
                assertThat(notEmpty.lock()).isSameAs(lock);
                a.cancel();
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aCancelledWaiterTakesTheLockBackBeforeItThrows(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                Task<Void> a = waiter(cond, "a");
                settle();

                try (Permit held = cond.acquire()) {
                    a.cancel();
                    settle();
                    assertThat(a.isDone()).as("a waits for the lock first").isFalse();
                    steps.add("main releases");
                }
                settle();

                assertThat(a.isCancelled()).isTrue();
                assertThat(steps).containsExactly("a waits", "main releases", "a cancelled, holding the lock: true");
                assertThat(cond).hasToString("AsyncCondition[unlocked]");
                return null;
            });
        }

        @AllEngines
        void aWaiterCancelledInTheLapItIsSignalledPassesTheSignalOn(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                Task<Void> a = waiter(cond, "a");
                Task<Void> b = waiter(cond, "b");
                settle();

                try (Permit held = cond.acquire()) {
                    cond.signal(); // wakes a...
                    a.cancel(); // ...which is cancelled before it can run
                }
                Async.await(b);

                assertThat(a.isCancelled()).isTrue();
                assertThat(steps)
                        .containsExactly(
                                "a waits",
                                "b waits",
                                "a cancelled, holding the lock: true",
                                "b signalled, holding the lock: true");
                assertThat(cond).hasToString("AsyncCondition[unlocked]");
                return null;
            });
        }

        @AllEngines
        void aWaiterCancelledWhileTakingTheLockBackPassesTheSignalOnAndStillHoldsTheLockWhenItThrows(
                CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                Task<Void> a = waiter(cond, "a");
                Task<Void> b = waiter(cond, "b");
                settle();

                try (Permit held = cond.acquire()) {
                    cond.signal();
                    settle(); // a has woken and now waits for the lock
                    a.cancel();
                    settle();
                    assertThat(a.isDone()).isFalse();
                }
                Async.await(Async.gatherSettled(a, b));

                assertThat(a.isCancelled()).isTrue();
                assertThat(b.isDone() && !b.isCancelled()).isTrue();
                assertThat(steps)
                        .containsExactly(
                                "a waits",
                                "b waits",
                                "a cancelled, holding the lock: true",
                                "b signalled, holding the lock: true");
                return null;
            });
        }

        @AllEngines
        void aTimeoutInAwaitUntilLeavesTheLockHeld(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                String outcome;
                try (Permit held = cond.acquire()) {
                    try (var t = Async.timeout(Duration.ofMillis(10))) {
                        cond.awaitUntil(() -> false);
                        outcome = "never";
                    } catch (AsyncTimeoutException e) {
                        outcome = "timed out, holding the lock: " + cond.locked();
                    }
                }
                assertThat(outcome).isEqualTo("timed out, holding the lock: true");
                assertThat(cond).hasToString("AsyncCondition[unlocked]");
                return null;
            });
        }

        @AllEngines
        void consumersCancelledAtRandomLoseNoSignalAndNoItem(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                Random random = new Random(112202);
                ArrayDeque<Integer> items = new ArrayDeque<>();
                List<Integer> consumed = new ArrayList<>();
                Line line = new Line(15);
                List<Task<Void>> consumers = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    consumers.add(Async.createTask(() -> {
                        Chaos.dawdle(random, 10);
                        try (Permit held = cond.acquire()) {
                            line.enter();
                            try {
                                cond.awaitUntil(() -> !items.isEmpty());
                            } finally {
                                line.leave();
                            }
                            consumed.add(items.remove());
                        }
                        return null;
                    }));
                }
                Task<Void> producer = Async.createTask(() -> {
                    for (int i = 0; i < 60; i++) {
                        Chaos.dawdle(random, 3);
                        try (Permit held = cond.acquire()) {
                            items.add(i);
                            cond.signal();
                            line.maybeCancelFirst(random); // the first in line was just signalled
                        }
                    }
                    return null;
                });

                int cancelled = Chaos.cancelSomeThenJoin(consumers, random, 10);
                Async.await(producer);
                cancelled += line.cancelled();

                assertThat(line.cancelled()).isPositive();
                assertThat(consumers.stream().filter(Task::isCancelled).count()).isEqualTo(cancelled);
                long survivors =
                        consumers.stream().filter(t -> !t.isCancelled()).count();
                assertThat(consumed).hasSize((int) survivors);
                List<Integer> all = new ArrayList<>(consumed);
                all.addAll(items);
                assertThat(all)
                        .containsExactlyInAnyOrderElementsOf(
                                java.util.stream.IntStream.range(0, 60).boxed().toList());
                assertThat(cond).hasToString("AsyncCondition[unlocked]");
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @AllEngines
        void waitingWithoutTheLockThrows(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();

                assertThatIllegalStateException()
                        .isThrownBy(cond::await)
                        .withMessage("Cannot wait on an un-acquired lock: acquire() it first");
                assertThatIllegalStateException()
                        .isThrownBy(() -> cond.awaitUntil(() -> true))
                        .withMessage("Cannot wait on an un-acquired lock: acquire() it first");
                return null;
            });
        }

        @AllEngines
        void signallingWithoutTheLockThrows(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();

                assertThatIllegalStateException()
                        .isThrownBy(cond::signal)
                        .withMessage("Cannot signal on an un-acquired lock: acquire() it first");
                assertThatIllegalStateException()
                        .isThrownBy(cond::signalAll)
                        .withMessage("Cannot signal on an un-acquired lock: acquire() it first");
                return null;
            });
        }

        @AllEngines
        void signallingOrWaitingWhileTheLockIsHandedToAWaiterThatHasNotRunThrows(CoroutineEngine engine) {
            // asyncio: the lock is unlocked until the woken waiter runs, so notify() and wait() raise
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                Permit mine = cond.acquire();
                Task<Void> other = Async.createTask(() -> {
                    cond.acquire().close();
                    return null;
                });
                settle();
                mine.close(); // handed to the other task, which has not run yet

                assertThatIllegalStateException()
                        .isThrownBy(cond::signal)
                        .withMessage("Cannot signal on an un-acquired lock: acquire() it first");
                assertThatIllegalStateException()
                        .isThrownBy(cond::await)
                        .withMessage("Cannot wait on an un-acquired lock: acquire() it first");
                Async.await(other);
                assertThat(cond.locked()).isFalse();
                return null;
            });
        }

        @AllEngines
        void signallingANegativeNumberOfWaitersThrows(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncCondition cond = new AsyncCondition();
                try (Permit held = cond.acquire()) {
                    assertThatIllegalArgumentException()
                            .isThrownBy(() -> cond.signal(-1))
                            .withMessage("n must not be negative: -1");
                }
                return null;
            });
        }

        @Test
        void nullArgumentsAreRefusedByName() {
            assertThatNullPointerException()
                    .isThrownBy(() -> new AsyncCondition(null))
                    .withMessage("lock");
            assertThatNullPointerException()
                    .isThrownBy(() -> new AsyncCondition().awaitUntil(null))
                    .withMessage("predicate");
        }

        @Test
        void awaitingOutsideACoroutineThrows() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> new AsyncCondition().await())
                    .withMessageStartingWith("AsyncCondition.await() must be called inside a coroutine");
        }
    }
}
