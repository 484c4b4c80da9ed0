package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
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
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncQueue}, read like asyncio's {@code Queue}: FIFO order, {@code put} waits while full,
 * {@code get} while empty, {@code taskDone}/{@code join}, {@code shutdown} (Python 3.13), and no
 * item lost to a getter cancelled after it was woken (bpo-23812). Every test runs on each coroutine
 * engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@SuppressWarnings("try") // try (var t = Async.timeout(...)) scopes a deadline; t itself is unused
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
class AsyncQueueTest {
    final List<String> steps = new ArrayList<>();

    Task<String> getter(AsyncQueue<String> queue, String name) {
        return Async.createTask(
                () -> {
                    steps.add(name + " gets");
                    try {
                        String item = queue.get();
                        steps.add(name + " got " + item);
                        return item;
                    } catch (CancellationException | QueueShutDownException e) {
                        steps.add(name + " " + (e instanceof QueueShutDownException ? "shut out" : "cancelled"));
                        throw e;
                    }
                },
                name);
    }

    Task<Void> putter(AsyncQueue<String> queue, String item) {
        return Async.createTask(() -> {
            steps.add("put " + item);
            try {
                queue.put(item);
                steps.add(item + " is in");
            } catch (CancellationException | QueueShutDownException e) {
                steps.add(item + " " + (e instanceof QueueShutDownException ? "shut out" : "cancelled"));
                throw e;
            }
            return null;
        });
    }

    @Nested
    class PuttingAndGetting {

        @AllEngines
        void itemsComeOutInTheOrderTheyWentIn(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.put("a");
                queue.putNowait("b");
                queue.put("c");

                assertThat(queue.qsize()).isEqualTo(3);
                assertThat(queue.get()).isEqualTo("a");
                assertThat(queue.getNowait()).isEqualTo("b");
                assertThat(queue.get()).isEqualTo("c");
                assertThat(queue.empty()).isTrue();
                return null;
            });
        }

        @AllEngines
        void getWaitsForAnItemAndGettersAreServedInTheOrderTheyCame(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                Task<String> first = getter(queue, "first");
                Task<String> second = getter(queue, "second");
                settle();
                assertThat(queue).hasToString("AsyncQueue[maxsize=0, qsize=0, getters:2]");

                steps.add("main puts x, y");
                queue.putNowait("x");
                queue.putNowait("y");
                Async.await(Async.gather(first, second));

                assertThat(steps)
                        .containsExactly("first gets", "second gets", "main puts x, y", "first got x", "second got y");
                return null;
            });
        }

        @AllEngines
        void putWaitsWhileTheQueueIsFull(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>(2);
                assertThat(queue.maxsize()).isEqualTo(2);
                queue.put("a");
                queue.put("b");
                assertThat(queue.full()).isTrue();
                Task<Void> c = putter(queue, "c");
                Task<Void> d = putter(queue, "d");
                settle();
                assertThat(queue).hasToString("AsyncQueue[maxsize=2, qsize=2, putters:2, tasks=2]");

                steps.add("main got " + queue.get());
                settle();
                steps.add("main got " + queue.get());
                Async.await(Async.gather(c, d));

                assertThat(steps).containsExactly("put c", "put d", "main got a", "c is in", "main got b", "d is in");
                assertThat(List.of(queue.get(), queue.get())).containsExactly("c", "d");
                return null;
            });
        }

        @AllEngines
        void anUnboundedQueueIsNeverFull(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<Integer> queue = new AsyncQueue<>(0);
                for (int i = 0; i < 10_000; i++) {
                    queue.putNowait(i);
                }
                assertThat(queue.full()).isFalse();
                assertThat(queue.qsize()).isEqualTo(10_000);
                return null;
            });
        }

        @AllEngines
        void putNowaitOnAFullQueueThrowsAndGetNowaitOnAnEmptyOne(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>(1);

                assertThatThrownBy(queue::getNowait)
                        .isInstanceOf(QueueEmptyException.class)
                        .isInstanceOf(NoSuchElementException.class)
                        .hasMessage("Queue is empty");
                queue.putNowait("a");
                assertThatThrownBy(() -> queue.putNowait("b"))
                        .isInstanceOf(QueueFullException.class)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("Queue is full (maxsize 1): cannot put b");

                assertThat(queue.qsize()).isEqualTo(1);
                assertThat(queue.getNowait()).isEqualTo("a");
                return null;
            });
        }
    }

    @Nested
    class TaskDoneAndJoin {

        @AllEngines
        void joinWaitsUntilEveryItemIsMarkedDone(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.join(); // nothing put: returns at once
                queue.put("a");
                queue.put("b");
                Task<Void> worker = Async.createTask(() -> {
                    while (!queue.empty()) {
                        String item = queue.get();
                        Async.sleep(Duration.ZERO);
                        steps.add("worker done with " + item);
                        queue.taskDone();
                    }
                    return null;
                });

                queue.join();
                steps.add("join returns");

                assertThat(steps).containsExactly("worker done with a", "worker done with b", "join returns");
                Async.await(worker);
                return null;
            });
        }

        @AllEngines
        void taskDoneCalledMoreOftenThanItemsWerePutThrows(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.put("a");
                queue.get();
                queue.taskDone();

                assertThatIllegalStateException()
                        .isThrownBy(queue::taskDone)
                        .withMessage("taskDone() called too many times");
                return null;
            });
        }

        @AllEngines
        void aCancelledJoinLeavesTheCountAlone(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.put("a");
                Task<Void> joiner = Async.createTask(() -> {
                    queue.join();
                    return null;
                });
                settle();

                joiner.cancel();
                settle();
                queue.get();
                queue.taskDone();

                assertThat(joiner.isCancelled()).isTrue();
                queue.join();
                return null;
            });
        }
    }

    @Nested
    class ShuttingDown {

        @AllEngines
        void putsFailAfterShutdownButGetsDrainTheQueueFirst(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.put("a");
                queue.put("b");

                queue.shutdown();

                assertThatThrownBy(() -> queue.put("c"))
                        .isInstanceOf(QueueShutDownException.class)
                        .hasMessage("Queue is shut down: cannot put c");
                assertThatThrownBy(() -> queue.putNowait("c")).isInstanceOf(QueueShutDownException.class);
                assertThat(queue.get()).isEqualTo("a");
                assertThat(queue.getNowait()).isEqualTo("b");
                assertThatThrownBy(queue::get)
                        .isInstanceOf(QueueShutDownException.class)
                        .hasMessage("Queue is shut down and empty");
                assertThatThrownBy(queue::getNowait).isInstanceOf(QueueShutDownException.class);
                assertThat(queue).hasToString("AsyncQueue[maxsize=0, qsize=0, tasks=2, shut down]");
                return null;
            });
        }

        @AllEngines
        void shutdownWakesWaitingGettersAndPuttersWithTheError(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> empty = new AsyncQueue<>(1);
                AsyncQueue<String> full = new AsyncQueue<>(1);
                full.put("x");
                Task<String> g = getter(empty, "g");
                Task<Void> p = putter(full, "y");
                settle();

                empty.shutdown();
                full.shutdown();
                Async.await(Async.gatherSettled(g, p));

                assertThat(g.exception()).isInstanceOf(QueueShutDownException.class);
                assertThat(p.exception()).isInstanceOf(QueueShutDownException.class);
                assertThat(steps).containsExactly("g gets", "put y", "g shut out", "y shut out");
                assertThat(full.get()).as("what was in stays in").isEqualTo("x");
                return null;
            });
        }

        @AllEngines
        void anImmediateShutdownDropsTheItemsAndUnblocksJoin(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.put("a");
                queue.put("b");
                Task<Void> joiner = Async.createTask(() -> {
                    queue.join();
                    steps.add("join returns");
                    return null;
                });
                settle();

                queue.shutdown(true);
                Async.await(joiner);

                assertThat(queue.empty()).isTrue();
                assertThat(steps).containsExactly("join returns");
                assertThatThrownBy(queue::get).isInstanceOf(QueueShutDownException.class);
                return null;
            });
        }

        @AllEngines
        void anImmediateShutdownStillWaitsForItemsTakenButNotDone(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.put("taken");
                queue.put("dropped");
                queue.get();
                Task<Void> joiner = Async.createTask(() -> {
                    queue.join();
                    return null;
                });

                queue.shutdown(true);
                settle();
                assertThat(joiner.isDone()).isFalse();
                queue.taskDone();
                Async.await(joiner);

                assertThatIllegalStateException().isThrownBy(queue::taskDone);
                return null;
            });
        }

        @AllEngines
        void shuttingDownTwiceDoesNoHarm(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.put("a");
                queue.shutdown();
                queue.shutdown(true);
                queue.shutdown();

                assertThat(queue.empty()).isTrue();
                queue.join();
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aCancelledGetterLeavesTheQueueAndTakesNothing(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                Task<String> g = getter(queue, "g");
                settle();

                g.cancel();
                settle();
                queue.putNowait("x");

                assertThat(g.isCancelled()).isTrue();
                assertThat(queue).hasToString("AsyncQueue[maxsize=0, qsize=1, tasks=1]");
                return null;
            });
        }

        @AllEngines
        void aGetterCancelledInTheLapItIsWokenLeavesTheItemToTheNextGetter(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                Task<String> a = getter(queue, "a");
                Task<String> b = getter(queue, "b");
                settle();

                queue.putNowait("x"); // wakes a...
                a.cancel(); // ...which is cancelled before it can run
                Async.await(b);

                assertThat(a.isCancelled()).isTrue();
                assertThat(steps).containsExactly("a gets", "b gets", "a cancelled", "b got x");
                assertThat(queue.empty()).isTrue();
                return null;
            });
        }

        @AllEngines
        void aGetterCancelledInTheLapItIsWokenLeavesTheItemInTheQueueWhenNobodyElseWaits(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                Task<String> a = getter(queue, "a");
                settle();

                queue.putNowait("x");
                a.cancel();
                settle();

                assertThat(a.isCancelled()).isTrue();
                assertThat(queue.getNowait()).isEqualTo("x");
                return null;
            });
        }

        @AllEngines
        void aPutterCancelledInTheLapItIsWokenLeavesTheSlotToTheNextPutter(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>(1);
                queue.put("a");
                Task<Void> b = putter(queue, "b");
                Task<Void> c = putter(queue, "c");
                settle();

                queue.getNowait(); // frees the slot for b...
                b.cancel(); // ...which is cancelled before it can run
                Async.await(c);

                assertThat(b.isCancelled()).isTrue();
                assertThat(steps).containsExactly("put b", "put c", "b cancelled", "c is in");
                assertThat(queue.getNowait()).isEqualTo("c");
                return null;
            });
        }

        @AllEngines
        void aTimeoutAroundGetLosesNoItem(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                String outcome;
                try (var t = Async.timeout(Duration.ofMillis(10))) {
                    outcome = queue.get();
                } catch (AsyncTimeoutException e) {
                    outcome = "timed out";
                }
                queue.putNowait("x");

                assertThat(outcome).isEqualTo("timed out");
                assertThat(queue.get()).isEqualTo("x");
                return null;
            });
        }

        @AllEngines
        void producersAndConsumersCancelledAtRandomLoseNoItem(CoroutineEngine engine) {
            Async.run(engine, () -> {
                QueueChaos.producersAndConsumersCancelledAtRandom(new AsyncQueue<>(3), new Random(23812));
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @Test
        void aNegativeMaxsizeIsRefused() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new AsyncQueue<String>(-1))
                    .withMessage("maxsize must not be negative (0 means unbounded): -1");
        }

        @AllEngines
        void nullItemsAreRefused(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                assertThatNullPointerException()
                        .isThrownBy(() -> queue.put(null))
                        .withMessage("item");
                assertThatNullPointerException()
                        .isThrownBy(() -> queue.putNowait(null))
                        .withMessage("item");
                assertThat(queue.empty()).isTrue();
                return null;
            });
        }

        @Test
        void suspendingMethodsOutsideACoroutineThrow() {
            AsyncQueue<String> queue = new AsyncQueue<>();
            assertThatIllegalStateException()
                    .isThrownBy(queue::get)
                    .withMessageStartingWith("AsyncQueue.get() must be called inside a coroutine");
            assertThatIllegalStateException()
                    .isThrownBy(() -> queue.put("a"))
                    .withMessageStartingWith("AsyncQueue.put() must be called inside a coroutine");
            assertThatIllegalStateException()
                    .isThrownBy(queue::join)
                    .withMessageStartingWith("AsyncQueue.join() must be called inside a coroutine");
        }

        @AllEngines
        void nonSuspendingMethodsFromAnotherThreadThrow(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncQueue<String> queue = new AsyncQueue<>();
                queue.putNowait("a"); // binds it to this loop

                Throwable thrown = Async.toThread(() -> catchThrowable(queue::getNowait));

                assertThat(thrown)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("AsyncQueue.getNowait()")
                        .hasMessageContaining("callSoonThreadsafe");
                assertThat(queue.qsize()).isEqualTo(1);
                return null;
            });
        }
    }
}
