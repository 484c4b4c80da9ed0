package io.loopbridge.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A callback scheduled for a point in loop time, as returned by {@link EventLoop#callLater} and
 * {@link EventLoop#callAt}.
 */
public final class TimerHandle extends Handle implements Comparable<TimerHandle> {
    private static final int QUEUED = 0;
    private static final int CANCELLED_WHILE_QUEUED = 1;
    private static final int GONE = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TimerHandle.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long when;
    /** Only a cancel while the timer is still queued counts toward the loop's purge threshold. */
    private volatile int state;
    /** Breaks deadline ties in scheduling order (FIFO for equal deadlines). */
    final long seq;

    TimerHandle(EventLoop loop, Runnable callback, long when, long seq) {
        super(loop, callback);
        this.when = when;
        this.seq = seq;
    }

    /**
     * The loop time, in nanoseconds of {@link EventLoop#time()}, at which the callback is due.
     *
     * @return the due time in loop nanoseconds; may be in the past
     */
    public long when() {
        return when;
    }

    @Override
    public void cancel() {
        super.cancel();
        if (STATE.compareAndSet(this, QUEUED, CANCELLED_WHILE_QUEUED)) {
            loop.timerCancelled();
        }
    }

    /** Called by the loop when the timer leaves its queue; whether its cancel had been counted. */
    boolean leaveQueue() {
        return (int) STATE.getAndSet(this, GONE) == CANCELLED_WHILE_QUEUED;
    }

    @Override
    public int compareTo(TimerHandle o) {
        int c = Long.compare(when, o.when);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
