package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncLifoQueue}, read like asyncio's {@code LifoQueue}: the item put last comes out first;
 * everything else is {@link AsyncQueue}'s. Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
class AsyncLifoQueueTest {

    @Nested
    class Order {

        @AllEngines
        void theItemPutLastComesOutFirst(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLifoQueue<String> queue = new AsyncLifoQueue<>();
                queue.put("a");
                queue.put("b");
                queue.putNowait("c");

                assertThat(List.of(queue.get(), queue.getNowait(), queue.get())).containsExactly("c", "b", "a");
                return null;
            });
        }

        @AllEngines
        void aBoundedLifoQueueMakesPuttersWait(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLifoQueue<String> queue = new AsyncLifoQueue<>(1);
                queue.put("a");
                Task<Void> putter = Async.createTask(() -> {
                    queue.put("b");
                    return null;
                });
                settle();
                assertThat(putter.isDone()).isFalse();

                assertThat(queue.get()).isEqualTo("a");
                Async.await(putter);
                assertThat(queue.get()).isEqualTo("b");
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aGetterCancelledInTheLapItIsWokenLeavesTheNewestItemToTheNextGetter(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncLifoQueue<String> queue = new AsyncLifoQueue<>();
                Task<String> a = Async.createTask(queue::get);
                Task<String> b = Async.createTask(queue::get);
                settle();

                queue.putNowait("older");
                queue.putNowait("newer");
                a.cancel();
                settle();

                assertThat(a.isCancelled()).isTrue();
                assertThat(Async.await(b)).isEqualTo("newer");
                assertThat(queue.getNowait()).isEqualTo("older");
                return null;
            });
        }

        @AllEngines
        void producersAndConsumersCancelledAtRandomLoseNoItem(CoroutineEngine engine) {
            Async.run(engine, () -> {
                QueueChaos.producersAndConsumersCancelledAtRandom(new AsyncLifoQueue<>(3), new Random(3));
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @Test
        void aNegativeMaxsizeIsRefused() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new AsyncLifoQueue<String>(-5))
                    .withMessage("maxsize must not be negative (0 means unbounded): -5");
        }

        @Test
        void isAnAsyncQueue() {
            AsyncQueue<String> queue = new AsyncLifoQueue<>();
            assertThat(queue).hasToString("AsyncLifoQueue[maxsize=0, qsize=0]");
        }
    }
}
