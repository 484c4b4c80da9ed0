package io.loopbridge.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An async generator runs only inside its loop: once that loop has stopped (or closed), a request
 * is refused before the body resumes. (Resumed there, the body ran outside its loop, and a body
 * that closed that loop had the close unwind the body itself: a hang on the thread engines.)
 */
class AsyncGeneratorOutsideItsLoopTest {
    @AllEngines
    void aRequestAfterItsLoopStoppedIsRefusedAndTheBodyDoesNotResume(CoroutineEngine engine) {
        EventLoop loop = new EventLoop(engine);
        List<String> steps = new ArrayList<>();
        AsyncGenerator<Integer, Object> gen = AsyncGenerator.of(y -> {
            try {
                y.yield(1);
                steps.add("resumed");
                y.yield(2);
            } finally {
                steps.add("finally");
            }
        });
        try {
            assertThat(loop.runUntilComplete(loop.createTask(() -> Async.await(gen.anext()))))
                    .isEqualTo(1);

            assertThatIllegalStateException()
                    .isThrownBy(gen::anext)
                    .withMessage("anext() needs the generator's event loop running on this thread (it is not running): "
                            + "call it inside a coroutine of that loop");
            assertThatIllegalStateException().isThrownBy(gen::aclose).withMessageStartingWith("aclose() needs");
            assertThat(steps).isEmpty();

            // inside the loop again, the generator goes on where it paused
            assertThat(loop.runUntilComplete(loop.createTask(() -> Async.await(gen.anext()))))
                    .isEqualTo(2);
            assertThat(steps).containsExactly("resumed");
        } finally {
            loop.close();
        }

        assertThatIllegalStateException().isThrownBy(gen::anext).withMessageContaining("(it is closed)");
        assertThat(steps).as("the close unwound the paused body").containsExactly("resumed", "finally");
    }

    @AllEngines
    void aFinishedGeneratorStillAnswersOutsideItsLoop(CoroutineEngine engine) {
        EventLoop loop = new EventLoop(engine);
        AsyncGenerator<Integer, Object> gen = AsyncGenerator.of(y -> y.yield(1));
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                Async.await(gen.anext());
                return Async.await(gen.aclose());
            }));

            assertThat(gen.aclose().isDone())
                    .as("nothing left to run: no loop needed")
                    .isTrue();
        } finally {
            loop.close();
        }
    }

    @AllEngines
    void aTaskClosingItsGeneratorInFinallyEndsQuietlyWhenTheLoopClosesUnderIt(CoroutineEngine engine) {
        EventLoop loop = new EventLoop(engine);
        List<Object> reports = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> reports.add(ctx.get("message") + ": " + ctx.get("exception")));
        List<String> steps = new ArrayList<>();
        AsyncGenerator<Integer, Object> gen = AsyncGenerator.of(y -> {
            try {
                y.yield(1);
                y.yield(2);
            } finally {
                steps.add("generator finally");
            }
        });
        loop.runUntilComplete(loop.createTask(() -> {
            Async.createTask(() -> {
                try {
                    Async.await(gen.anext());
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    steps.add("task finally");
                    Async.await(gen.aclose()); // asyncio's 'async with aclosing(gen)'
                    steps.add("never: an await in a finally ends the unwinding body at once");
                }
                return null;
            });
            for (int i = 0; i < 5; i++) {
                Async.sleep(Duration.ZERO);
            }
            return null;
        }));

        loop.close();

        assertThat(reports).isEmpty();
        assertThat(steps).containsExactlyInAnyOrder("task finally", "generator finally");
    }
}
