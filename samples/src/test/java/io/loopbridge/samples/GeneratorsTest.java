package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneratorsTest {
    @Test
    void countdownAveragerThrowInCloseAndYieldFrom() throws Exception {
        assertThat(lines(new Generators())).containsExactlyElementsOf(expected("""
                -- countdown: values one at a time, then a return value:
                3
                2
                1
                returned: liftoff
                -- averager: a coroutine fed with send(), paused between values:
                next()     -> 0.0   (primed: runs to its first yield)
                send(10.0) -> 10.0
                send(30.0) -> 20.0
                send(5.0)  -> 15.0
                -- throwIn(): the averager catches a reset at its paused yield and goes on:
                throwIn(reset) -> 0.0
                send(4.0)      -> 4.0
                -- ... but lets anything else pass to the caller:
                throwIn() rethrew: sensor unplugged; done: true
                -- close(): GeneratorExit at the paused yield, so finally blocks run:
                  (log opened)
                next() -> line 1
                next() -> line 2
                  (GeneratorExit raised at the paused yield)
                  (finally: log closed)
                closed; done: true; next() now: NoSuchElementException
                -- yieldFrom(): pages delegated to a sub-generator, whose return value comes back:
                page 1, row 1
                page 1, row 2
                page 1, row 3
                page 2, row 1
                page 2, row 2
                page 2, row 3
                returned: 6 rows
                -- yieldFrom() also hands send() to the sub-generator:
                send(1.0) -> 1.0
                send(2.0) -> 1.5
                send(null) -> NoSuchElementException (it returned): the averager saw 2 values
                """));
    }
}
