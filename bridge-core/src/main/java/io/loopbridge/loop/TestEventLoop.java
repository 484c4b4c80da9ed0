package io.loopbridge.loop;

import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.Objects;

/**
 * An event loop on virtual time, for tests (like Reactor's {@code VirtualTimeScheduler} and
 * RxJava's {@code TestScheduler}): sleeps, timers and timeouts complete when the test moves the
 * clock, so an hour-long timeout takes milliseconds.
 *
 * <ul>
 *   <li>{@link #advanceTime(Duration)} moves the clock forward step by step, running everything
 *       that becomes due on the way, then returns.
 *   <li>{@link #runUntilIdle()} runs what is ready now without moving the clock.
 *   <li>{@link #runForever()} and {@link #runUntilComplete} jump the clock to the next timer
 *       whenever nothing else is ready (auto-advance), and wait for real only for work from other
 *       threads.
 * </ul>
 *
 * <p>{@link #time()} starts at 0.
 */
public class TestEventLoop extends EventLoop {
    private long now;
    /** The clock may be moved up to here by the current {@link #advanceTime} call; -1: stop when idle. */
    private long target = Long.MIN_VALUE;

    /** A virtual-time loop on the default coroutine engine. */
    public TestEventLoop() {
        super();
        clockSlackNanos = 0;
    }

    /**
     * A virtual-time loop whose coroutines run on {@code engine}.
     *
     * @param engine the engine to run the coroutines on; must not be null and available on this JVM
     */
    public TestEventLoop(CoroutineEngine engine) {
        super(engine);
        clockSlackNanos = 0;
    }

    @Override
    public long time() {
        return now;
    }

    /** Runs every callback that is ready, and what they make ready, without moving the clock. */
    public void runUntilIdle() {
        runBounded(now);
    }

    /**
     * Moves the clock forward by {@code delay}, stopping at each timer on the way to run what is
     * due, and returns once nothing is ready at the new time.
     *
     * @param delay how far to move the clock; must not be null or negative
     */
    public void advanceTime(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("virtual time cannot go backwards: " + delay);
        }
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        long to = now + nanos < now ? Long.MAX_VALUE : now + nanos;
        runBounded(to);
        now = to;
    }

    /**
     * Moves the clock to {@code when} (loop time), running what becomes due.
     *
     * @param when the loop time to move the clock to; must not be before {@link #time()}
     */
    public void advanceTimeTo(long when) {
        if (when < now) {
            throw new IllegalArgumentException("virtual time cannot go backwards: " + when + " < " + now);
        }
        runBounded(when);
        now = when;
    }

    private void runBounded(long to) {
        target = to;
        try {
            callSoon(() -> {});
            runForever();
        } finally {
            target = Long.MIN_VALUE;
        }
    }

    @Override
    long beforeBlocking(long timeoutNanos) {
        long next = nextTimerWhen();
        if (target != Long.MIN_VALUE) {
            if (next <= target) {
                now = Math.max(now, next);
            } else {
                stopFromLap();
            }
            return 0;
        }
        if (next != Long.MAX_VALUE) {
            now = Math.max(now, next);
            return 0;
        }
        return timeoutNanos;
    }
}
