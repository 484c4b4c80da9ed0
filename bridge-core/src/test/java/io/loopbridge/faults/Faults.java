package io.loopbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Helpers of the fault-injection tests: what the loop reported, waiting inside a coroutine, the end state. */
final class Faults {
    /** Longer than any step may take: reaching it means a signal or a cancellation went missing. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Faults() {}

    /** An exception a test throws on purpose, so it is told apart from any other. */
    static final class Boom extends RuntimeException {
        Boom(String where) {
            super("boom in " + where);
        }
    }

    /** Installs an exception handler on {@code loop} that keeps every context it receives. */
    static List<Map<String, Object>> reportsOf(EventLoop loop) {
        List<Map<String, Object>> reports = Collections.synchronizedList(new ArrayList<>());
        loop.setExceptionHandler((l, context) -> reports.add(context));
        return reports;
    }

    /** The exceptions of the reports. */
    static List<Throwable> exceptions(List<Map<String, Object>> reports) {
        synchronized (reports) {
            List<Throwable> all = new ArrayList<>();
            for (Map<String, Object> r : reports) {
                all.add((Throwable) r.get("exception"));
            }
            return all;
        }
    }

    /** Suspends the calling coroutine until {@code condition} holds. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not true after " + PATIENCE + ": " + what);
            }
            Async.sleep(Duration.ofMillis(1));
        }
    }

    /** Lets the loop run {@code laps} laps of whatever is ready, so late signals would show. */
    static void settle(int laps) {
        for (int i = 0; i < laps; i++) {
            Async.sleep(Duration.ZERO);
        }
    }

    /** Waits until the calling task is the only live task of its loop. */
    static void noTaskLeftButMine() {
        eventually(
                "every other task is done: " + Async.allTasks(),
                () -> Async.allTasks().size() == 1);
        assertThat(Async.allTasks()).containsExactly(Async.currentTask());
    }
}
