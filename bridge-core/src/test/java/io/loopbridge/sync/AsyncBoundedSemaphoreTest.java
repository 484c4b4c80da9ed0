package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncBoundedSemaphore}, read like asyncio's {@code BoundedSemaphore}: a semaphore that
 * refuses to be released above its initial value. Every test runs on each coroutine engine the JVM
 * offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
@SuppressWarnings("try")
class AsyncBoundedSemaphoreTest {

    @Nested
    class Bounds {

        @AllEngines
        void releasingMoreOftenThanAcquiredThrowsAndChangesNothing(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBoundedSemaphore sem = new AsyncBoundedSemaphore(2);
                sem.acquire();
                sem.release();

                assertThatIllegalStateException()
                        .isThrownBy(sem::release)
                        .withMessage("AsyncBoundedSemaphore released too many times (value 2)");
                assertThat(sem.availablePermits()).isEqualTo(2);
                assertThat(sem).hasToString("AsyncBoundedSemaphore[unlocked, value:2]");
                return null;
            });
        }

        @AllEngines
        void aPermitClosedTwiceReleasesOnce(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBoundedSemaphore sem = new AsyncBoundedSemaphore(1);
                Permit p = sem.acquire();

                p.close();
                p.close();

                assertThat(sem.availablePermits()).isEqualTo(1);
                return null;
            });
        }

        @AllEngines
        void aReleaseHandedToAWaiterCountsAsTaken(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBoundedSemaphore sem = new AsyncBoundedSemaphore(1);
                Permit mine = sem.acquire();
                Task<Permit> waiter = Async.createTask(sem::acquire);
                settle();

                mine.close(); // handed to the waiter: still none available
                assertThat(sem.availablePermits()).isZero();
                Async.await(waiter).close();

                assertThat(sem.availablePermits()).isEqualTo(1);
                assertThatIllegalStateException().isThrownBy(sem::release);
                return null;
            });
        }

        @AllEngines
        void isAnAsyncSemaphore(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncSemaphore sem = new AsyncBoundedSemaphore(3);
                try (Permit p = sem.acquire()) {
                    assertThat(sem.availablePermits()).isEqualTo(2);
                }
                assertThatIllegalStateException().isThrownBy(sem::release);
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aHundredContendingTasksCancelledAtRandomLoseNoPermitAndReleaseNoneTwice(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBoundedSemaphore sem = new AsyncBoundedSemaphore(4);
                Random random = new Random(270);
                int[] inside = {0};
                int[] mostInside = {0};
                Line line = new Line(30);
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    tasks.add(Async.createTask(() -> {
                        Chaos.dawdle(random, 20);
                        Permit p;
                        line.enter();
                        try {
                            p = sem.acquire();
                        } finally {
                            line.leave();
                        }
                        try (p) {
                            inside[0]++;
                            mostInside[0] = Math.max(mostInside[0], inside[0]);
                            try {
                                Chaos.dawdle(random, 5);
                            } finally {
                                inside[0]--;
                            }
                        }
                        line.maybeCancelFirst(random);
                        return null;
                    }));
                }

                int cancelled = Chaos.cancelSomeThenJoin(tasks, random, 20) + line.cancelled();

                assertThat(line.cancelled()).isPositive();
                assertThat(tasks.stream().filter(Task::isCancelled).count()).isEqualTo(cancelled);
                assertThat(tasks)
                        .allSatisfy(t -> assertThat(t.isCancelled() || t.exception() == null)
                                .isTrue());
                assertThat(mostInside[0]).isEqualTo(4);
                assertThat(sem).hasToString("AsyncBoundedSemaphore[unlocked, value:4]");
                assertThatIllegalStateException().isThrownBy(sem::release);
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @Test
        void aNegativeValueIsRefused() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new AsyncBoundedSemaphore(-2))
                    .withMessage("value must not be negative: -2");
        }

        @Test
        void acquiringOutsideACoroutineThrowsNamingTheClass() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> new AsyncBoundedSemaphore().acquire())
                    .withMessageStartingWith("AsyncBoundedSemaphore.acquire() must be called inside a coroutine");
        }
    }
}
