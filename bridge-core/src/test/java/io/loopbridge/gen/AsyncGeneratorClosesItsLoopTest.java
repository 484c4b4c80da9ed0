package io.loopbridge.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The continuation engine's "coroutine is already running" error, reached through public API: an
 * async generator bound to a loop that has stopped is resumed by {@code anext()} on the loop's
 * thread (only the first request needs a running loop), and its body closes that loop, which
 * unwinds the generator's own body while it runs. The error reaches the exception handler, as
 * every failure of an unwinding body does.
 *
 * <p>Continuation engine only: on the thread engines the same program hangs (the close waits for
 * the body's own fiber to end), which is reported for the task package, not pinned here.
 */
class AsyncGeneratorClosesItsLoopTest {
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aBodyClosingItsOwnStoppedLoopIsReportedAsAlreadyRunning() {
        assumeTrue(CoroutineEngine.CONTINUATION.isAvailable(), "needs JDK 21+ and the jdk.internal.vm export");
        EventLoop loop = new EventLoop(CoroutineEngine.CONTINUATION);
        List<Map<String, Object>> reports = Collections.synchronizedList(new ArrayList<>());
        loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
        List<String> steps = new ArrayList<>();
        AsyncGenerator<Integer, Object> gen = AsyncGenerator.of(y -> {
            y.yield(1);
            steps.add("resumed outside the loop");
            loop.close(); // the loop is not running: it closes, and unwinds its generators, this one too
            steps.add("close returned");
            y.yield(2);
        });
        assertThat(loop.runUntilComplete(loop.createTask(() -> Async.await(gen.anext()))))
                .isEqualTo(1);

        gen.anext(); // the loop has stopped: the body resumes here, on this thread

        assertThat(steps).containsExactly("resumed outside the loop", "close returned");
        assertThat(loop.isClosed()).isTrue();
        assertThat(gen.isDone()).isTrue();
        assertThat(reports).singleElement().satisfies(ctx -> {
            assertThat(ctx.get("message")).isEqualTo("a coroutine failed while its closed loop unwound it");
            assertThat((Throwable) ctx.get("exception"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("coroutine is already running: AsyncGenerator[running]");
        });
    }
}
