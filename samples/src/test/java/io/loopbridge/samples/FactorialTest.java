package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FactorialTest {
    @Test
    void threeTasksTakeTurnsOneStepPerDelay() throws Exception {
        long start = System.nanoTime();
        assertThat(lines(new Factorial(), "--delay", "30ms")).containsExactlyElementsOf(expected("""
                Task A: Compute factorial(2)...
                Task B: Compute factorial(2)...
                Task C: Compute factorial(2)...
                Task A: factorial(2) = 2
                Task B: Compute factorial(3)...
                Task C: Compute factorial(3)...
                Task B: factorial(3) = 6
                Task C: Compute factorial(4)...
                Task C: factorial(4) = 24
                """));
        // three steps for C, the longest: the tasks overlap, or it would take six
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
    }
}
