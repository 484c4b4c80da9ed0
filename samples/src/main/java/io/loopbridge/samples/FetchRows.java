package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactor.ReactorBridge;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * {@code fetch_rows} of the text, grown up: an async generator that pages through a (fake)
 * database, waiting for each page without blocking and handing out rows one at a time. A coroutine
 * iterates it with for-each; as a {@code Flux} it is shaped by Reactor operators, and a {@code
 * take} that has seen enough stops the paging; plain Reactor code outside any coroutine consumes
 * it too.
 */
public final class FetchRows implements Sample {
    static final List<String> WORDS = List.of(
            "alpha",
            "bravo",
            "charlie",
            "delta",
            "echo",
            "foxtrot",
            "golf",
            "hotel",
            "india",
            "juliett",
            "kilo",
            "lima",
            "mike",
            "november",
            "oscar",
            "papa",
            "quebec",
            "romeo",
            "sierra",
            "tango",
            "uniform",
            "victor",
            "whiskey",
            "xray",
            "yankee",
            "zulu");
    static final int PAGE_SIZE = 4;

    @Override
    public String name() {
        return "fetch-rows";
    }

    @Override
    public String description() {
        return "a paging async generator over a fake database, iterated by a coroutine and exposed as a Flux";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Duration pageDelay = Delays.fromArgs(args, Duration.ofMillis(100));

        out.println("-- a coroutine iterates the async generator; for-each suspends while a page loads:");
        Async.run(() -> {
            FakeDatabase db = new FakeDatabase(pageDelay, out);
            for (Row row : AsyncGenerator.of(fetchRows(db, 0, 6, out))) {
                out.println(row);
            }
            return null;
        });

        out.println("-- the same rows as a Flux: filter, map, take(3); take cancels, the generator's finally runs:");
        Async.run(() -> {
            EventLoop loop = Async.loop();
            FakeDatabase db = new FakeDatabase(pageDelay, out);
            Flux<Row> rows = ReactorBridge.flux(loop, fetchRows(db, 0, WORDS.size(), out));
            List<String> picked = ReactorBridge.await(rows.filter(row -> row.id() % 3 == 0)
                    .map(row -> row.word().toUpperCase())
                    .take(3)
                    .collectList());
            out.println(picked + ", after " + db.pagesServed + " of " + (WORDS.size() + PAGE_SIZE - 1) / PAGE_SIZE
                    + " pages");
            return null;
        });

        out.println(
                "-- from plain Reactor code, outside any coroutine (toFlux on the shared loop, blocking at the edge):");
        FakeDatabase db = new FakeDatabase(pageDelay, out);
        AsyncGenerator<Row, Void> cursor = AsyncGenerator.of(fetchRows(db, 0, 12, out));
        List<List<String>> batches = new ArrayList<>();
        ReactorBridge.toFlux(cursor)
                .map(Row::word)
                .buffer(5)
                .doOnNext(batch -> out.println("batch " + batch))
                .doOnNext(batches::add)
                .blockLast();
        out.println(batches.size() + " batches");
    }

    /**
     * Rows {@code first .. last-1}, a page at a time: the body awaits the database between pages
     * and yields rows in between, so a slow consumer never makes it fetch ahead.
     */
    static AsyncGenerator.Body<Row, Void> fetchRows(FakeDatabase db, int first, int last, PrintStream out) {
        return y -> {
            try {
                for (int offset = first; offset < last; offset += PAGE_SIZE) {
                    for (Row row : db.fetchPage(offset, Math.min(PAGE_SIZE, last - offset))) {
                        y.yield(row);
                    }
                }
            } finally {
                out.println("  (cursor closed)");
            }
        };
    }

    record Row(int id, String word) {
        @Override
        public String toString() {
            return "row " + id + ": " + word;
        }
    }

    /** A table of {@link #WORDS}, served a page at a time after a (non-blocking) wait. */
    static final class FakeDatabase {
        private final Duration pageDelay;
        private final PrintStream out;
        int pagesServed;

        FakeDatabase(Duration pageDelay, PrintStream out) {
            this.pageDelay = pageDelay;
            this.out = out;
        }

        /** A coroutine: suspends the caller for the page's round trip. */
        List<Row> fetchPage(int offset, int limit) {
            Async.sleep(pageDelay);
            List<Row> page = new ArrayList<>();
            for (int id = offset; id < Math.min(offset + limit, WORDS.size()); id++) {
                page.add(new Row(id, WORDS.get(id)));
            }
            pagesServed++;
            out.println("  (db: rows " + offset + "-" + (offset + page.size() - 1) + ")");
            return page;
        }
    }
}
