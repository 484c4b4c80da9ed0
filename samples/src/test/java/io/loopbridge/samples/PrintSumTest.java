package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrintSumTest {
    @Test
    void computeIsAwaitedByPrintSum() throws Exception {
        long start = System.nanoTime();
        assertThat(lines(new PrintSum(), "--delay", "50ms")).containsExactlyElementsOf(expected("""
                Compute 1 + 2 ...
                1 + 2 = 3
                """));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }
}
