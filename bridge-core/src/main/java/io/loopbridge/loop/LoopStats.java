package io.loopbridge.loop;

import java.time.Duration;

/**
 * A snapshot of an event loop's load, readable from any thread ({@link EventLoop#stats()}). Counts
 * are published by the loop every few laps and before it waits, so they can trail by a few laps;
 * lap times come from a sample of laps (every 64th, every lap while a JFR recording enables the
 * {@code io.loopbridge} events) and count only the time spent running callbacks, not waiting.
 */
public final class LoopStats {
    private final int readyCallbacks;
    private final int scheduledTimers;
    private final int liveTasks;
    private final int ioRegistrations;
    private final long laps;
    private final long callbacksRun;
    private final long[] lapPercentileNanos;

    LoopStats(
            int readyCallbacks,
            int scheduledTimers,
            int liveTasks,
            int ioRegistrations,
            long laps,
            long callbacksRun,
            long[] lapPercentileNanos) {
        this.readyCallbacks = readyCallbacks;
        this.scheduledTimers = scheduledTimers;
        this.liveTasks = liveTasks;
        this.ioRegistrations = ioRegistrations;
        this.laps = laps;
        this.callbacksRun = callbacksRun;
        this.lapPercentileNanos = lapPercentileNanos;
    }

    /**
     * Callbacks waiting in the ready queue.
     *
     * @return the number of ready callbacks
     */
    public int readyCallbacks() {
        return readyCallbacks;
    }

    /**
     * Timers scheduled and not yet due (cancelled ones included until purged).
     *
     * @return the number of scheduled timers
     */
    public int scheduledTimers() {
        return scheduledTimers;
    }

    /**
     * Tasks created and not done.
     *
     * @return the number of live tasks
     */
    public int liveTasks() {
        return liveTasks;
    }

    /**
     * Channels registered with the loop's selector.
     *
     * @return the number of registered channels
     */
    public int ioRegistrations() {
        return ioRegistrations;
    }

    /**
     * Laps run since the loop was created.
     *
     * @return the number of laps
     */
    public long laps() {
        return laps;
    }

    /**
     * Callbacks run since the loop was created (task steps included).
     *
     * @return the number of callbacks run
     */
    public long callbacksRun() {
        return callbacksRun;
    }

    /**
     * The median busy time of a lap (upper bound of its power-of-two bucket); zero before any sample.
     *
     * @return the median lap time; {@link Duration#ZERO} before the first sample
     */
    public Duration lapTimeP50() {
        return Duration.ofNanos(lapPercentileNanos[0]);
    }

    /**
     * The 99th percentile busy time of a lap.
     *
     * @return the 99th percentile lap time; {@link Duration#ZERO} before the first sample
     */
    public Duration lapTimeP99() {
        return Duration.ofNanos(lapPercentileNanos[1]);
    }

    /**
     * The longest sampled lap (upper bound of its bucket).
     *
     * @return the longest sampled lap time; {@link Duration#ZERO} before the first sample
     */
    public Duration lapTimeMax() {
        return Duration.ofNanos(lapPercentileNanos[2]);
    }

    @Override
    public String toString() {
        return "LoopStats[ready=" + readyCallbacks + " timers=" + scheduledTimers + " tasks=" + liveTasks + " io="
                + ioRegistrations + " laps=" + laps + " callbacks=" + callbacksRun + " lap p50="
                + lapTimeP50().toNanos()
                + "ns p99=" + lapTimeP99().toNanos() + "ns max=" + lapTimeMax().toNanos() + "ns]";
    }
}
