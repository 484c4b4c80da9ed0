package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.LoopStats;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Async.sleep(Duration.ZERO)} is asyncio's {@code await asyncio.sleep(0)}: the task gives
 * the loop up for exactly one lap, so everything that is ready runs first, on every engine, also
 * when the task is alone and the thread engines resume it without leaving its thread.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class SleepZeroTest {
    static final Duration ZERO = Duration.ZERO;

    final List<String> events = new CopyOnWriteArrayList<>();

    @AllEngines
    void eachSleepOfALoneTaskIsOneLapWithOneCallback(CoroutineEngine engine) {
        LoopStats none = lapsOfALoneTask(engine, 0);
        LoopStats hundred = lapsOfALoneTask(engine, 100);

        assertThat(hundred.laps() - none.laps()).isEqualTo(100);
        assertThat(hundred.callbacksRun() - none.callbacksRun()).isEqualTo(100);
    }

    private static LoopStats lapsOfALoneTask(CoroutineEngine engine, int sleeps) {
        EventLoop loop = new EventLoop(engine);
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                for (int i = 0; i < sleeps; i++) {
                    Async.sleep(ZERO);
                }
                return null;
            }));
            return loop.stats();
        } finally {
            loop.close();
        }
    }

    @AllEngines
    void aCallbackScheduledBeforeTheSleepRunsBeforeTheTaskResumes(CoroutineEngine engine) {
        Async.run(engine, () -> {
            EventLoop loop = EventLoop.running();
            for (int i = 0; i < 3; i++) {
                int n = i;
                loop.callSoon(() -> events.add("callback " + n));
                Async.sleep(ZERO);
                events.add("task " + n);
            }
            return null;
        });

        assertThat(events).containsExactly("callback 0", "task 0", "callback 1", "task 1", "callback 2", "task 2");
    }

    @AllEngines
    void twoTasksSleepingZeroTakeTurns(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Task<Object> a = Async.createTask(() -> stepsOf("a"));
            Task<Object> b = Async.createTask(() -> stepsOf("b"));
            Async.await(a);
            Async.await(b);
            return null;
        });

        assertThat(events).containsExactly("a0", "b0", "a1", "b1", "a2", "b2");
    }

    private Object stepsOf(String name) {
        for (int i = 0; i < 3; i++) {
            events.add(name + i);
            Async.sleep(ZERO);
        }
        return null;
    }

    @AllEngines
    void aTimerThatIsDueRunsInTheLapThatResumesTheTask(CoroutineEngine engine) {
        TestEventLoop loop = new TestEventLoop(engine);
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                loop.callLater(ZERO, () -> events.add("timer"));
                Async.sleep(ZERO);
                events.add("after the first sleep");
                Async.sleep(ZERO);
                events.add("after the second sleep");
                return null;
            }));
        } finally {
            loop.close();
        }

        // as asyncio: due timers queue behind what was ready, so the task's step runs first
        assertThat(events).containsExactly("after the first sleep", "timer", "after the second sleep");
    }

    @AllEngines
    void aTimerNotDueYetWaitsWhileTheTaskKeepsSleepingZero(CoroutineEngine engine) {
        TestEventLoop loop = new TestEventLoop(engine);
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                loop.callLater(Duration.ofSeconds(1), () -> events.add("timer"));
                for (int i = 0; i < 5; i++) {
                    Async.sleep(ZERO);
                }
                events.add("5 sleeps done");
                Async.sleep(Duration.ofSeconds(2));
                events.add("task done");
                return null;
            }));
        } finally {
            loop.close();
        }

        assertThat(events).containsExactly("5 sleeps done", "timer", "task done");
    }

    @AllEngines
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a starved callback would never end the loop
    void aCallbackFromAnotherThreadReachesALoopBusyWithALoneTask(CoroutineEngine engine) throws Exception {
        Thread[] other = new Thread[1];
        int sleeps = Async.run(engine, () -> {
            EventLoop loop = EventLoop.running();
            AtomicBoolean arrived = new AtomicBoolean();
            other[0] = new Thread(() -> loop.callSoonThreadsafe(() -> arrived.set(true)));
            other[0].start();
            int n = 0;
            while (!arrived.get()) {
                Async.sleep(ZERO);
                n++;
            }
            return n;
        });
        other[0].join();

        assertThat(sleeps).isPositive();
    }

    @AllEngines
    void stopEndsRunForeverAfterTheLapEvenIfOnlyTheTaskIsReady(CoroutineEngine engine) {
        EventLoop loop = new EventLoop(engine);
        try {
            Task<Object> task = loop.createTask(() -> {
                events.add("stops the loop");
                loop.stop();
                Async.sleep(ZERO);
                events.add("resumed");
                return null;
            });

            loop.runForever();
            assertThat(events).containsExactly("stops the loop");

            loop.runUntilComplete(task);
            assertThat(events).containsExactly("stops the loop", "resumed");
        } finally {
            loop.close();
        }
    }

    @AllEngines
    void aTaskThatCancelsItselfIsCancelledAtItsNextSleep(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Task<Object> task = Async.createTask(() -> {
                Async.currentTask().cancel("by itself");
                try {
                    Async.sleep(ZERO);
                    events.add("not cancelled");
                } catch (CancellationException e) {
                    events.add("cancelled: " + e.getMessage());
                }
                Async.sleep(ZERO);
                events.add("goes on");
                return null;
            });
            Async.await(task);
            return null;
        });

        assertThat(events).containsExactly("cancelled: by itself", "goes on");
    }
}
