package io.loopbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.Task;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a loop tells about itself: stats from any thread, JFR events, the JMX view. */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class LoopStatsTest {

    @Test
    void statsCountReadyCallbacksTimersAndTasks() {
        EventLoop loop = new EventLoop();
        loop.callSoon(() -> {});
        loop.callSoon(() -> {});
        loop.callLater(Duration.ofHours(1), () -> {});
        LoopFuture<Void> never = loop.createFuture();
        Task<Void> waiting = loop.createTask(() -> Async.await(never));

        LoopStats before = loop.stats();
        assertThat(before.readyCallbacks()).isEqualTo(3); // two callbacks and the task's first step
        assertThat(before.scheduledTimers()).isEqualTo(1);
        assertThat(before.liveTasks()).isEqualTo(1);

        int[] left = {128};
        loop.callSoon(new Runnable() {
            @Override
            public void run() { // one callback per lap, 128 laps: two of them timed
                if (--left[0] > 0) {
                    loop.callSoon(this);
                } else {
                    loop.stop();
                }
            }
        });
        loop.runForever();
        LoopStats after = loop.stats();
        assertThat(after.readyCallbacks()).isZero();
        assertThat(after.liveTasks()).isEqualTo(1);
        assertThat(after.laps()).isEqualTo(128);
        assertThat(after.callbacksRun()).isEqualTo(3 + 128);
        assertThat(after.lapTimeP50()).isPositive();
        assertThat(after.lapTimeMax()).isGreaterThanOrEqualTo(after.lapTimeP99());
        assertThat(after.lapTimeP99()).isGreaterThanOrEqualTo(after.lapTimeP50());

        waiting.cancel();
        loop.runUntilComplete(settled(loop, waiting));
        assertThat(loop.stats().liveTasks()).isZero();
        loop.close();
    }

    @Test
    void statsAreReadableFromAnotherThreadWhileTheLoopRuns() throws Exception {
        try (LoopGroup group = new LoopGroup(1)) {
            EventLoop loop = group.next();
            CompletableFuture<Void> timersSet = new CompletableFuture<>();
            loop.callSoonThreadsafe(() -> {
                for (int i = 0; i < 5; i++) {
                    loop.callLater(Duration.ofHours(1), () -> {});
                }
                timersSet.complete(null);
            });
            timersSet.get(5, TimeUnit.SECONDS);
            // the loop publishes before it waits, so an idle loop shows its current state
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> loop.stats().scheduledTimers() == 5);
            assertThat(loop.stats().toString()).contains("timers=5");
        }
    }

    @Test
    void aJfrRecordingReceivesSlowCallbacksSlowStepsAndSlowLaps(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loop.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.loopbridge.SlowCallback").withThreshold(Duration.ofMillis(20));
            recording.enable("io.loopbridge.TaskStep").withThreshold(Duration.ofMillis(20));
            recording.enable("io.loopbridge.LoopLap").withThreshold(Duration.ofMillis(20));
            recording.start();
            Async.run(() -> {
                Async.loop().callSoon(LoopStatsTest::busyFor50ms);
                Async.await(Async.createTask(
                        () -> {
                            busyFor50ms();
                            return null;
                        },
                        "slow-step"));
                return null;
            });
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<String> names = events.stream()
                .map(e -> e.getEventType().getName())
                .distinct()
                .sorted()
                .collect(Collectors.toList());
        assertThat(names).contains("io.loopbridge.SlowCallback", "io.loopbridge.TaskStep", "io.loopbridge.LoopLap");
        assertThat(events)
                .filteredOn(e -> e.getEventType().getName().equals("io.loopbridge.TaskStep"))
                .anySatisfy(e -> assertThat(e.getString("task")).contains("slow-step"));
        assertThat(events)
                .filteredOn(e -> e.getEventType().getName().equals("io.loopbridge.SlowCallback"))
                .allSatisfy(e -> assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20)));
        assertThat(Files.size(file)).isPositive();
    }

    @Test
    void theJmxViewDumpsTheTasksOfRunningLoops() throws Exception {
        ObjectName name = new ObjectName("io.loopbridge:type=Loops");
        String dump = Async.run(() -> {
            Async.createTask(
                    () -> {
                        Async.sleep(Duration.ofHours(1));
                        return null;
                    },
                    "sleeper");
            Async.sleep(Duration.ZERO);
            return Async.toThread(
                    () -> (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "dumpTasks", null, null));
        });
        assertThat(dump).contains("sleeper");
    }

    /** A future that completes, whatever way the task ends. */
    private static LoopFuture<Void> settled(EventLoop loop, Task<?> task) {
        LoopFuture<Void> done = loop.createFuture();
        task.addDoneCallback(t -> done.setResult(null));
        return done;
    }

    private static void busyFor50ms() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
