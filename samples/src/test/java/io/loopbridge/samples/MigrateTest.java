package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrateTest {
    @Test
    void everyStepOfTheMigrationPrintsTheSameResult() throws Exception {
        assertThat(lines(new Migrate(), "--delay", "20ms")).containsExactlyElementsOf(expected("""
                -- 1. callbacks: the legacy API answers on a thread of its own
                warmer: Bergen, 14 C, showers
                failed: unknown city: Atlantis
                -- 2. a LoopFuture completed from the callback with callSoonThreadsafe
                warmer: Bergen, 14 C, showers
                failed: unknown city: Atlantis
                -- 3. a coroutine awaiting the future: straight-line code, try/catch for errors
                warmer: Bergen, 14 C, showers
                failed: unknown city: Atlantis
                -- 4. the coroutine as a Flux, for Reactor code that knows nothing of loops
                warmer: Bergen, 14 C, showers
                failed: unknown city: Atlantis
                """));
    }
}
