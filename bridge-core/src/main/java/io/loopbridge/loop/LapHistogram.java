package io.loopbridge.loop;

import java.util.concurrent.atomic.AtomicLongArray;

/** Lap busy times in power-of-two buckets: written by the loop alone, read by anyone. */
final class LapHistogram {
    private final AtomicLongArray buckets = new AtomicLongArray(64);

    /** Loop thread only (single writer: a plain increment published with lazySet). */
    void record(long nanos) {
        int b = 64 - Long.numberOfLeadingZeros(Math.max(1, nanos));
        buckets.lazySet(b, buckets.get(b) + 1);
    }

    /** p50, p99 and max as the upper bounds of their buckets, in nanoseconds. Any thread. */
    long[] percentiles() {
        long[] counts = new long[64];
        long total = 0;
        int max = -1;
        for (int i = 0; i < 64; i++) {
            counts[i] = buckets.get(i);
            total += counts[i];
            if (counts[i] > 0) {
                max = i;
            }
        }
        if (total == 0) {
            return new long[3];
        }
        return new long[] {bound(at(counts, total, 0.50)), bound(at(counts, total, 0.99)), bound(max)};
    }

    private static int at(long[] counts, long total, double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return counts.length - 1;
    }

    private static long bound(int bucket) {
        return bucket >= 63 ? Long.MAX_VALUE : 1L << bucket;
    }
}
