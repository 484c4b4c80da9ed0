package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deadlines: {@code Async.waitFor} (asyncio's {@code wait_for}) and the {@code Async.timeout}
 * try-with-resources block (asyncio's {@code async with timeout()}). Every test runs on each
 * coroutine engine the JVM offers.
 *
 * <p>A test that races a deadline against a sleep, or checks when a deadline fires, runs on virtual
 * time ({@link VirtualTime}): the deadline fires exactly at its loop time, never early and never
 * late because the machine is busy, and the test asserts that time. The others run on real time.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class TimeoutTest {
    static final Duration STEP = Duration.ofMillis(20);
    /** Longer than any test may take: reaching it means the deadline did not fire. */
    static final Duration FOREVER = Duration.ofSeconds(30);
    /** A deadline that work taking {@link #STEP} meets. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);

    final List<String> events = new CopyOnWriteArrayList<>();

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** A task body that sleeps {@code delay} and records its cancellation and its finally. */
    Coroutine<String> work(String name, Duration delay) {
        return () -> {
            events.add(name + " starts");
            try {
                Async.sleep(delay);
                events.add(name + " completes");
                return name + " result";
            } catch (CancellationException e) {
                events.add(name + " cancelled");
                throw e;
            } finally {
                events.add(name + " finally");
            }
        };
    }

    @Nested
    class WaitFor {

        @AllEngines
        void returnsTheResultWhenItComesInTime(CoroutineEngine engine) {
            String result = VirtualTime.run(engine, () -> {
                String r = Async.waitFor(Async.createTask(work("inner", STEP)), PROMPTLY);
                events.add("waitFor returned at " + VirtualTime.now());
                return r;
            });

            assertThat(result).isEqualTo("inner result");
            assertThat(events)
                    .containsExactly("inner starts", "inner completes", "inner finally", "waitFor returned at " + STEP);
        }

        @AllEngines
        void aNullTimeoutWaitsAsLongAsItTakes(CoroutineEngine engine) {
            // asyncio: wait_for(aw, None)
            String result = VirtualTime.run(engine, () -> {
                String r = Async.waitFor(Async.createTask(work("inner", FOREVER)), null);
                events.add("waitFor returned at " + VirtualTime.now());
                return r;
            });

            assertThat(result).isEqualTo("inner result");
            assertThat(events)
                    .containsExactly(
                            "inner starts", "inner completes", "inner finally", "waitFor returned at " + FOREVER);
        }

        @AllEngines
        void acceptsACoroutineAndRunsItAsATask(CoroutineEngine engine) {
            String result = VirtualTime.run(engine, () -> Async.waitFor(work("inner", STEP), PROMPTLY));

            assertThat(result).isEqualTo("inner result");
        }

        @AllEngines
        void rethrowsTheFailureOfTheAwaitableWhenItFailsInTime(CoroutineEngine engine) {
            IllegalArgumentException bad = new IllegalArgumentException("bad");

            Throwable thrown = VirtualTime.run(
                    engine,
                    () -> catchThrowable(() -> Async.waitFor(
                            () -> {
                                Async.sleep(STEP);
                                throw bad;
                            },
                            PROMPTLY)));

            assertThat(thrown).isSameAs(bad);
        }

        @AllEngines
        void onTimeoutTheInnerTaskIsCancelledAndHasFinishedBeforeTheTimeoutIsThrown(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                Task<String> inner = Async.createTask(work("inner", FOREVER));
                Throwable thrown = catchThrowable(() -> Async.waitFor(inner, STEP));
                events.add("waitFor threw " + thrown.getClass().getSimpleName() + " at " + VirtualTime.now());

                assertThat(thrown).isInstanceOf(AsyncTimeoutException.class);
                assertThat(inner.isCancelled()).isTrue();
                assertThat(Async.currentTask().cancelling())
                        .as("the deadline's request is withdrawn")
                        .isZero();
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "inner starts",
                            "inner cancelled",
                            "inner finally",
                            "waitFor threw AsyncTimeoutException at " + STEP);
        }

        @AllEngines
        void onTimeoutAPlainFutureIsCancelled(CoroutineEngine engine) {
            Async.run(engine, () -> {
                LoopFuture<String> never = Async.loop().createFuture();

                Throwable thrown = catchThrowable(() -> Async.waitFor(never, STEP));

                assertThat(thrown).isInstanceOf(AsyncTimeoutException.class);
                assertThat(never.isCancelled()).isTrue();
                return null;
            });
        }

        @AllEngines
        void aCallerCancelledDuringWaitForCancelsTheInnerTask(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> inner = Async.createTask(work("inner", FOREVER));
                Task<String> caller = Async.createTask(() -> Async.waitFor(inner, FOREVER));
                Async.sleep(Duration.ZERO);

                events.add("main cancels the caller");
                caller.cancel("shutdown");
                Throwable thrown = catchThrowable(() -> Async.await(caller));
                events.add("caller: " + thrown.getClass().getSimpleName() + " " + thrown.getMessage());

                assertThat(thrown).isExactlyInstanceOf(CancellationException.class);
                assertThat(caller.isCancelled()).isTrue();
                assertThat(inner.isCancelled()).isTrue();
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "inner starts",
                            "main cancels the caller",
                            "inner cancelled",
                            "inner finally",
                            "caller: CancellationException shutdown");
        }

        @AllEngines
        void aZeroTimeoutOnADoneFutureReturnsItsResultWithoutSuspending(CoroutineEngine engine) {
            String result = Async.run(engine, () -> {
                LoopFuture<String> done = Async.loop().createFuture();
                done.setResult("already there");
                Async.loop().callSoon(() -> events.add("other callback"));

                String r = Async.waitFor(done, Duration.ZERO);
                events.add("waitFor returned");
                Async.sleep(Duration.ZERO);
                return r;
            });

            assertThat(result).isEqualTo("already there");
            assertThat(events).containsExactly("waitFor returned", "other callback");
        }

        @AllEngines
        void aZeroTimeoutOnAPendingTaskTimesOutAtOnce(CoroutineEngine engine) {
            long start = System.nanoTime();

            Throwable thrown =
                    Async.run(engine, () -> catchThrowable(() -> Async.waitFor(work("inner", FOREVER), Duration.ZERO)));

            assertThat(thrown).isInstanceOf(AsyncTimeoutException.class);
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void aTaskThatEndsWithTheTimeoutFailsItIsNotCancelled(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task =
                        Async.createTask(() -> Async.waitFor(Async.loop().<String>createFuture(), STEP));
                Throwable thrown = catchThrowable(() -> Async.await(task));

                assertThat(thrown).isInstanceOf(AsyncTimeoutException.class);
                assertThat(task.isDone()).isTrue();
                assertThat(task.isCancelled()).isFalse();
                assertThat(task.exception()).isInstanceOf(AsyncTimeoutException.class);
                return null;
            });
        }
    }

    @Nested
    class TimeoutBlock {

        @AllEngines
        void whenTheDeadlinePassesTheAwaitInTheBlockThrowsAndTheExceptionLeavesTheBlock(CoroutineEngine engine) {
            AtomicReference<Timeout> timeout = new AtomicReference<>();

            VirtualTime.run(engine, () -> {
                try (Timeout t = Async.timeout(STEP)) {
                    timeout.set(t);
                    events.add("block starts");
                    Async.sleep(FOREVER);
                    events.add("block ends");
                } catch (AsyncTimeoutException e) {
                    events.add("timed out at " + VirtualTime.now());
                }
                events.add("after the block");
                return null;
            });

            assertThat(events).containsExactly("block starts", "timed out at " + STEP, "after the block");
            assertThat(timeout.get().expired()).isTrue();
        }

        @AllEngines
        void aDeadlineThatIsNotReachedDoesNothing(CoroutineEngine engine) {
            AtomicReference<Timeout> timeout = new AtomicReference<>();

            VirtualTime.run(engine, () -> {
                try (Timeout t = Async.timeout(PROMPTLY)) {
                    timeout.set(t);
                    Async.sleep(STEP);
                    events.add("block ends at " + VirtualTime.now());
                }
                Async.sleep(PROMPTLY); // past the deadline of the block it left
                events.add("after the block at " + VirtualTime.now());
                assertThat(Async.currentTask().cancelling()).isZero();
                return null;
            });

            assertThat(events).containsExactly("block ends at " + STEP, "after the block at " + STEP.plus(PROMPTLY));
            assertThat(timeout.get().expired()).isFalse();
        }

        @AllEngines
        void rescheduleExtendsTheDeadline(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                try (Timeout t = Async.timeout(STEP)) {
                    long first = t.when();
                    t.reschedule(PROMPTLY);
                    assertThat(t.when()).isGreaterThan(first).isEqualTo(PROMPTLY.toNanos()); // virtual time starts at 0
                    Async.sleep(STEP.multipliedBy(5)); // far past the first deadline
                    events.add("block ends at " + VirtualTime.now());
                }
                return null;
            });

            assertThat(events).containsExactly("block ends at " + STEP.multipliedBy(5));
        }

        @AllEngines
        void aBlockWithoutDeadlineCanBeGivenOneLater(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                Async.sleep(STEP);
                try (Timeout t = Async.timeout(null)) {
                    assertThat(t.when()).isEqualTo(Long.MAX_VALUE);
                    t.reschedule(STEP); // from now
                    Async.sleep(FOREVER);
                    events.add("block ends");
                } catch (AsyncTimeoutException e) {
                    events.add("timed out at " + VirtualTime.now());
                }
                return null;
            });

            assertThat(events).containsExactly("timed out at " + STEP.multipliedBy(2));
        }

        @AllEngines
        void anInnerDeadlineFiresAndTheOuterBlockGoesOn(CoroutineEngine engine) {
            AtomicReference<Timeout> outer = new AtomicReference<>();
            AtomicReference<Timeout> inner = new AtomicReference<>();

            VirtualTime.run(engine, () -> {
                try (Timeout o = Async.timeout(PROMPTLY)) {
                    outer.set(o);
                    try (Timeout i = Async.timeout(STEP)) {
                        inner.set(i);
                        Async.sleep(FOREVER);
                        events.add("inner block ends");
                    } catch (AsyncTimeoutException e) {
                        events.add("inner timed out at " + VirtualTime.now());
                    }
                    Async.sleep(STEP);
                    events.add("outer block goes on at " + VirtualTime.now());
                }
                return null;
            });

            assertThat(events)
                    .containsExactly("inner timed out at " + STEP, "outer block goes on at " + STEP.multipliedBy(2));
            assertThat(inner.get().expired()).isTrue();
            assertThat(outer.get().expired()).isFalse();
        }

        @AllEngines
        void anOuterDeadlineFiringInsideAnInnerBlockLeavesBothBlocks(CoroutineEngine engine) {
            AtomicReference<Timeout> outer = new AtomicReference<>();
            AtomicReference<Timeout> inner = new AtomicReference<>();

            VirtualTime.run(engine, () -> {
                try (Timeout o = Async.timeout(STEP)) {
                    outer.set(o);
                    try (Timeout i = Async.timeout(PROMPTLY)) {
                        inner.set(i);
                        Async.sleep(FOREVER);
                    }
                    events.add("outer block goes on");
                } catch (AsyncTimeoutException e) {
                    events.add("outer timed out at " + VirtualTime.now());
                }
                return null;
            });

            assertThat(events).containsExactly("outer timed out at " + STEP);
            assertThat(outer.get().expired()).isTrue();
            assertThat(inner.get().expired()).isFalse();
        }

        @AllEngines
        void aCatchBetweenTwoDeadlinesAlsoCatchesTheOuterOneWhoseExpiredTellsThemApart(CoroutineEngine engine) {
            // asyncio passes the outer deadline through the inner block as CancelledError, so an
            // `except TimeoutError` there misses it; Java cannot change the exception in flight at
            // the inner close(), so the catch sees the outer timeout and must check outer.expired()
            VirtualTime.run(engine, () -> {
                try (Timeout outer = Async.timeout(STEP)) {
                    try {
                        Async.waitFor(Async.createTask(work("inner", FOREVER)), PROMPTLY);
                    } catch (AsyncTimeoutException e) {
                        if (outer.expired()) {
                            events.add("the outer deadline: rethrown");
                            throw e;
                        }
                        events.add("the inner deadline: handled");
                    }
                    events.add("outer block goes on");
                } catch (AsyncTimeoutException e) {
                    events.add("outer timed out at " + VirtualTime.now());
                }
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "inner starts",
                            "inner cancelled",
                            "inner finally",
                            "the outer deadline: rethrown",
                            "outer timed out at " + STEP);
        }

        @AllEngines
        void afterTheTimeoutTheTaskIsNoLongerCancelling(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<?> me = Async.currentTask();
                try (Timeout t = Async.timeout(STEP)) {
                    Async.sleep(FOREVER);
                } catch (AsyncTimeoutException e) {
                    events.add("cancelling " + me.cancelling());
                }
                Async.sleep(STEP); // the task is not cancelled again
                events.add("slept after the timeout");
                return null;
            });

            assertThat(events).containsExactly("cancelling 0", "slept after the timeout");
        }

        @AllEngines
        void aRealCancellationInsideTheBlockStaysACancellation(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    try (Timeout t = Async.timeout(PROMPTLY)) {
                        Async.sleep(FOREVER);
                        return "never";
                    }
                });
                Async.sleep(Duration.ZERO);
                task.cancel("shutdown");

                Throwable thrown = catchThrowable(() -> Async.await(task));
                assertThat(thrown)
                        .isExactlyInstanceOf(CancellationException.class)
                        .hasMessage("shutdown");
                assertThat(task.isCancelled()).isTrue();
                return null;
            });
        }

        @AllEngines
        void aDeadlineInATaskThatIsAlreadyBeingCancelledStillTimesTheBlockOut(CoroutineEngine engine) {
            // the bounded clean-up of asyncio code: except CancelledError: async with timeout(d): await cleanup()
            VirtualTime.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    try {
                        Async.sleep(FOREVER);
                        return "never";
                    } catch (CancellationException cancelled) {
                        events.add("cancelling " + Async.currentTask().cancelling());
                        try (Timeout t = Async.timeout(STEP)) {
                            Async.sleep(FOREVER); // a clean-up that hangs
                        } catch (AsyncTimeoutException e) {
                            events.add("clean-up timed out at " + VirtualTime.now());
                        }
                        throw cancelled;
                    }
                });
                Async.sleep(Duration.ZERO);
                task.cancel("shutdown");

                assertThat(catchThrowable(() -> Async.await(task))).isInstanceOf(CancellationException.class);
                assertThat(task.isCancelled()).isTrue();
                return null;
            });

            assertThat(events).containsExactly("cancelling 1", "clean-up timed out at " + STEP);
        }

        @AllEngines
        void aCancellationTheTaskNeverSawBeforeTheBlockDoesNotHideTheDeadline(CoroutineEngine engine) {
            // asyncio 3.12+: the request came before timeout() was entered (cancelling() at entry is 1),
            // so at the deadline the block still raises TimeoutError, seen or not
            VirtualTime.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    String r = Async.await(Async.createTask(() -> {
                        try {
                            Async.sleep(FOREVER);
                            return "never";
                        } catch (CancellationException e) {
                            return "swallowed"; // the cancellation forwarded to it stops here
                        }
                    }));
                    events.add(r + ", cancelling " + Async.currentTask().cancelling());
                    try (Timeout t = Async.timeout(STEP)) {
                        Async.sleep(FOREVER);
                    } catch (AsyncTimeoutException e) {
                        events.add("timed out at " + VirtualTime.now());
                    }
                    return "done";
                });
                Async.sleep(Duration.ZERO);
                Async.sleep(Duration.ZERO); // the child is asleep too
                task.cancel("shutdown");
                events.add("task " + Async.await(task));
                return null;
            });

            assertThat(events).containsExactly("swallowed, cancelling 1", "timed out at " + STEP, "task done");
        }

        @AllEngines
        void aCancellationSwallowedInsideTheBlockIsNotTurnedIntoATimeout(CoroutineEngine engine) {
            // asyncio 3.12+: cancelling() is above its value at entry once the deadline's request is
            // withdrawn, so the block lets CancelledError through rather than raise TimeoutError
            VirtualTime.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    try (Timeout t = Async.timeout(STEP)) {
                        try {
                            Async.sleep(FOREVER);
                        } catch (CancellationException swallowed) {
                            events.add("swallowed " + swallowed.getClass().getSimpleName());
                        }
                        Async.sleep(FOREVER);
                    } catch (AsyncTimeoutException e) {
                        events.add("timed out at " + VirtualTime.now());
                    } catch (CancellationException e) {
                        events.add("cancelled at " + VirtualTime.now());
                        throw e;
                    }
                    return "done";
                });
                Async.sleep(Duration.ZERO);
                task.cancel("shutdown");
                assertThat(catchThrowable(() -> Async.await(task))).isInstanceOf(CancellationException.class);
                return null;
            });

            assertThat(events).containsExactly("swallowed CancellationException", "cancelled at " + STEP);
        }

        @AllEngines
        void aDeadlineWithdrawnWithUncancelLeavesNothingBehindForALaterCancellation(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    try (Timeout t = Async.timeout(STEP)) {
                        try {
                            Async.sleep(FOREVER);
                        } catch (AsyncTimeoutException e) {
                            events.add("uncancel: " + Async.currentTask().uncancel()); // handled here
                        }
                    }
                    try {
                        Async.sleep(FOREVER);
                    } catch (CancellationException e) {
                        events.add("later: " + e.getClass().getSimpleName() + " " + e.getMessage());
                        throw e;
                    }
                    return "never";
                });
                Async.sleep(STEP.multipliedBy(2));
                task.cancel("shutdown");
                assertThat(catchThrowable(() -> Async.await(task))).isInstanceOf(CancellationException.class);
                return null;
            });

            assertThat(events).containsExactly("uncancel: 0", "later: CancellationException shutdown");
        }

        @AllEngines
        void rescheduleAfterExpiryIsRefused(CoroutineEngine engine) {
            Async.run(engine, () -> {
                try (Timeout t = Async.timeout(STEP)) {
                    catchThrowable(() -> Async.sleep(FOREVER));
                    assertThat(t.expired()).isTrue();
                    assertThatIllegalStateException()
                            .isThrownBy(() -> t.reschedule(PROMPTLY))
                            .withMessageContaining("expired");
                }
                return null;
            });
        }

        @Test
        void aTimeoutNeedsACoroutine() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> Async.timeout(STEP))
                    .withMessageContaining("Async.run");
        }
    }
}
