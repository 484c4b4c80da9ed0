package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
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
 * {@link AsyncEvent}, read like asyncio's {@code Event}: {@code set()} wakes every waiter, a set
 * event lets waiters through at once, {@code clear()} makes them wait again. Every test runs on each
 * coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@SuppressWarnings("try") // try (var t = Async.timeout(...)) scopes a deadline; t itself is unused
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
class AsyncEventTest {
    final List<String> steps = new ArrayList<>();

    Task<Void> waiter(AsyncEvent event, String name) {
        return Async.createTask(
                () -> {
                    steps.add(name + " waits");
                    try {
                        event.await();
                    } catch (CancellationException e) {
                        steps.add(name + " cancelled");
                        throw e;
                    }
                    steps.add(name + " goes on");
                    return null;
                },
                name);
    }

    @Nested
    class SettingAndClearing {

        @AllEngines
        void setWakesEveryWaiterInTheOrderTheyCame(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                Task<Void> a = waiter(event, "a");
                Task<Void> b = waiter(event, "b");
                settle();
                assertThat(event).hasToString("AsyncEvent[unset, waiters:2]");

                steps.add("main sets the event");
                event.set();
                Async.await(Async.gather(a, b));

                assertThat(steps)
                        .containsExactly("a waits", "b waits", "main sets the event", "a goes on", "b goes on");
                assertThat(event.isSet()).isTrue();
                assertThat(event).hasToString("AsyncEvent[set]");
                return null;
            });
        }

        @AllEngines
        void aSetEventLetsWaitersThroughAtOnce(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                event.set();

                event.await();
                event.await();

                assertThat(event.isSet()).isTrue();
                return null;
            });
        }

        @AllEngines
        void clearMakesLaterWaitersWaitAgain(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                event.set();
                event.clear();
                assertThat(event.isSet()).isFalse();

                Task<Void> a = waiter(event, "a");
                settle();
                assertThat(a.isDone()).isFalse();

                event.set();
                Async.await(a);
                assertThat(steps).containsExactly("a waits", "a goes on");
                return null;
            });
        }

        @AllEngines
        void everyWaiterWokenBySetGoesOnEvenIfTheEventIsClearedBeforeItRuns(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                Task<Void> a = waiter(event, "a");
                settle();

                event.set();
                event.clear();
                Async.await(a);

                assertThat(steps).containsExactly("a waits", "a goes on");
                assertThat(event.isSet()).isFalse();
                return null;
            });
        }

        @AllEngines
        void settingTwiceWakesNobodyTwice(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                Task<Void> a = waiter(event, "a");
                settle();

                event.set();
                event.set();
                Async.await(a);

                assertThat(steps).containsExactly("a waits", "a goes on");
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aCancelledWaiterLeavesAndTheOthersAreStillWoken(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                Task<Void> a = waiter(event, "a");
                Task<Void> b = waiter(event, "b");
                settle();

                a.cancel();
                settle();
                assertThat(event).hasToString("AsyncEvent[unset, waiters:1]");
                event.set();
                Async.await(b);

                assertThat(a.isCancelled()).isTrue();
                assertThat(steps).containsExactly("a waits", "b waits", "a cancelled", "b goes on");
                assertThat(event).hasToString("AsyncEvent[set]");
                return null;
            });
        }

        @AllEngines
        void aWaiterCancelledInTheLapItIsWokenIsCancelledAndTheOthersStillGoOn(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                Task<Void> a = waiter(event, "a");
                Task<Void> b = waiter(event, "b");
                settle();

                event.set();
                a.cancel();
                settle();

                assertThat(a.isCancelled()).isTrue();
                assertThat(b.isDone() && !b.isCancelled()).isTrue();
                assertThat(steps).containsExactly("a waits", "b waits", "a cancelled", "b goes on");
                return null;
            });
        }

        @AllEngines
        void aTimeoutGivesUpTheWait(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();

                Throwable thrown = null;
                try (var t = Async.timeout(Duration.ofMillis(10))) {
                    event.await();
                } catch (AsyncTimeoutException e) {
                    thrown = e;
                }

                assertThat(thrown).isInstanceOf(AsyncTimeoutException.class);
                assertThat(event).hasToString("AsyncEvent[unset]");
                return null;
            });
        }

        @AllEngines
        void aHundredWaitersCancelledAtRandomAllOthersGoOn(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                Random random = new Random(1);
                int[] wentOn = {0};
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    tasks.add(Async.createTask(() -> {
                        Chaos.dawdle(random, 10);
                        event.await();
                        wentOn[0]++;
                        return null;
                    }));
                }
                Async.createTask(
                        () -> { // never cancelled
                            Chaos.dawdle(random, 20);
                            event.set();
                            return null;
                        });

                int cancelled = Chaos.cancelSomeThenJoin(tasks, random, 30);

                long cancelledWaiters = tasks.stream().filter(Task::isCancelled).count();
                assertThat(cancelledWaiters).isEqualTo(cancelled);
                assertThat(wentOn[0] + cancelledWaiters).isEqualTo(100);
                assertThat(event).hasToString("AsyncEvent[set]");
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @Test
        void awaitingOutsideACoroutineThrows() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> new AsyncEvent().await())
                    .withMessageStartingWith("AsyncEvent.await() must be called inside a coroutine");
        }

        @AllEngines
        void settingFromAnotherThreadThrows(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncEvent event = new AsyncEvent();
                event.clear(); // binds it to this loop

                Throwable thrown = Async.toThread(() -> catchThrowable(event::set));

                assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("callSoonThreadsafe");
                assertThat(event.isSet()).isFalse();
                return null;
            });
        }
    }
}
