package io.loopbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.blockhound.BlockingCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blocking on a loop thread is caught when the tests run under BlockHound (JDK 21+, the {@code
 * blockhound} profile): these tests block on purpose and check that BlockHound saw it, so a
 * silent setup cannot pass for a clean one. The loop's own waits are not reported.
 */
@EnabledIf("io.loopbridge.testing.blockhound.BlockingCalls#installed")
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class BlockingOnLoopTest {
    static final String BLOCKING_OPERATION_ERROR = "reactor.blockhound.BlockingOperationError";

    @AfterEach
    void forgetTheDeliberateOnes() {
        BlockingCalls.take();
    }

    @Test
    void sleepInALoopCallbackIsCaughtAndReportedToTheExceptionHandler() {
        EventLoop loop = new EventLoop(CoroutineEngine.THREADS); // the loop runs on this very thread
        List<Throwable> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add((Throwable) context.get("exception")));
        loop.callSoon(() -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.callSoon(loop::stop);
        loop.runForever();
        loop.close();

        assertThat(reported)
                .singleElement()
                .satisfies(e -> assertThat(e.getClass().getName()).isEqualTo(BLOCKING_OPERATION_ERROR))
                .satisfies(e -> assertThat(e.getMessage()).contains("java.lang.Thread.sleep"));
        assertThat(BlockingCalls.take()).hasSize(1);
    }

    @AllEngines
    void sleepInACoroutineIsCaught(CoroutineEngine engine) {
        Throwable thrown = catchThrowable(() -> Async.run(engine, () -> {
            Thread.sleep(1);
            return null;
        }));

        assertThat(thrown.getClass().getName()).isEqualTo(BLOCKING_OPERATION_ERROR);
        assertThat(BlockingCalls.take()).isNotEmpty();
    }

    @AllEngines
    void waitingForAFutureInACoroutineIsCaught(CoroutineEngine engine) {
        Throwable thrown = catchThrowable(() -> Async.run(engine, () -> {
            try {
                return new CompletableFuture<String>().get(10, TimeUnit.MILLISECONDS); // parks the loop
            } catch (TimeoutException expected) {
                return "timed out";
            }
        }));

        assertThat(thrown.getClass().getName()).isEqualTo(BLOCKING_OPERATION_ERROR);
        assertThat(BlockingCalls.take()).isNotEmpty();
    }

    @AllEngines
    void theLoopsOwnWaitsAreNotBlockingCalls(CoroutineEngine engine) {
        String result = Async.run(engine, () -> {
            Async.sleep(Duration.ofMillis(5)); // the loop parks in poll() until the timer
            String r = Async.await(CompletableFuture.supplyAsync(() -> "from another thread"));
            Async.sleep(Duration.ZERO);
            return r;
        });

        assertThat(result).isEqualTo("from another thread");
        assertThat(BlockingCalls.take()).isEmpty();
    }
}
