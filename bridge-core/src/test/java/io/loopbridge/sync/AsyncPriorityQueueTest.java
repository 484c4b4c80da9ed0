package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncPriorityQueue}, read like asyncio's {@code PriorityQueue}: the least item comes out
 * first, by natural order or a comparator; everything else is {@link AsyncQueue}'s. Every test runs
 * on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
class AsyncPriorityQueueTest {
    record Job(int priority, String name) {}

    final List<String> steps = new ArrayList<>();

    @Nested
    class Order {

        @AllEngines
        void theLeastItemComesOutFirstInNaturalOrder(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncPriorityQueue<Integer> queue = new AsyncPriorityQueue<>();
                for (int i : new int[] {5, 1, 4, 2, 3}) {
                    queue.put(i);
                }

                List<Integer> out = new ArrayList<>();
                while (!queue.empty()) {
                    out.add(queue.get());
                }

                assertThat(out).containsExactly(1, 2, 3, 4, 5);
                return null;
            });
        }

        @AllEngines
        void aComparatorDecidesTheOrder(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncPriorityQueue<Job> queue = new AsyncPriorityQueue<>(Comparator.comparingInt(Job::priority));
                queue.put(new Job(3, "low"));
                queue.put(new Job(1, "urgent"));
                queue.put(new Job(2, "normal"));

                assertThat(List.of(
                                queue.get().name(),
                                queue.get().name(),
                                queue.get().name()))
                        .containsExactly("urgent", "normal", "low");
                return null;
            });
        }

        @AllEngines
        void aWaitingGetterGetsTheLeastOfTheItemsPutBeforeItRuns(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncPriorityQueue<Integer> queue = new AsyncPriorityQueue<>();
                Task<Integer> getter = Async.createTask(queue::get);
                settle();

                queue.putNowait(9);
                queue.putNowait(1);

                assertThat(Async.await(getter)).isEqualTo(1);
                return null;
            });
        }

        @AllEngines
        void aBoundedPriorityQueueMakesPuttersWait(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncPriorityQueue<Integer> queue = new AsyncPriorityQueue<>(2, Comparator.reverseOrder());
                queue.put(1);
                queue.put(2);
                Task<Void> putter = Async.createTask(() -> {
                    queue.put(3);
                    return null;
                });
                settle();
                assertThat(putter.isDone()).isFalse();

                assertThat(queue.get()).isEqualTo(2);
                Async.await(putter);
                assertThat(List.of(queue.get(), queue.get())).containsExactly(3, 1);
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aGetterCancelledInTheLapItIsWokenLeavesTheLeastItemToTheNextGetter(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncPriorityQueue<Integer> queue = new AsyncPriorityQueue<>();
                List<Task<Integer>> getters = new ArrayList<>();
                for (String name : List.of("a", "b")) {
                    getters.add(Async.createTask(() -> {
                        try {
                            int item = queue.get();
                            steps.add(name + " got " + item);
                            return item;
                        } catch (CancellationException e) {
                            steps.add(name + " cancelled");
                            throw e;
                        }
                    }));
                }
                settle();

                queue.putNowait(7);
                queue.putNowait(2);
                getters.get(0).cancel();
                Async.await(getters.get(1));

                assertThat(steps).containsExactly("a cancelled", "b got 2");
                assertThat(queue.getNowait()).isEqualTo(7);
                return null;
            });
        }

        @AllEngines
        void producersAndConsumersCancelledAtRandomLoseNoItem(CoroutineEngine engine) {
            Async.run(engine, () -> {
                QueueChaos.producersAndConsumersCancelledAtRandom(new AsyncPriorityQueue<>(3), new Random(7));
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @AllEngines
        void anItemWithoutNaturalOrderIsRefusedAndNothingChanges(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncPriorityQueue<Object> queue = new AsyncPriorityQueue<>();

                assertThatThrownBy(() -> queue.putNowait(new Object())).isInstanceOf(ClassCastException.class);
                assertThatThrownBy(() -> queue.put(new Object())).isInstanceOf(ClassCastException.class);

                assertThat(queue.empty()).isTrue();
                queue.join(); // nothing was counted as put
                return null;
            });
        }

        @AllEngines
        void aWokenPutterWhoseItemIsRefusedPassesTheFreeSlotToTheNextPutter(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncPriorityQueue<Object> queue = new AsyncPriorityQueue<>(1);
                queue.putNowait("a");
                Task<Void> refused = Async.createTask(() -> {
                    queue.put(new Object()); // not Comparable
                    return null;
                });
                Task<Void> next = Async.createTask(() -> {
                    queue.put("b");
                    return null;
                });
                settle();

                assertThat(queue.getNowait()).isEqualTo("a"); // frees the slot: wakes the first putter
                assertThatThrownBy(() -> Async.await(refused)).isInstanceOf(ClassCastException.class);
                settle();

                assertThat(next.isDone())
                        .as("the slot went on to the next putter")
                        .isTrue();
                assertThat(queue.getNowait()).isEqualTo("b");
                return null;
            });
        }

        @Test
        void aNullComparatorAndANegativeMaxsizeAreRefused() {
            assertThatNullPointerException()
                    .isThrownBy(() -> new AsyncPriorityQueue<String>(null))
                    .withMessage("comparator");
            assertThatIllegalArgumentException().isThrownBy(() -> new AsyncPriorityQueue<String>(-1));
        }

        @Test
        void isAnAsyncQueue() {
            AsyncQueue<String> queue = new AsyncPriorityQueue<>(4);
            assertThat(queue.maxsize()).isEqualTo(4);
            assertThat(queue).hasToString("AsyncPriorityQueue[maxsize=4, qsize=0]");
        }
    }
}
