package io.loopbridge.loop;

/**
 * A callback scheduled for a point in loop time, as returned by {@link EventLoop#callLater} and
 * {@link EventLoop#callAt}.
 */
public final class TimerHandle extends Handle implements Comparable<TimerHandle> {
    final long when;
    /** Breaks deadline ties in scheduling order (FIFO for equal deadlines). */
    final long seq;

    TimerHandle(EventLoop loop, Runnable callback, long when, long seq) {
        super(loop, callback);
        this.when = when;
        this.seq = seq;
    }

    /** The loop time, in nanoseconds of {@link EventLoop#time()}, at which the callback is due. */
    public long when() {
        return when;
    }

    @Override
    public void cancel() {
        if (!isCancelled()) {
            super.cancel();
            loop.timerCancelled();
        }
    }

    @Override
    public int compareTo(TimerHandle o) {
        int c = Long.compare(when, o.when);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
