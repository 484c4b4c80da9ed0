package io.loopbridge.faults;

import static io.loopbridge.faults.Faults.eventually;
import static io.loopbridge.faults.Faults.noTaskLeftButMine;
import static io.loopbridge.faults.Faults.reportsOf;
import static io.loopbridge.faults.Faults.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.faults.Faults.Boom;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.sync.AsyncEvent;
import io.loopbridge.sync.AsyncLock;
import io.loopbridge.sync.AsyncSemaphore;
import io.loopbridge.sync.Permit;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.task.TaskGroup;
import io.loopbridge.task.TaskGroupException;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task cancelled in each state of {@code waitFor}, {@code shield} and {@code TaskGroup}: before
 * it starts, while it waits, while a timeout is already cancelling the inner work, in the lap the
 * inner work completes, while a group cancels its tasks after a failure. Every case ends with the
 * cancellation where the canceller expects it, every inner task done (its {@code finally} run), no
 * task left, no permit of a lock or semaphore left taken, and no failure lost.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class CancellationStatesTest {
    static final Duration FOREVER = Duration.ofHours(1);

    final List<String> steps = new CopyOnWriteArrayList<>();

    interface Body {
        void run() throws Exception;
    }

    static void onEngine(CoroutineEngine engine, Body body) {
        Async.run(engine, () -> {
            List<Map<String, Object>> reports = reportsOf(Async.loop());
            body.run();
            noTaskLeftButMine();
            assertThat(reports).as("nothing went to the exception handler").isEmpty();
            return null;
        });
    }

    /** Sleeps forever; logs its cancellation and its finally, which awaits {@code finallyAwaits}. */
    io.loopbridge.task.Coroutine<Integer> sleeper(String name, Duration finallyAwaits) {
        return () -> {
            try {
                Async.sleep(FOREVER);
                return 0;
            } catch (CancellationException e) {
                steps.add(name + " cancelled");
                throw e;
            } finally {
                if (!finallyAwaits.isZero()) {
                    Async.sleep(finallyAwaits);
                }
                steps.add(name + " finally");
            }
        };
    }

    static boolean endedCancelled(Task<?> t) {
        return t.isDone() && t.isCancelled();
    }

    @Nested
    class WaitFor {
        @AllEngines
        void cancelledBeforeItsFirstStepNeverStartsTheInnerWork(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Task<Integer> outer = Async.createTask(() -> Async.waitFor(sleeper("inner", Duration.ZERO), FOREVER));
                outer.cancel();
                eventually("outer done", outer::isDone);

                assertThat(endedCancelled(outer)).isTrue();
                assertThat(steps).as("the inner coroutine never ran").isEmpty();
            });
        }

        @AllEngines
        void cancelledWhileWaitingCancelsTheInnerWorkAndWaitsForIt(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Task<Integer> outer =
                        Async.createTask(() -> Async.waitFor(sleeper("inner", Duration.ofMillis(2)), FOREVER));
                settle(3);
                outer.cancel();
                eventually("outer done", outer::isDone);

                assertThat(endedCancelled(outer)).isTrue();
                assertThat(steps).containsExactly("inner cancelled", "inner finally");
            });
        }

        @AllEngines
        void cancelledWhileTheTimeoutIsCancellingTheInnerWorkStaysACancellation(CoroutineEngine engine) {
            onEngine(engine, () -> {
                LoopFuture<Void> gate = Async.loop().createFuture();
                Task<Integer> outer = Async.createTask(() -> Async.waitFor(
                        () -> {
                            try {
                                Async.sleep(FOREVER);
                                return 0;
                            } catch (CancellationException e) {
                                steps.add("inner cancelled");
                                throw e;
                            } finally {
                                try {
                                    Async.await(gate); // still cleaning up when the outside cancel comes
                                } finally {
                                    steps.add("inner finally");
                                }
                            }
                        },
                        Duration.ofMillis(1)));
                eventually("the timeout fired and cancels the inner work", () -> steps.contains("inner cancelled"));
                outer.cancel();
                if (!gate.isDone()) {
                    gate.setResult(null);
                }
                eventually("outer done", outer::isDone);

                assertThat(steps).containsExactly("inner cancelled", "inner finally");
                assertThat(outer.isCancelled())
                        .as(
                                "an outside cancel wins over the timeout (asyncio: CancelledError, not TimeoutError): %s",
                                outer)
                        .isTrue();
            });
        }

        @AllEngines
        void cancelledInTheLapTheInnerFutureCompletesKeepsTheResultReadable(CoroutineEngine engine) {
            onEngine(engine, () -> {
                LoopFuture<Integer> inner = Async.loop().createFuture();
                Task<Integer> outer = Async.createTask(() -> Async.waitFor(inner, FOREVER));
                settle(2);
                Async.loop().callSoon(() -> {
                    inner.setResult(42);
                    outer.cancel();
                });
                eventually("outer done", outer::isDone);

                assertThat(outer.isCancelled() || outer.result() == 42).isTrue();
                assertThat(inner.result()).as("the inner result is still there").isEqualTo(42);
            });
        }

        @AllEngines
        void timedOutWhileWaitingForALockLeavesTheLockToTheNextWaiter(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Permit held = lock.acquire();
                Throwable timedOut = catchThrowable(() -> Async.waitFor(
                        Async.createTask(() -> {
                            try (Permit p = lock.acquire()) {
                                return "acquired";
                            }
                        }),
                        Duration.ofMillis(2)));
                assertThat(timedOut).isInstanceOf(AsyncTimeoutException.class);

                Task<String> next = Async.createTask(() -> {
                    try (Permit p = lock.acquire()) {
                        return "next";
                    }
                });
                held.close();
                assertThat(Async.await(next)).isEqualTo("next");
                assertThat(lock.locked()).as("no permit left taken").isFalse();
            });
        }

        @AllEngines
        void cancelledInTheLapTheSemaphoreHandsItAPermitGivesThePermitBack(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(1);
                Permit held = sem.acquire();
                Task<String> waiter = Async.createTask(() -> Async.waitFor(
                        Async.createTask(() -> {
                            try (Permit p = sem.acquire()) {
                                Async.sleep(FOREVER);
                                return "never";
                            }
                        }),
                        FOREVER));
                settle(3);
                Async.loop().callSoon(() -> {
                    held.close(); // hands the permit to the waiter...
                    waiter.cancel(); // ...which is cancelled before it can run
                });
                eventually("waiter done", waiter::isDone);
                settle(3);

                assertThat(endedCancelled(waiter)).isTrue();
                assertThat(sem.availablePermits()).as("no permit left taken").isEqualTo(1);
            });
        }
    }

    @Nested
    class Shield {
        @AllEngines
        void cancellingTheCallerLeavesTheShieldedWorkRunningToItsEnd(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncEvent release = new AsyncEvent(); // not a sleep: the inner work must outlive the outer's cancel
                Task<Integer> inner = Async.createTask(() -> {
                    release.await();
                    steps.add("inner done");
                    return 7;
                });
                Task<Integer> outer = Async.createTask(() -> Async.await(Async.shield(inner)));
                settle(2);
                outer.cancel();
                eventually("outer done", outer::isDone);
                assertThat(endedCancelled(outer)).isTrue();
                assertThat(inner.isDone()).as("still running").isFalse();

                release.set();
                assertThat(Async.await(inner)).isEqualTo(7);
                assertThat(steps).containsExactly("inner done");
            });
        }

        @AllEngines
        void cancellingTheShieldedWorkItselfCancelsTheCaller(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Task<Integer> inner = Async.createTask(sleeper("inner", Duration.ZERO));
                Task<Integer> outer = Async.createTask(() -> Async.await(Async.shield(inner)));
                settle(2);
                inner.cancel();
                eventually("outer done", outer::isDone);

                assertThat(endedCancelled(inner)).isTrue();
                assertThat(endedCancelled(outer)).isTrue();
            });
        }

        @AllEngines
        void aShieldedFailureAfterTheCallerWasCancelledStaysOnTheInnerTask(CoroutineEngine engine) {
            Boom boom = new Boom("the shielded work");
            onEngine(engine, () -> {
                Task<Integer> inner = Async.createTask(() -> {
                    Async.sleep(Duration.ofMillis(5));
                    throw boom;
                });
                Task<Integer> outer = Async.createTask(() -> Async.await(Async.shield(inner)));
                settle(2);
                outer.cancel();
                eventually("inner done", inner::isDone);

                assertThat(endedCancelled(outer)).isTrue();
                assertThat(inner.exception())
                        .as("whoever holds the task reads it (as asyncio's shield)")
                        .isSameAs(boom);
            });
        }

        @AllEngines
        void cancelledWhileHoldingALockInsideAShieldReleasesIt(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncLock lock = new AsyncLock();
                Task<Integer> inner = Async.createTask(() -> {
                    try (Permit p = lock.acquire()) {
                        Async.sleep(Duration.ofMillis(5));
                        return 1;
                    }
                });
                Task<Integer> outer = Async.createTask(() -> Async.await(Async.shield(inner)));
                settle(2);
                outer.cancel();
                inner.cancel();
                eventually("both done", () -> outer.isDone() && inner.isDone());

                assertThat(lock.locked()).as("no permit left taken").isFalse();
            });
        }
    }

    @Nested
    class Group {
        @AllEngines
        void cancelledWhileTheBodyAwaitsCancelsTheTasksAndWaitsForThem(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Task<Void> parent = Async.createTask(() -> TaskGroup.run(tg -> {
                    tg.createTask(sleeper("a", Duration.ofMillis(2)));
                    tg.createTask(sleeper("b", Duration.ZERO));
                    Async.sleep(FOREVER);
                    return null;
                }));
                settle(3);
                parent.cancel();
                eventually("parent done", parent::isDone);

                assertThat(endedCancelled(parent)).isTrue();
                assertThat(steps)
                        .contains("a cancelled", "a finally", "b cancelled", "b finally")
                        .hasSize(4);
            });
        }

        @AllEngines
        void cancelledWhileTheGroupWaitsForItsTasksAtTheEnd(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Task<Void> parent = Async.createTask(() -> {
                    try (TaskGroup tg = new TaskGroup()) {
                        tg.createTask(sleeper("a", Duration.ofMillis(2)));
                    } // close() waits here
                    return null;
                });
                settle(3);
                parent.cancel();
                eventually("parent done", parent::isDone);

                assertThat(endedCancelled(parent)).isTrue();
                assertThat(steps).containsExactly("a cancelled", "a finally");
            });
        }

        @AllEngines
        void cancelledWhileTheGroupIsCancellingItsTasksAfterAFailure(CoroutineEngine engine) {
            Boom boom = new Boom("a task of the group");
            onEngine(engine, () -> {
                List<Throwable> seenByParent = new CopyOnWriteArrayList<>();
                Task<Void> parent = Async.createTask(() -> {
                    try {
                        TaskGroup.run(tg -> {
                            tg.createTask(sleeper("slow to stop", Duration.ofMillis(20)));
                            tg.createTask(() -> {
                                Async.sleep(Duration.ofMillis(1));
                                throw boom;
                            });
                            Async.sleep(FOREVER);
                            return null;
                        });
                    } catch (TaskGroupException | CancellationException e) {
                        seenByParent.add(e);
                        throw e;
                    }
                    return null;
                });
                eventually("the group cancels its other task", () -> steps.contains("slow to stop cancelled"));
                parent.cancel(); // while that task's finally still runs
                eventually("parent done", parent::isDone);

                assertThat(steps).containsExactly("slow to stop cancelled", "slow to stop finally");
                assertThat(seenByParent)
                        .singleElement()
                        .isInstanceOf(TaskGroupException.class)
                        .satisfies(e -> assertThat(((TaskGroupException) e).getExceptions())
                                .containsExactly(boom));
                assertThat(parent.isCancelled() || parent.exception() instanceof TaskGroupException)
                        .as("the failure is not lost to the cancel: " + parent)
                        .isTrue();
            });
        }

        @AllEngines
        void cancelledTasksOfAGroupGiveTheirSemaphorePermitsBack(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncSemaphore sem = new AsyncSemaphore(2);
                Task<Void> parent = Async.createTask(() -> TaskGroup.run(tg -> {
                    for (int i = 0; i < 5; i++) {
                        tg.createTask(() -> {
                            try (Permit p = sem.acquire()) { // two hold a permit, three wait for one
                                Async.sleep(FOREVER);
                                return null;
                            }
                        });
                    }
                    return null;
                }));
                eventually("two permits taken", () -> sem.availablePermits() == 0);
                parent.cancel();
                eventually("parent done", parent::isDone);
                settle(3);

                assertThat(endedCancelled(parent)).isTrue();
                assertThat(sem.availablePermits()).as("no permit left taken").isEqualTo(2);
            });
        }

        @AllEngines
        void cancelledTwiceStillWaitsForEveryTaskOnce(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Task<Void> parent = Async.createTask(() -> TaskGroup.run(tg -> {
                    tg.createTask(sleeper("a", Duration.ofMillis(5)));
                    Async.sleep(FOREVER);
                    return null;
                }));
                settle(3);
                parent.cancel();
                settle(1);
                parent.cancel(); // again, while "a" still runs its finally
                eventually("parent done", parent::isDone);

                assertThat(endedCancelled(parent)).isTrue();
                assertThat(steps).containsExactly("a cancelled", "a finally");
            });
        }
    }
}
