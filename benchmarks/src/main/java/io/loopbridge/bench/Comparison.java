package io.loopbridge.bench;

import java.util.List;

/**
 * One side-by-side measurement of {@code benchmarks/bench}: loopbridge against a peer doing the
 * same work. {@link Bench} warms our side up, then alternates rounds (ours, peer, ours, peer, ...)
 * and prints the median of the per-round ratios peer ÷ ours.
 *
 * <p>To add one: implement this interface (a small class is enough) and list it in {@link
 * Comparisons#all()}.
 */
public interface Comparison extends AutoCloseable {
    /** The name printed in {@code RATIO}/{@code ABS} lines and matched by {@code --only}. */
    String name();

    /** Short name of the peer, e.g. {@code asyncio}; used in {@code ABS} lines. */
    String peerName();

    /** What one op is, e.g. {@code callback}; {@code ABS} lines print {@code ns/<unit>}. */
    default String opName() {
        return "op";
    }

    /**
     * Why this comparison cannot run on this machine (e.g. {@code "python3 not found"}), or
     * {@code null} when it can. Called before {@link #setUp()}; must be cheap-ish and not throw.
     */
    default String skipReason() {
        return null;
    }

    /**
     * The fraction of {@code --round-ms} and {@code --warmup-ms} this comparison uses, in (0, 1]:
     * less than 1 for comparisons whose rounds settle quickly, to keep the whole run short. Still at
     * least 10 ms a round and {@code --rounds} rounds.
     */
    default double timeScale() {
        return 1.0;
    }

    /** Allocates state and starts the peer (process, threads). Called once, before any round. */
    default void setUp() throws Exception {}

    /** Runs our side for about {@code millis} ms and returns nanoseconds per op. */
    double oursNanosPerOp(long millis) throws Exception;

    /** Runs the peer for about {@code millis} ms and returns nanoseconds per op. */
    double peerNanosPerOp(long millis) throws Exception;

    /**
     * More lines to print after the {@code RATIO} and {@code ABS} lines, once the rounds are over
     * (e.g. {@code ABS <name>.loopbridge_<engine> ...} per engine); none by default.
     */
    default List<String> extraLines() {
        return List.of();
    }

    /** Stops the peer and releases what {@link #setUp()} took. Called even when a round failed. */
    @Override
    default void close() {}
}
