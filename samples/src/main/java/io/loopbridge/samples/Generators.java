package io.loopbridge.samples;

import io.loopbridge.gen.Generator;
import io.loopbridge.gen.GeneratorExit;
import java.io.PrintStream;
import java.util.NoSuchElementException;

/**
 * Generators as coroutines, the Java way: a countdown with a return value, an averaging coroutine
 * driven by {@code send}, exceptions thrown in with {@code throwIn}, {@code close} running the
 * body's {@code finally}, and {@code yieldFrom} delegating to a sub-generator and getting its
 * return value back.
 */
public final class Generators implements Sample {
    @Override
    public String name() {
        return "generators";
    }

    @Override
    public String description() {
        return "countdown, an averager driven by send(), throwIn(), close() with finally, yieldFrom() returning a value";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        out.println("-- countdown: values one at a time, then a return value:");
        Generator<Integer, Void, String> countdown = countdown(3);
        for (int n : countdown) {
            out.println(n);
        }
        out.println("returned: " + countdown.result());

        out.println("-- averager: a coroutine fed with send(), paused between values:");
        Generator<Double, Double, Integer> averager = averager();
        out.println("next()     -> " + averager.next() + "   (primed: runs to its first yield)");
        out.println("send(10.0) -> " + averager.send(10.0));
        out.println("send(30.0) -> " + averager.send(30.0));
        out.println("send(5.0)  -> " + averager.send(5.0));

        out.println("-- throwIn(): the averager catches a reset at its paused yield and goes on:");
        out.println("throwIn(reset) -> " + averager.throwIn(new Reset()));
        out.println("send(4.0)      -> " + averager.send(4.0));
        out.println("-- ... but lets anything else pass to the caller:");
        try {
            averager.throwIn(new IllegalStateException("sensor unplugged"));
        } catch (IllegalStateException e) {
            out.println("throwIn() rethrew: " + e.getMessage() + "; done: " + averager.isDone());
        }

        out.println("-- close(): GeneratorExit at the paused yield, so finally blocks run:");
        Generator<String, Void, Void> log = logLines(out);
        out.println("next() -> " + log.next());
        out.println("next() -> " + log.next());
        log.close();
        out.println("closed; done: " + log.isDone() + "; next() now: " + nextOrStop(log));

        out.println("-- yieldFrom(): pages delegated to a sub-generator, whose return value comes back:");
        Generator<String, Void, Integer> report = Generator.of(y -> {
            int rows = 0;
            for (int page = 1; page <= 2; page++) {
                rows += y.yieldFrom(page(page, 3));
            }
            return rows;
        });
        for (String row : report) {
            out.println(row);
        }
        out.println("returned: " + report.result() + " rows");

        out.println("-- yieldFrom() also hands send() to the sub-generator:");
        Generator<Double, Double, String> delegating = Generator.of(y -> {
            int count = y.yieldFrom(averager());
            return "the averager saw " + count + " values";
        });
        delegating.next();
        out.println("send(1.0) -> " + delegating.send(1.0));
        out.println("send(2.0) -> " + delegating.send(2.0));
        out.println("send(null) -> " + sendOrStop(delegating, null) + ": " + delegating.result());
    }

    static Generator<Integer, Void, String> countdown(int from) {
        return Generator.of(y -> {
            for (int n = from; n > 0; n--) {
                y.yield(n);
            }
            return "liftoff";
        });
    }

    /**
     * Yields the running average of the values sent in; a {@link Reset} thrown in starts over, and
     * sending {@code null} ends it, returning how many values it averaged.
     */
    static Generator<Double, Double, Integer> averager() {
        return Generator.of(y -> {
            double total = 0;
            int count = 0;
            double average = 0;
            while (true) {
                Double value;
                try {
                    value = y.yield(average);
                } catch (Reset reset) {
                    total = 0;
                    count = 0;
                    average = 0;
                    continue;
                }
                if (value == null) {
                    return count;
                }
                total += value;
                count++;
                average = total / count;
            }
        });
    }

    static Generator<String, Void, Void> logLines(PrintStream out) {
        return Generator.of(y -> {
            out.println("  (log opened)");
            try {
                for (int line = 1; ; line++) {
                    y.yield("line " + line);
                }
            } catch (GeneratorExit exit) {
                out.println("  (GeneratorExit raised at the paused yield)");
                throw exit;
            } finally {
                out.println("  (finally: log closed)");
            }
        });
    }

    /** A page of {@code size} rows; returns how many it produced. */
    static Generator<String, Void, Integer> page(int page, int size) {
        return Generator.of(y -> {
            for (int i = 1; i <= size; i++) {
                y.yield("page " + page + ", row " + i);
            }
            return size;
        });
    }

    private static String nextOrStop(Generator<?, ?, ?> g) {
        try {
            return String.valueOf(g.next());
        } catch (NoSuchElementException stop) {
            return "NoSuchElementException";
        }
    }

    private static <S> String sendOrStop(Generator<?, S, ?> g, S value) {
        try {
            return String.valueOf(g.send(value));
        } catch (NoSuchElementException stop) {
            return "NoSuchElementException (it returned)";
        }
    }

    /** Thrown into the averager to start over. */
    static final class Reset extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Reset() {
            super("reset", null, false, false);
        }
    }
}
