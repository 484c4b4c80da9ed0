package io.loopbridge.bench;

import io.loopbridge.Async;
import io.loopbridge.task.CoroutineEngine;
import java.util.Locale;

/** Coroutine engines as the benchmarks name and run them. */
final class Engines {
    private Engines() {}

    /** {@code threads}, {@code virtual}, {@code continuation}: the suffix of comparison names. */
    static String label(CoroutineEngine engine) {
        return engine.name().toLowerCase(Locale.ROOT);
    }

    /** Why {@code engine} cannot run in this JVM, or {@code null}. */
    static String skipReason(CoroutineEngine engine) {
        if (engine.isAvailable()) {
            return null;
        }
        return engine == CoroutineEngine.CONTINUATION
                ? "the continuation engine needs JDK 21+ started with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED"
                : "the " + label(engine) + " engine needs JDK 21+";
    }

    /** The engine named {@code name} (any case), or an {@link Unavailable} saying why it cannot run here. */
    static CoroutineEngine require(String name) {
        CoroutineEngine engine = CoroutineEngine.valueOf(name.toUpperCase(Locale.ROOT));
        String reason = skipReason(engine);
        if (reason != null) {
            throw new Unavailable(reason);
        }
        return engine;
    }

    /**
     * Runs {@code batch} inside a coroutine of a new loop on {@code engine}, repeatedly for about
     * {@code millis} ms, and returns nanoseconds per op ({@link Measure#nanosPerOp}).
     */
    static double nanosPerOp(CoroutineEngine engine, Runnable batch, int opsPerBatch, long millis) {
        return Async.run(engine, () -> Measure.nanosPerOp(batch, opsPerBatch, millis));
    }

    /** An engine this JVM does not offer; no stack trace, the message says it all. */
    static final class Unavailable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
