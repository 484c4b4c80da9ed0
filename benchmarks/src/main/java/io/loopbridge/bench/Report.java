package io.loopbridge.bench;

import java.util.List;

/**
 * A one-shot measurement of {@code benchmarks/bench} that is not a per-round ratio, such as the
 * {@code MEM} lines: {@link Bench} runs it once and prints the lines it returns.
 *
 * <p>To add one: implement this interface and list it in {@link Comparisons#reports()}.
 */
public interface Report {
    /** Matched by {@code --only} and listed by {@code --list}. */
    String name();

    /** Why this report cannot run on this machine, or {@code null}. */
    default String skipReason() {
        return null;
    }

    /**
     * Whether this report runs after the comparisons rather than before them: for those that warm
     * up code the comparisons measure (and so would change their JIT profiles), or that take long.
     */
    default boolean afterComparisons() {
        return false;
    }

    /** Measures and returns the lines to print, e.g. {@code MEM <name> <value> <unit> (...)}. */
    List<String> run() throws Exception;
}
