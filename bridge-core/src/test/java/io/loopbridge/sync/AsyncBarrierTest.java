package io.loopbridge.sync;

import static io.loopbridge.sync.Chaos.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncBarrier}, read like asyncio's {@code Barrier} (Python 3.11): {@code parties}
 * coroutines meet, each learns its arrival index, the barrier is reusable, {@code abort()} and
 * {@code reset()} break it. Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@SuppressWarnings("try") // try (var t = Async.timeout(...)) scopes a deadline; t itself is unused
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
class AsyncBarrierTest {
    final List<String> steps = new ArrayList<>();

    Task<Integer> party(AsyncBarrier barrier, String name) {
        return Async.createTask(
                () -> {
                    steps.add(name + " arrives");
                    int index;
                    try {
                        index = barrier.await();
                    } catch (BarrierBrokenException e) {
                        steps.add(name + " broken: " + e.getMessage());
                        throw e;
                    } catch (CancellationException e) {
                        steps.add(name + " cancelled");
                        throw e;
                    }
                    steps.add(name + " passes as " + index);
                    return index;
                },
                name);
    }

    @Nested
    class Meeting {

        @AllEngines
        void everyoneWaitsForTheLastPartyThenAllGoOnWithTheirArrivalIndex(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(3);
                Task<Integer> a = party(barrier, "a");
                Task<Integer> b = party(barrier, "b");
                settle();
                assertThat(barrier.waiting()).isEqualTo(2);
                assertThat(barrier).hasToString("AsyncBarrier[filling, waiters:2/3]");

                Task<Integer> c = party(barrier, "c");
                Async.await(Async.gather(a, b, c));

                assertThat(steps)
                        .containsExactly(
                                "a arrives",
                                "b arrives",
                                "c arrives",
                                "c passes as 2",
                                "a passes as 0",
                                "b passes as 1");
                assertThat(barrier.waiting()).isZero();
                assertThat(barrier).hasToString("AsyncBarrier[filling, waiters:0/3]");
                return null;
            });
        }

        @AllEngines
        void theBarrierCanBeUsedRoundAfterRound(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(2);
                List<Integer> indexes = new ArrayList<>();
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    tasks.add(Async.createTask(() -> {
                        for (int round = 0; round < 3; round++) {
                            indexes.add(barrier.await());
                        }
                        return null;
                    }));
                }

                Async.await(Async.gather(tasks));

                assertThat(indexes).containsExactly(1, 0, 1, 0, 1, 0);
                assertThat(barrier.parties()).isEqualTo(2);
                return null;
            });
        }

        @AllEngines
        void arrivalsWhileTheBarrierDrainsWaitForTheNextRound(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(2);
                Task<Integer> a = party(barrier, "a");
                settle();
                Task<Integer> b = party(barrier, "b"); // trips it; a has not left yet
                Task<Integer> c = party(barrier, "c"); // arrives while it drains
                Task<Integer> d = party(barrier, "d");

                Async.await(Async.gather(a, b, c, d));

                assertThat(Async.await(c)).isZero();
                assertThat(Async.await(d)).isEqualTo(1);
                assertThat(steps)
                        .containsSubsequence("a passes as 0", "c passes as 0")
                        .containsSubsequence("b passes as 1", "d passes as 1");
                return null;
            });
        }

        @AllEngines
        void aBarrierOfOneNeverWaits(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(1);
                assertThat(barrier.await()).isZero();
                assertThat(barrier.await()).isZero();
                return null;
            });
        }
    }

    @Nested
    class Breaking {

        @AllEngines
        void abortBreaksTheWaitersAndEveryLaterArrival(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(3);
                Task<Integer> a = party(barrier, "a");
                settle();

                barrier.abort();
                Async.await(Async.gatherSettled(a));

                assertThat(a.exception()).isInstanceOf(BarrierBrokenException.class);
                assertThat(barrier.isBroken()).isTrue();
                assertThat(barrier).hasToString("AsyncBarrier[broken]");
                assertThatThrownBy(barrier::await)
                        .isInstanceOf(BarrierBrokenException.class)
                        .hasMessage("Barrier aborted");
                assertThat(steps).containsExactly("a arrives", "a broken: Abort or reset of barrier");
                return null;
            });
        }

        @AllEngines
        void resetBreaksTheCurrentRoundThenTheBarrierFillsAgain(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(2);
                Task<Integer> a = party(barrier, "a");
                settle();

                barrier.reset();
                Async.await(Async.gatherSettled(a));
                assertThat(a.exception()).isInstanceOf(BarrierBrokenException.class);
                assertThat(barrier.isBroken()).isFalse();

                Task<Integer> b = party(barrier, "b");
                Task<Integer> c = party(barrier, "c");
                Async.await(Async.gather(b, c));

                assertThat(steps)
                        .containsExactly(
                                "a arrives",
                                "a broken: Abort or reset of barrier",
                                "b arrives",
                                "c arrives",
                                "c passes as 1",
                                "b passes as 0");
                return null;
            });
        }

        @AllEngines
        void resetMendsAnAbortedBarrier(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(1);
                barrier.abort();

                barrier.reset();

                assertThat(barrier.isBroken()).isFalse();
                assertThat(barrier.await()).isZero();
                return null;
            });
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void aCancelledWaiterLeavesWithoutBreakingTheBarrier(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(2);
                Task<Integer> a = party(barrier, "a");
                settle();

                a.cancel();
                settle();
                assertThat(barrier.waiting()).isZero();
                assertThat(barrier.isBroken()).isFalse();

                Task<Integer> b = party(barrier, "b");
                Task<Integer> c = party(barrier, "c");
                Async.await(Async.gather(b, c));

                assertThat(a.isCancelled()).isTrue();
                assertThat(steps)
                        .containsExactly(
                                "a arrives", "a cancelled", "b arrives", "c arrives", "c passes as 1", "b passes as 0");
                return null;
            });
        }

        @AllEngines
        void aWaiterCancelledInTheLapTheBarrierTripsIsCancelledAndTheOthersPass(CoroutineEngine engine) {
            Async.run(engine, () -> {
                AsyncBarrier barrier = new AsyncBarrier(3);
                Task<Integer> a = party(barrier, "a");
                Task<Integer> b = party(barrier, "b");
                settle();

                Task<Integer> c = party(barrier, "c");
                while (barrier.waiting() != 0) {
                    Async.sleep(java.time.Duration.ZERO); // until c trips it
                }
                a.cancel();
                Async.await(Async.gatherSettled(a, b, c));

                assertThat(a.isCancelled()).isTrue();
                assertThat(Async.await(b)).isEqualTo(1);
                assertThat(Async.await(c)).isEqualTo(2);
                assertThat(barrier).hasToString("AsyncBarrier[filling, waiters:0/3]");
                return null;
            });
        }

        @AllEngines
        void aHundredPartiesCancelledAtRandomLeaveACountThatAddsUp(CoroutineEngine engine) {
            Async.run(engine, () -> {
                int parties = 5;
                AsyncBarrier barrier = new AsyncBarrier(parties);
                Random random = new Random(3_11);
                int[] passed = {0};
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    tasks.add(Async.createTask(() -> {
                        Chaos.dawdle(random, 30);
                        barrier.await();
                        passed[0]++;
                        return null;
                    }));
                }

                int maxCancels = 23;
                int cancelled = 0;
                while (cancelled < maxCancels && tasks.stream().anyMatch(t -> !t.isDone())) {
                    Async.sleep(java.time.Duration.ZERO);
                    Task<Void> victim = tasks.get(random.nextInt(tasks.size()));
                    if (random.nextInt(3) == 0 && victim.cancel()) {
                        cancelled++;
                    }
                }
                try (var deadline = Async.timeout(Chaos.PROMPTLY)) {
                    while (tasks.stream().filter(t -> !t.isDone()).count() >= parties) {
                        Async.sleep(java.time.Duration.ZERO); // full rounds still pass
                    }
                }
                settle();

                long stuck = tasks.stream().filter(t -> !t.isDone()).count();
                assertThat(barrier.waiting()).isEqualTo((int) stuck);
                assertThat(stuck).isLessThan(parties);
                barrier.abort();
                Async.await(Async.gatherSettled(tasks));
                long broken = tasks.stream()
                        .filter(t -> !t.isCancelled() && t.exception() != null)
                        .count();
                assertThat(broken).isEqualTo(stuck);
                assertThat(passed[0] + cancelled + broken).isEqualTo(100);
                return null;
            });
        }
    }

    @Nested
    class Misuse {

        @Test
        void aBarrierNeedsAtLeastOneParty() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new AsyncBarrier(0))
                    .withMessage("parties must be > 0: 0");
        }

        @Test
        void awaitingOutsideACoroutineThrows() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> new AsyncBarrier(2).await())
                    .withMessageStartingWith("AsyncBarrier.await() must be called inside a coroutine");
        }

        @Test
        void aBrokenBarrierExceptionIsUnchecked() {
            assertThat(new BarrierBrokenException("x")).isInstanceOf(IllegalStateException.class);
        }
    }
}
