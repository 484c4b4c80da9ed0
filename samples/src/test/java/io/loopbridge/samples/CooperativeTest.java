package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CooperativeTest {
    @Test
    void helloGeneratorsThenARoundRobinOfGeneratorTasks() throws Exception {
        assertThat(lines(new Cooperative())).containsExactlyElementsOf(expected("""
                -- a function runs from start to finish and returns once:
                Hello, Reuven
                -- a generator function pauses at each yield, resumed by the for loop:
                [0] Hello, Reuven
                [1] Hello, Reuven
                [2] Hello, Reuven
                [3] Hello, Reuven
                [4] Hello, Reuven
                -- send() turns it into a coroutine: values go in as well as out:
                next()                -> Hello, world
                send("Reuven")        -> Hello, Reuven
                send("Linux Journal") -> Hello, Linux Journal
                send(null)            -> the coroutine returned
                -- a round-robin scheduler: each task runs until its next yield, then the next task runs:
                tick  1  countdown  3
                tick  2  fibonacci  0
                tick  3  greeter    Hello, Ada
                tick  4  countdown  2
                tick  5  fibonacci  1
                tick  6  greeter    Hello, Grace
                tick  7  countdown  1
                tick  8  fibonacci  1
                tick  9  greeter    finished: 2 greeted
                tick 10  countdown  finished: liftoff
                tick 11  fibonacci  2
                tick 12  fibonacci  3
                tick 13  fibonacci  finished: sum 7
                """));
    }
}
