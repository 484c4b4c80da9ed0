package io.loopbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.ReturnWhen;
import io.loopbridge.task.Task;
import io.loopbridge.task.WaitResult;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Async.wait}, {@code Async.asCompleted} and {@code Async.gather} over coroutines, read like
 * asyncio's documentation of {@code wait}, {@code as_completed} and {@code gather}. Tasks that
 * must stay pending wait on a gate the test opens. A test whose outcome depends on which of two
 * sleeps or deadlines ends first runs on virtual time ({@link VirtualTime}), where they end in the
 * order of their deadlines however loaded the machine is. Every test runs on each coroutine engine
 * the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails instead of hanging
class AsyncWaitTest {
    static final Duration STEP = Duration.ofMillis(10);
    /** A deadline that a task finishing after {@link #STEP} meets. */
    static final Duration DEADLINE = Duration.ofMillis(200);

    final List<String> events = new CopyOnWriteArrayList<>();

    /** A task that sleeps {@code delay}, records that, and returns {@code name}. */
    Task<String> after(Duration delay, String name) {
        return Async.createTask(
                () -> {
                    Async.sleep(delay);
                    events.add(name + " done");
                    return name;
                },
                name);
    }

    /** A task that sleeps {@code delay}, records that, and fails with {@code IllegalStateException(name)}. */
    Task<String> failingAfter(Duration delay, String name) {
        return Async.createTask(
                () -> {
                    Async.sleep(delay);
                    events.add(name + " fails");
                    throw new IllegalStateException(name);
                },
                name);
    }

    /** A task that returns {@code name} once {@code gate} is open. */
    Task<String> behind(LoopFuture<Void> gate, String name) {
        return Async.createTask(
                () -> {
                    Async.await(gate);
                    events.add(name + " done");
                    return name;
                },
                name);
    }

    @Nested
    class Wait {

        @AllEngines
        void firstCompletedReturnsAsSoonAsOneIsDone(CoroutineEngine engine) {
            Async.run(engine, () -> {
                LoopFuture<Void> gate = Async.loop().createFuture();
                Task<String> fast = after(STEP, "fast");
                Task<String> slow = behind(gate, "slow");

                WaitResult<String> r = Async.wait(List.of(slow, fast), null, ReturnWhen.FIRST_COMPLETED);
                events.add("wait returns");

                assertThat(r.done()).containsExactly(fast);
                assertThat(r.pending()).containsExactly(slow);
                assertThat(slow.isCancelled()).isFalse();
                gate.setResult(null);
                assertThat(Async.await(slow)).isEqualTo("slow");
                return null;
            });

            assertThat(events).containsExactly("fast done", "wait returns", "slow done");
        }

        @AllEngines
        void firstExceptionReturnsAtTheFirstFailureWithoutThrowingIt(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                LoopFuture<Void> gate = Async.loop().createFuture();
                Task<String> ok = after(STEP, "ok");
                Task<String> failing = failingAfter(STEP.multipliedBy(5), "failing");
                Task<String> slow = behind(gate, "slow");

                WaitResult<String> r = Async.wait(List.of(ok, failing, slow), null, ReturnWhen.FIRST_EXCEPTION);
                events.add("wait returns at " + VirtualTime.now());

                assertThat(r.done()).containsExactly(ok, failing);
                assertThat(r.pending()).containsExactly(slow);
                assertThat(failing.exception())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("failing");
                gate.setResult(null);
                Async.await(slow);
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "ok done", "failing fails", "wait returns at " + STEP.multipliedBy(5), "slow done");
        }

        @AllEngines
        void firstExceptionWithoutAnyFailureWaitsForAll(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                Task<String> a = after(STEP.multipliedBy(5), "a");
                Task<String> b = after(STEP, "b");

                WaitResult<String> r = Async.wait(List.of(a, b), null, ReturnWhen.FIRST_EXCEPTION);
                events.add("wait returns at " + VirtualTime.now());

                assertThat(r.done()).containsExactly(a, b);
                assertThat(r.pending()).isEmpty();
                return null;
            });

            assertThat(events).containsExactly("b done", "a done", "wait returns at " + STEP.multipliedBy(5));
        }

        @AllEngines
        void allCompletedIncludesFailuresAndCancellationsWithoutThrowingThem(CoroutineEngine engine) {
            Async.run(engine, () -> {
                LoopFuture<Void> gate = Async.loop().createFuture();
                Task<String> ok = after(STEP, "ok");
                Task<String> failing = failingAfter(STEP, "failing");
                Task<String> cancelled = behind(gate, "cancelled");
                Async.loop().callLater(STEP.multipliedBy(2), cancelled::cancel);

                WaitResult<String> r = Async.wait(List.of(ok, failing, cancelled), null, ReturnWhen.ALL_COMPLETED);
                events.add("wait returns");

                assertThat(r.done()).containsExactly(ok, failing, cancelled);
                assertThat(r.pending()).isEmpty();
                assertThat(ok.result()).isEqualTo("ok");
                assertThat(failing.exception()).hasMessage("failing");
                assertThat(cancelled.isCancelled()).isTrue();
                return null;
            });

            assertThat(events).containsExactly("ok done", "failing fails", "wait returns");
        }

        @AllEngines
        void aTimeoutReturnsWhatIsDoneAndCancelsNothing(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                LoopFuture<Void> gate = Async.loop().createFuture();
                Task<String> fast = after(STEP, "fast");
                Task<String> slow = behind(gate, "slow");

                WaitResult<String> r = Async.wait(List.of(fast, slow), DEADLINE, ReturnWhen.ALL_COMPLETED);
                events.add("wait times out at " + VirtualTime.now());

                assertThat(r.done()).containsExactly(fast);
                assertThat(r.pending()).containsExactly(slow);
                assertThat(slow.isDone()).isFalse();
                gate.setResult(null);
                assertThat(Async.await(slow)).isEqualTo("slow");
                return null;
            });

            assertThat(events).containsExactly("fast done", "wait times out at " + DEADLINE, "slow done");
        }

        @AllEngines
        void cancellingTheWaiterCancelsNoneOfTheAwaitables(CoroutineEngine engine) {
            Async.run(engine, () -> {
                LoopFuture<Void> gate = Async.loop().createFuture();
                Task<String> slow = behind(gate, "slow");
                Task<WaitResult<String>> waiter =
                        Async.createTask(() -> Async.wait(List.of(slow), null, ReturnWhen.ALL_COMPLETED));
                Async.sleep(STEP);

                waiter.cancel();
                Throwable thrown = catchThrowable(() -> Async.await(waiter));
                events.add("waiter cancelled");

                assertThat(thrown).isInstanceOf(CancellationException.class);
                assertThat(slow.isDone()).isFalse();
                gate.setResult(null);
                Async.await(slow);
                return null;
            });

            assertThat(events).containsExactly("waiter cancelled", "slow done");
        }

        @AllEngines
        void anEmptyCollectionIsRefused(CoroutineEngine engine) {
            Async.run(engine, () -> {
                assertThatIllegalArgumentException()
                        .isThrownBy(() -> Async.wait(List.<Task<String>>of(), null, ReturnWhen.ALL_COMPLETED))
                        .withMessageContaining("at least one awaitable");
                return null;
            });
        }

        @Test
        void outsideACoroutineItSaysToStartOne() {
            io.loopbridge.loop.EventLoop loop = new io.loopbridge.loop.EventLoop();
            try {
                LoopFuture<String> f = loop.createFuture();
                assertThatIllegalStateException()
                        .isThrownBy(() -> Async.wait(List.of(f), null, ReturnWhen.ALL_COMPLETED))
                        .withMessageContaining("must be called inside a coroutine");
            } finally {
                loop.close();
            }
        }
    }

    @Nested
    class AsCompleted {

        @AllEngines
        void yieldsTheOutcomesInTheOrderTheyComplete(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                Task<String> a = after(STEP.multipliedBy(9), "a");
                Task<String> b = failingAfter(STEP, "b");
                Task<String> c = after(STEP.multipliedBy(5), "c");

                for (LoopFuture<String> next : Async.asCompleted(List.of(a, b, c))) {
                    try {
                        events.add("got " + Async.await(next));
                    } catch (IllegalStateException e) {
                        events.add("got failure " + e.getMessage());
                    }
                }
                return null;
            });

            assertThat(events).containsExactly("b fails", "got failure b", "c done", "got c", "a done", "got a");
        }

        @AllEngines
        void aTimeoutFailsTheRemainingSlotsAndCancelsNothing(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                LoopFuture<Void> gate = Async.loop().createFuture();
                Task<String> fast = after(STEP, "fast");
                Task<String> slow = behind(gate, "slow");

                List<LoopFuture<String>> slots = Async.asCompleted(List.of(slow, fast), DEADLINE);
                assertThat(slots).hasSize(2);
                events.add("got " + Async.await(slots.get(0)));
                Throwable thrown = catchThrowable(() -> Async.await(slots.get(1)));
                events.add("second slot: " + thrown.getClass().getSimpleName() + " at " + VirtualTime.now());

                assertThat(slow.isDone()).isFalse();
                gate.setResult(null);
                assertThat(Async.await(slow)).isEqualTo("slow");
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "fast done", "got fast", "second slot: AsyncTimeoutException at " + DEADLINE, "slow done");
        }

        @AllEngines
        void anEmptyCollectionGivesNoSlots(CoroutineEngine engine) {
            List<LoopFuture<String>> slots = Async.run(engine, () -> Async.asCompleted(List.<Task<String>>of()));

            assertThat(slots).isEmpty();
        }

        @AllEngines
        void theSlotOfACancelledAwaitableIsCancelled(CoroutineEngine engine) {
            Throwable thrown = Async.run(engine, () -> {
                LoopFuture<Void> gate = Async.loop().createFuture();
                Task<String> t = behind(gate, "t");
                List<LoopFuture<String>> slots = Async.asCompleted(List.of(t));
                t.cancel();
                return catchThrowable(() -> Async.await(slots.get(0)));
            });

            assertThat(thrown).isInstanceOf(CancellationException.class).isNotInstanceOf(AsyncTimeoutException.class);
        }
    }

    @Nested
    class GatherCoroutines {

        @AllEngines
        void runsTheCoroutinesAsTasksAndReturnsTheResultsInArgumentOrder(CoroutineEngine engine) {
            List<String> results = VirtualTime.run(
                    engine,
                    () -> Async.await(Async.gather(
                            () -> {
                                Async.sleep(STEP.multipliedBy(5));
                                events.add("a done");
                                return "a";
                            },
                            () -> {
                                Async.sleep(STEP);
                                events.add("b done");
                                return "b";
                            })));

            assertThat(results).containsExactly("a", "b");
            assertThat(events).containsExactly("b done", "a done");
        }

        @AllEngines
        void aFailingCoroutineFailsTheGather(CoroutineEngine engine) {
            Throwable thrown = Async.run(
                    engine,
                    () -> catchThrowable(() -> Async.await(Async.<String>gather(
                            () -> {
                                Async.sleep(STEP);
                                throw new IllegalStateException("boom");
                            },
                            () -> "fine"))));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        }

        @Test
        void outsideARunningLoopItSaysToStartOne() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> Async.gather(() -> "a"))
                    .withMessageContaining("needs a running event loop");
        }
    }
}
