package io.loopbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TestEventLoop}: sleeps, timers and timeouts on virtual time, moved by the test, the way
 * Reactor's {@code VirtualTimeScheduler} and RxJava's {@code TestScheduler} are used.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class TestEventLoopTest {
    /** Far more than virtual time may take in real time: an hour must pass in milliseconds. */
    static final Duration GENEROUSLY = Duration.ofSeconds(1);

    final List<String> events = new CopyOnWriteArrayList<>();

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The loop's virtual time as a duration since its start. */
    static Duration clock(EventLoop loop) {
        return Duration.ofNanos(loop.time());
    }

    @Test
    void timeStartsAtZero() {
        try (TestEventLoop loop = new TestEventLoop()) {
            assertThat(loop.time()).isZero();
            loop.runUntilIdle();
            assertThat(loop.time()).isZero();
        }
    }

    @AllEngines
    void anHourLongWaitForTimesOutInMilliseconds(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            long start = System.nanoTime();
            Task<String> main = loop.createTask(() -> {
                Task<String> slow = Async.createTask(() -> {
                    Async.sleep(Duration.ofDays(1));
                    return "a day later";
                });
                try {
                    return Async.waitFor(slow, Duration.ofHours(1));
                } catch (AsyncTimeoutException e) {
                    events.add("timed out after " + clock(loop) + "; slow cancelled: " + slow.isCancelled());
                    throw e;
                }
            });

            assertThatThrownBy(() -> loop.runUntilComplete(main)).isInstanceOf(AsyncTimeoutException.class);
            assertThat(events).containsExactly("timed out after PT1H; slow cancelled: true");
            assertThat(clock(loop)).isEqualTo(Duration.ofHours(1));
            assertThat(since(start)).isLessThan(GENEROUSLY);
        }
    }

    @AllEngines
    void runUntilCompleteJumpsTheClockFromTimerToTimer(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            long start = System.nanoTime();
            Task<Void> main = loop.createTask(() -> {
                for (int i = 1; i <= 3; i++) {
                    Async.sleep(Duration.ofMinutes(20));
                    events.add("woke at " + clock(loop));
                }
                return null;
            });

            loop.runUntilComplete(main);

            assertThat(events).containsExactly("woke at PT20M", "woke at PT40M", "woke at PT1H");
            assertThat(since(start)).isLessThan(GENEROUSLY);
        }
    }

    @AllEngines
    void aTenMinuteSleepIsNotDoneAfterNineMinutesButIsAfterTen(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            Task<String> sleeper = loop.createTask(() -> {
                events.add("sleeps at " + clock(loop));
                Async.sleep(Duration.ofMinutes(10));
                events.add("wakes at " + clock(loop));
                return "rested";
            });

            loop.runUntilIdle();
            assertThat(events).containsExactly("sleeps at PT0S");

            loop.advanceTime(Duration.ofMinutes(9));
            assertThat(clock(loop)).isEqualTo(Duration.ofMinutes(9));
            assertThat(sleeper.isDone()).isFalse();

            loop.advanceTime(Duration.ofMinutes(1).minusNanos(1));
            loop.runUntilIdle();
            assertThat(sleeper.isDone())
                    .as("done %s early", Duration.ofMinutes(10).minus(clock(loop)))
                    .isFalse();

            loop.advanceTime(Duration.ofNanos(1));
            assertThat(sleeper.isDone()).isTrue();
            assertThat(sleeper.result()).isEqualTo("rested");
            assertThat(clock(loop)).isEqualTo(Duration.ofMinutes(10));
            assertThat(events).containsExactly("sleeps at PT0S", "wakes at PT10M");
        }
    }

    @Test
    void advanceTimeRunsTimersInOrderEachAtItsOwnTime() {
        try (TestEventLoop loop = new TestEventLoop()) {
            loop.callLater(Duration.ofSeconds(3), () -> events.add("3s at " + clock(loop)));
            loop.callLater(Duration.ofSeconds(1), () -> events.add("1s at " + clock(loop)));
            loop.callLater(Duration.ofSeconds(2), () -> events.add("2s at " + clock(loop)));
            loop.callLater(Duration.ofSeconds(6), () -> events.add("6s at " + clock(loop)));

            loop.advanceTime(Duration.ofSeconds(5));

            assertThat(events).containsExactly("1s at PT1S", "2s at PT2S", "3s at PT3S");
            assertThat(clock(loop)).isEqualTo(Duration.ofSeconds(5));

            loop.advanceTime(Duration.ofSeconds(1));
            assertThat(events).endsWith("6s at PT6S");
        }
    }

    @Test
    void timersDueAtTheSameTimeRunInTheOrderTheyWereScheduled() {
        try (TestEventLoop loop = new TestEventLoop()) {
            long when = Duration.ofSeconds(1).toNanos();
            loop.callLater(Duration.ofSeconds(1), () -> events.add("first"));
            loop.callAt(when, () -> events.add("second"));
            loop.callLater(Duration.ofMillis(500), () -> events.add("earlier"));
            loop.callLater(Duration.ofSeconds(1), () -> events.add("third"));
            loop.callAt(when, () -> events.add("fourth"));

            loop.advanceTime(Duration.ofSeconds(1));

            assertThat(events).containsExactly("earlier", "first", "second", "third", "fourth");
        }
    }

    @Test
    void aTimerScheduledDuringAdvanceTimeRunsIfDueBeforeTheTarget() {
        try (TestEventLoop loop = new TestEventLoop()) {
            loop.callLater(Duration.ofSeconds(1), () -> {
                events.add("at " + clock(loop));
                loop.callLater(Duration.ofSeconds(2), () -> {
                    events.add("nested at " + clock(loop));
                    loop.callLater(Duration.ofSeconds(10), () -> events.add("beyond the target at " + clock(loop)));
                });
                loop.callSoon(() -> events.add("soon at " + clock(loop)));
            });

            loop.advanceTime(Duration.ofSeconds(5));

            assertThat(events).containsExactly("at PT1S", "soon at PT1S", "nested at PT3S");
            assertThat(clock(loop)).isEqualTo(Duration.ofSeconds(5));

            loop.advanceTime(Duration.ofSeconds(8));
            assertThat(events).endsWith("beyond the target at PT13S");
        }
    }

    @Test
    void runUntilIdleRunsWhatIsReadyWithoutMovingTheClock() {
        try (TestEventLoop loop = new TestEventLoop()) {
            loop.callLater(Duration.ofNanos(1), () -> events.add("timer"));
            loop.callSoon(() -> {
                events.add("soon");
                loop.callSoon(() -> events.add("made ready by soon"));
            });

            loop.runUntilIdle();

            assertThat(events).containsExactly("soon", "made ready by soon");
            assertThat(loop.time()).isZero();
        }
    }

    @Test
    void runUntilIdleRunsTimersAlreadyDue() {
        try (TestEventLoop loop = new TestEventLoop()) {
            loop.advanceTime(Duration.ofSeconds(1));
            loop.callLater(Duration.ZERO, () -> events.add("due now"));
            loop.callAt(0, () -> events.add("due in the past"));

            loop.runUntilIdle();

            assertThat(events).containsExactly("due in the past", "due now");
            assertThat(clock(loop)).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void advanceTimeToMovesTheClockToALoopTime() {
        try (TestEventLoop loop = new TestEventLoop()) {
            loop.callAt(Duration.ofSeconds(2).toNanos(), () -> events.add("at " + clock(loop)));

            loop.advanceTimeTo(Duration.ofSeconds(3).toNanos());

            assertThat(events).containsExactly("at PT2S");
            assertThat(clock(loop)).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void timeCannotGoBackwards() {
        try (TestEventLoop loop = new TestEventLoop()) {
            loop.advanceTime(Duration.ofSeconds(2));

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> loop.advanceTime(Duration.ofSeconds(-1)))
                    .withMessageContaining("backwards");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> loop.advanceTimeTo(Duration.ofSeconds(1).toNanos()))
                    .withMessageContaining("backwards");
            assertThat(clock(loop)).isEqualTo(Duration.ofSeconds(2));
            assertThatThrownBy(() -> loop.advanceTime(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("delay");
        }
    }

    @Test
    void aZeroAdvanceRunsWhatIsDueNow() {
        try (TestEventLoop loop = new TestEventLoop()) {
            loop.callSoon(() -> events.add("soon"));
            loop.callLater(Duration.ZERO, () -> events.add("timer due now"));

            loop.advanceTime(Duration.ZERO);

            assertThat(events).containsExactly("soon", "timer due now");
            assertThat(loop.time()).isZero();
        }
    }

    @AllEngines
    void tasksSleepingOnVirtualTimeInterleaveByTheirDeadlines(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            for (String[] spec : new String[][] {{"slow", "3"}, {"fast", "1"}, {"medium", "2"}}) {
                String name = spec[0];
                Duration step = Duration.ofMinutes(Integer.parseInt(spec[1]));
                loop.createTask(() -> {
                    for (int i = 0; i < 2; i++) {
                        Async.sleep(step);
                        events.add(name + " at " + clock(loop));
                    }
                    return null;
                });
            }

            loop.advanceTime(Duration.ofMinutes(4));
            // at 2 minutes, medium's timer was scheduled first (at 0, fast's at 1 minute): FIFO
            assertThat(events)
                    .containsExactly(
                            "fast at PT1M", "medium at PT2M", "fast at PT2M", "slow at PT3M", "medium at PT4M");

            loop.advanceTime(Duration.ofMinutes(2));
            assertThat(events).endsWith("slow at PT6M");
        }
    }

    @Test
    void anHourLongAdvanceWithARecurringTimerRunsEveryTick() {
        try (TestEventLoop loop = new TestEventLoop()) {
            long start = System.nanoTime();
            int[] ticks = {0};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                ticks[0]++;
                loop.callLater(Duration.ofSeconds(1), tick[0]);
            };
            loop.callLater(Duration.ofSeconds(1), tick[0]);

            loop.advanceTime(Duration.ofHours(1));

            assertThat(ticks[0]).isEqualTo(3600);
            assertThat(since(start)).isLessThan(GENEROUSLY);
        }
    }
}
