package io.loopbridge.faults;

import static io.loopbridge.faults.Faults.exceptions;
import static io.loopbridge.faults.Faults.reportsOf;
import static io.loopbridge.faults.Faults.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.faults.Faults.Boom;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A loop closed under a suspended task unwinds its body. A {@code finally} that throws then is
 * reported to the exception handler once, with the task, and stays the task's outcome, whether or
 * not another task awaits it: the closed loop refusing the task's done callbacks is no second failure.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class FinallyThrowsAsTheLoopClosesTest {
    static final Duration FOREVER = Duration.ofHours(1);

    @AllEngines
    void aTaskNobodyAwaitsIsReportedOnce(CoroutineEngine engine) {
        closesUnderAFailingFinally(engine, false);
    }

    @AllEngines
    void aTaskAnotherTaskAwaitsIsReportedOnce(CoroutineEngine engine) {
        closesUnderAFailingFinally(engine, true);
    }

    @AllEngines
    void aTaskThatEndsWellAsItUnwindsIsNotReported(CoroutineEngine engine) {
        EventLoop loop = new EventLoop(engine);
        List<Map<String, Object>> reports = reportsOf(loop);
        Task<String> unwound = loop.createTask(() -> {
            try {
                Async.sleep(FOREVER);
            } finally {
                return "returned from its finally"; // the done callbacks are refused: not a failure
            }
        });
        Task<String> awaiter = loop.createTask(() -> Async.await(unwound));
        loop.runUntilComplete(loop.createTask(() -> {
            settle(3);
            return null;
        }));

        loop.close();

        assertThat(unwound.result()).isEqualTo("returned from its finally");
        assertThat(awaiter.isDone())
                .as("the awaiter was unwound, never resumed")
                .isFalse();
        assertThat(exceptions(reports)).as("nothing went wrong").isEmpty();
    }

    private static void closesUnderAFailingFinally(CoroutineEngine engine, boolean awaited) {
        EventLoop loop = new EventLoop(engine);
        List<Map<String, Object>> reports = reportsOf(loop);
        Boom boom = new Boom("a finally while the loop closes");
        Task<Void> failing = loop.createTask(() -> {
            try {
                Async.sleep(FOREVER);
                return null;
            } finally {
                throw boom;
            }
        });
        if (awaited) {
            loop.createTask(() -> Async.await(failing)); // its driver is a done callback of the task
        }
        loop.runUntilComplete(loop.createTask(() -> {
            settle(3);
            return null;
        }));

        loop.close(); // no cancel first: the task is unwound where it sleeps

        assertThat(failing.exception()).as("the task's outcome").isSameAs(boom);
        assertThat(exceptions(reports)).as("every report").containsExactly(boom);
        assertThat(reports.get(0)).containsEntry("task", failing);
    }
}
