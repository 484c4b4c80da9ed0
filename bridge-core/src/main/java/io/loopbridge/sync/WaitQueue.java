package io.loopbridge.sync;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.internal.Driver;
import io.loopbridge.task.internal.FiberKilled;
import java.util.ArrayDeque;

/**
 * The coroutines suspended in a primitive, first come first served, each waiting on a future of
 * its own that a wake-up completes (asyncio's deque of waiter futures).
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>A waiter's future is in the queue from the moment it starts waiting until a wake-up takes it
 *       out or the waiter gives up; so the queue holds pending futures, and cancelled ones whose
 *       coroutines have not run yet, which wake-ups skip.
 *   <li>A wake-up completes the first pending future: that waiter owns the wake-up from then on.
 *   <li>A waiter that fails after it was woken (its task was cancelled in the same lap, before it
 *       could run) passes the wake-up on before it rethrows, so no wake-up is lost.
 * </ol>
 */
final class WaitQueue {
    private final ArrayDeque<LoopFuture<Void>> futures = new ArrayDeque<>();

    /**
     * Suspends the calling coroutine until it is woken. If the wait fails instead (cancellation,
     * or the JVM refused to suspend), the waiter leaves the queue; if it had been woken already,
     * {@code passOn} runs first, so that the wake-up goes to someone else.
     */
    void await(Driver d, Runnable passOn) {
        LoopFuture<Void> woken = add(d);
        try {
            d.await(woken);
        } catch (FiberKilled killed) {
            throw killed; // the loop closed: nobody is left to pass anything to
        } catch (Throwable t) {
            if (leave(woken)) {
                passOn.run();
            }
            throw t;
        }
    }

    /** {@link #await(Driver, Runnable)} for a wake-up that every waiter gets: nothing to pass on. */
    void await(Driver d) {
        LoopFuture<Void> woken = add(d);
        try {
            d.await(woken);
        } catch (FiberKilled killed) {
            throw killed;
        } catch (Throwable t) {
            leave(woken);
            throw t;
        }
    }

    /** Queues a waiter of the calling coroutine's loop; see {@link #leave}. */
    LoopFuture<Void> add(Driver d) {
        LoopFuture<Void> f = new LoopFuture<>(d.loop());
        futures.addLast(f);
        return f;
    }

    /** Takes a waiter that gives up out of the queue; returns whether it had been woken. */
    boolean leave(LoopFuture<Void> f) {
        if (f.isDone() && !f.isCancelled()) {
            return true; // the wake-up took it out of the queue
        }
        futures.remove(f);
        return false;
    }

    /** Wakes the first waiter that is still waiting; {@code false} if there is none. */
    boolean wakeFirst() {
        LoopFuture<Void> f;
        while ((f = futures.pollFirst()) != null) {
            if (!f.isDone()) {
                f.setResult(null);
                return true;
            }
        }
        return false;
    }

    /** Wakes up to {@code n} waiters, first come first; returns how many. */
    int wake(int n) {
        int woken = 0;
        while (woken < n && wakeFirst()) {
            woken++;
        }
        return woken;
    }

    /** Wakes every waiter; returns how many. */
    int wakeAll() {
        return wake(Integer.MAX_VALUE);
    }

    /** The number of coroutines waiting (not counting cancelled ones that have not left yet). */
    int size() {
        int n = 0;
        for (LoopFuture<Void> f : futures) {
            if (!f.isDone()) {
                n++;
            }
        }
        return n;
    }
}
