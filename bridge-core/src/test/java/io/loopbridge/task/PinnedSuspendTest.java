package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.VirtualTime;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An await the JVM refuses to suspend (a pinned continuation: a native frame, or a monitor before
 * JDK 24) raises {@link IllegalStateException} at once and leaves the task as it was: a pending
 * cancellation stays pending, and nothing queued for the refused suspension resumes the body at a
 * later await. The tests pin a continuation on purpose, so they run on that engine only.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class PinnedSuspendTest {
    static final Duration STEP = Duration.ofMillis(20);

    @AllEngines
    void aSleepThatCannotSuspendKeepsThePendingCancellationAndLeavesNoStrayStep(CoroutineEngine engine)
            throws Exception {
        assumeTrue(engine == CoroutineEngine.CONTINUATION, "only a continuation can be pinned on purpose here");
        Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
        Method pin = continuation.getMethod("pin");
        Method unpin = continuation.getMethod("unpin");

        String outcome = VirtualTime.run(engine, () -> {
            Async.createTask(() -> null); // another callback is ready: the step must really suspend
            Async.currentTask().cancel("stop");
            pin.invoke(null); // as a native frame or (before JDK 24) a monitor would
            Throwable refused;
            try {
                refused = catchThrowable(() -> Async.sleep(STEP));
            } finally {
                unpin.invoke(null);
            }
            assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("pinned");

            Throwable next = catchThrowable(() -> Async.sleep(Duration.ZERO));
            assertThat(next)
                    .as("the cancellation is still pending at the next await")
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("stop");
            return "went on at " + VirtualTime.now();
        });

        assertThat(outcome).isEqualTo("went on at PT0S");
    }

    @AllEngines
    void aYieldThatCannotSuspendLeavesNoStepToResumeTheBodyAtItsNextAwait(CoroutineEngine engine) throws Exception {
        assumeTrue(engine == CoroutineEngine.CONTINUATION, "only a continuation can be pinned on purpose here");
        Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
        Method pin = continuation.getMethod("pin");
        Method unpin = continuation.getMethod("unpin");

        String outcome = VirtualTime.run(engine, () -> {
            Task<String> later = Async.createTask(() -> {
                Async.sleep(STEP);
                return "later";
            });
            pin.invoke(null);
            Throwable refused;
            try {
                refused = catchThrowable(() -> Async.sleep(Duration.ZERO));
            } finally {
                unpin.invoke(null);
            }
            assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("pinned");

            return Async.await(later) + " at " + VirtualTime.now(); // resumed by the task's end only
        });

        assertThat(outcome).isEqualTo("later at PT0.02S");
    }

    @AllEngines
    void anAwaitThatCannotSuspendKeepsThePendingCancellationAndIsNotWokenLater(CoroutineEngine engine)
            throws Exception {
        assumeTrue(engine == CoroutineEngine.CONTINUATION, "only a continuation can be pinned on purpose here");
        Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
        Method pin = continuation.getMethod("pin");
        Method unpin = continuation.getMethod("unpin");

        String outcome = VirtualTime.run(engine, () -> {
            LoopFuture<String> never = Async.loop().createFuture();
            Async.createTask(() -> null); // another callback is ready: the step must really suspend
            Async.currentTask().cancel("stop");
            pin.invoke(null);
            Throwable refused;
            try {
                refused = catchThrowable(() -> Async.await(never));
            } finally {
                unpin.invoke(null);
            }
            assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("pinned");
            assertThat(never.isCancelled())
                    .as("as asyncio, the awaited future was cancelled")
                    .isTrue();

            LoopFuture<String> later = Async.loop().createFuture();
            Async.loop().callLater(STEP, () -> later.setResult("later"));
            Throwable next = catchThrowable(() -> Async.await(later));
            assertThat(next)
                    .as("the cancellation is still pending at the next await")
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("stop");
            return "went on at " + VirtualTime.now();
        });

        assertThat(outcome).isEqualTo("went on at PT0S");
    }
}
