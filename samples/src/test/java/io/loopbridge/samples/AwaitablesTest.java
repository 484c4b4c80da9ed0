package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwaitablesTest {
    @Test
    void aCoroutineSleepZeroAndAFutureHandDrivenThenLoopDriven() throws Exception {
        assertThat(lines(new Awaitables(), "--delay", "20ms")).containsExactlyElementsOf(expected("""
                -- awaiting a coroutine runs it inside the awaiting task:
                coroutine: sleeping ...
                coroutine: awake again
                main got: done sleeping
                -- Async.sleep(Duration.ZERO) hands control to the loop once (asyncio's sleep(0)):
                A step 1
                B step 1
                A step 2
                B step 2
                A step 3
                B step 3
                -- a hand-made future, awaited by a coroutine that is driven by hand:
                next() -> null   (suspended in the await: the future is pending)
                future.done(25)
                next() -> NoSuchElementException (Python's StopIteration); result() = 25
                -- the same with a LoopFuture: the event loop drives the coroutine, a callback resolves it:
                coroutine: awaiting the future ...
                callback: resolving the future with 25
                Async.run returned 25
                """));
    }
}
