package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FetchRowsTest {
    @Test
    void pagesAreFetchedAsRowsAreReadAndTakeStopsThePaging() throws Exception {
        assertThat(lines(new FetchRows(), "--delay", "10ms")).containsExactlyElementsOf(expected("""
                -- a coroutine iterates the async generator; for-each suspends while a page loads:
                  (db: rows 0-3)
                row 0: alpha
                row 1: bravo
                row 2: charlie
                row 3: delta
                  (db: rows 4-5)
                row 4: echo
                row 5: foxtrot
                  (cursor closed)
                -- the same rows as a Flux: filter, map, take(3); take cancels, the generator's finally runs:
                  (db: rows 0-3)
                  (db: rows 4-7)
                  (cursor closed)
                [ALPHA, DELTA, GOLF], after 2 of 7 pages
                -- from plain Reactor code, outside any coroutine (toFlux on the shared loop, blocking at the edge):
                  (db: rows 0-3)
                  (db: rows 4-7)
                batch [alpha, bravo, charlie, delta, echo]
                  (db: rows 8-11)
                batch [foxtrot, golf, hotel, india, juliett]
                  (cursor closed)
                batch [kilo, lima]
                3 batches
                """));
    }
}
