package io.loopbridge.loop;

import io.loopbridge.context.Context;
import io.loopbridge.internal.CurrentContext;
import java.util.Objects;

/**
 * A callback scheduled on an {@link EventLoop}, as returned by {@link EventLoop#callSoon}.
 *
 * <p>{@link #cancel()} may be called from any thread: a cancelled handle that has not started yet
 * never runs.
 */
public class Handle {
    final EventLoop loop;
    /** The callback; in debug mode wrapped in a {@link Traced} that remembers where it was scheduled. */
    final Runnable callback;

    private volatile boolean cancelled;

    Handle(EventLoop loop, Runnable callback) {
        this.loop = loop;
        Objects.requireNonNull(callback, "callback");
        Runnable cb = CurrentContext.inUse() ? new InContext(callback, Context.copyCurrent()) : callback;
        this.callback = loop.debug ? new Traced(cb, new Throwable("callback scheduled here")) : cb;
    }

    /** Runs the callback in a copy of the context it was scheduled from; only once contexts are in use. */
    static final class InContext implements Runnable {
        final Runnable callback;
        final Context context;

        InContext(Runnable callback, Context context) {
            this.callback = callback;
            this.context = context;
        }

        @Override
        public void run() {
            Object previous = CurrentContext.swap(context);
            try {
                callback.run();
            } finally {
                CurrentContext.swap(previous);
            }
        }

        @Override
        public String toString() {
            return callback.toString();
        }
    }

    /** Where the callback was scheduled (debug mode), or {@code null}. */
    final Throwable source() {
        return callback instanceof Traced ? ((Traced) callback).source : null;
    }

    /** Debug mode only, so a handle costs no extra field otherwise. */
    static final class Traced implements Runnable {
        final Runnable callback;
        final Throwable source;

        Traced(Runnable callback, Throwable source) {
            this.callback = callback;
            this.source = source;
        }

        @Override
        public void run() {
            callback.run();
        }

        @Override
        public String toString() {
            return callback.toString();
        }
    }

    /** Prevents the callback from running if it has not run yet. Thread-safe; idempotent. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true if {@link #cancel()} was called, whether or not the callback had run
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * The loop this handle was scheduled on.
     *
     * @return the loop the callback runs on
     */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (cancelled ? "cancelled " : "") + callback + "]";
    }
}
