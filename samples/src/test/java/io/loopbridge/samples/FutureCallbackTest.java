package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FutureCallbackTest {
    @Test
    void theDoneCallbackPrintsTheResultOfTheFutureThenOfTheTask() throws Exception {
        assertThat(lines(new FutureCallback(), "--delay", "20ms")).containsExactlyElementsOf(expected("""
                -- a future, resolved by a coroutine:
                A result set by the slowOperation coroutine!
                -- a task, resolved by its coroutine's return value:
                A return value from the slowOperation coroutine!
                """));
    }
}
