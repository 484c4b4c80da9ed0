package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IteratorsTest {
    @Test
    void anIteratorAndAGeneratorCountAlikeAndTheGeneratorTakesSendAndThrowIn() throws Exception {
        assertThat(lines(new Iterators())).containsExactlyElementsOf(expected("""
                -- an Iterable whose Iterator keeps its position in a field:
                i = 0
                i = 1
                i = 2
                i = 3
                i = 4
                i = 5
                i = 6
                i = 7
                i = 8
                i = 9
                -- the same as a generator: the position is a local variable of a paused body:
                i = 0
                i = 1
                i = 2
                i = 3
                i = 4
                i = 5
                i = 6
                i = 7
                i = 8
                i = 9
                -- driven by hand: next() until NoSuchElementException (Python's StopIteration):
                Value: 0
                Value: 1
                Value: 2
                Value: 3
                Value: 4
                -- send() resumes the paused yield with a value: here, a new position:
                next()  -> 0
                next()  -> 1
                send(7) -> 7
                next()  -> 8
                -- throwIn() raises an exception at the paused yield; this body lets it pass:
                next()  -> 0
                throwIn() rethrew it to the caller: stop counting
                the generator is done: true
                """));
    }
}
