package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadsVsLoopTest {
    @Test
    void waitsOverlapOnThreadsAndOnTheLoopButComputingBlocksTheLoop() throws Exception {
        assertThat(lines(new ThreadsVsLoop())).containsExactlyElementsOf(expected("""
                -- I/O-bound, with threads: one thread per request, the counter must be atomic:
                10 threads, 10 requests done, in about one wait, not 10
                -- I/O-bound, with an event loop: one task per request, a plain counter is safe:
                1 loop, 10 requests done, in about one wait, not 10
                -- CPU-bound: a ticker task ticks every 50 ms while another task computes:
                computing in the coroutine: the ticker ticked 0 times
                computing in Async.toThread: the ticker kept ticking: yes
                """));
    }
}
