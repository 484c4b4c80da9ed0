package io.loopbridge.bench;

/** Timing helpers for our side of a comparison. */
final class Measure {
    private Measure() {}

    /**
     * Runs {@code batch} repeatedly for about {@code millis} ms (at least once) and returns the
     * mean nanoseconds per op, where one run of {@code batch} is {@code opsPerBatch} ops.
     */
    static double nanosPerOp(Runnable batch, int opsPerBatch, long millis) {
        long budget = millis * 1_000_000L;
        long batches = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            batch.run();
            batches++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return (double) elapsed / ((double) batches * opsPerBatch);
    }
}
