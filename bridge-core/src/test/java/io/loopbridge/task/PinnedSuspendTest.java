package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.VirtualTime;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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

    /**
     * Runs {@code await} with the current continuation pinned, as a native frame or (before JDK
     * 24) a monitor would pin it, and returns what it threw.
     */
    static Throwable whilePinned(ThrowingCallable await) throws Exception {
        Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
        continuation.getMethod("pin").invoke(null);
        try {
            return catchThrowable(await);
        } finally {
            continuation.getMethod("unpin").invoke(null);
        }
    }

    @AllEngines
    void aSleepThatCannotSuspendKeepsThePendingCancellationAndLeavesNoStrayStep(CoroutineEngine engine) {
        assumeTrue(engine == CoroutineEngine.CONTINUATION, "only a continuation can be pinned on purpose here");

        String outcome = VirtualTime.run(engine, () -> {
            Async.createTask(() -> null); // another callback is ready: the step must really suspend
            Async.currentTask().cancel("stop");
            Throwable refused = whilePinned(() -> Async.sleep(STEP));
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
    void aYieldThatCannotSuspendLeavesNoStepToResumeTheBodyAtItsNextAwait(CoroutineEngine engine) {
        assumeTrue(engine == CoroutineEngine.CONTINUATION, "only a continuation can be pinned on purpose here");

        String outcome = VirtualTime.run(engine, () -> {
            Task<String> later = Async.createTask(() -> {
                Async.sleep(STEP);
                return "later";
            });
            Throwable refused = whilePinned(() -> Async.sleep(Duration.ZERO));
            assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("pinned");

            return Async.await(later) + " at " + VirtualTime.now(); // resumed by the task's end only
        });

        assertThat(outcome).isEqualTo("later at PT0.02S");
    }

    @AllEngines
    void anAwaitThatCannotSuspendKeepsThePendingCancellationAndIsNotWokenLater(CoroutineEngine engine) {
        assumeTrue(engine == CoroutineEngine.CONTINUATION, "only a continuation can be pinned on purpose here");

        String outcome = VirtualTime.run(engine, () -> {
            LoopFuture<String> never = Async.loop().createFuture();
            Async.createTask(() -> null); // another callback is ready: the step must really suspend
            Async.currentTask().cancel("stop");
            Throwable refused = whilePinned(() -> Async.await(never));
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
