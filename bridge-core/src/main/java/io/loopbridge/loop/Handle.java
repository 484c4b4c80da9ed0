package io.loopbridge.loop;

import java.util.Objects;

/**
 * A callback scheduled on an {@link EventLoop}, as returned by {@link EventLoop#callSoon}.
 *
 * <p>{@link #cancel()} may be called from any thread: a cancelled handle that has not started yet
 * never runs.
 */
public class Handle {
    final EventLoop loop;
    final Runnable callback;
    /** Where the callback was scheduled; captured in debug mode only. */
    final Throwable source;

    private volatile boolean cancelled;

    Handle(EventLoop loop, Runnable callback) {
        this.loop = loop;
        this.callback = Objects.requireNonNull(callback, "callback");
        this.source = loop.debug ? new Throwable("callback scheduled here") : null;
    }

    /** Prevents the callback from running if it has not run yet. Thread-safe; idempotent. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** The loop this handle was scheduled on. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (cancelled ? "cancelled " : "") + callback + "]";
    }
}
