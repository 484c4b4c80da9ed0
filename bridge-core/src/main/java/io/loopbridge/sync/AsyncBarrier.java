package io.loopbridge.sync;

import io.loopbridge.task.internal.Driver;

/**
 * A meeting point for a fixed number of coroutines (asyncio's {@code Barrier}, Python 3.11): each
 * one that calls {@link #await()} suspends until {@link #parties()} of them have, then all go on
 * together, and the barrier can be used again.
 *
 * <pre>{@code
 * AsyncBarrier ready = new AsyncBarrier(3);
 * // in each of three tasks:
 * int arrival = ready.await(); // 0, 1 or 2
 * }</pre>
 *
 * <p>The barrier is filling while coroutines arrive; the last arrival trips it and it drains while
 * the waiters leave; coroutines that arrive during draining (or resetting) wait for the next round.
 * {@link #abort()} breaks it for good; {@link #reset()} breaks the current round and refills.
 * A waiter that is cancelled leaves the barrier without breaking it: the round then needs one more
 * arrival. asyncio's {@code wait()} is named {@code await()} here, as in {@code CyclicBarrier}; its
 * {@code abort()} and {@code reset()} are coroutines only to take a lock this class does not need,
 * so here they are plain methods.
 */
public final class AsyncBarrier {
    private enum State {
        FILLING,
        DRAINING,
        RESETTING,
        BROKEN
    }

    private final BoundLoop binding = new BoundLoop(this);
    /** Everyone who waits for the state to change: they all re-check on every change. */
    private final WaitQueue waiters = new WaitQueue();

    private final int parties;
    private State state = State.FILLING;
    /** Coroutines inside {@link #await()} past the entry check: arrived and not left yet. */
    private int count;

    /**
     * A barrier for {@code parties} coroutines.
     *
     * @param parties how many coroutines must call {@link #await()} to trip the barrier; at least 1
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public AsyncBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be > 0: " + parties);
        }
        this.parties = parties;
    }

    /**
     * Suspends until {@link #parties()} coroutines have called this, then returns this caller's
     * arrival index, from 0 for the first to {@code parties - 1} for the last, which does not suspend.
     *
     * @return this caller's arrival index in the round, from 0 to {@code parties() - 1}
     * @throws BarrierBrokenException if the barrier is broken, or is aborted or reset while waiting
     * @throws IllegalStateException outside a coroutine, or in a coroutine of another loop
     * @throws java.util.concurrent.CancellationException if the task is cancelled while waiting; it
     *     has then left the barrier, which stays usable
     */
    public int await() {
        Driver d = binding.enter("AsyncBarrier.await()");
        while (state == State.DRAINING || state == State.RESETTING) {
            waiters.await(d); // the previous round is still leaving
        }
        if (state == State.BROKEN) {
            throw new BarrierBrokenException("Barrier aborted");
        }
        int index = count++;
        try {
            if (index + 1 == parties) {
                state = State.DRAINING;
                waiters.wakeAll();
            } else {
                while (state == State.FILLING) {
                    waiters.await(d);
                }
                if (state == State.BROKEN || state == State.RESETTING) {
                    throw new BarrierBrokenException("Abort or reset of barrier");
                }
            }
            return index;
        } finally {
            count--;
            if (count == 0) {
                // the last one out lets the next round in
                if (state == State.DRAINING || state == State.RESETTING) {
                    state = State.FILLING;
                }
                waiters.wakeAll();
            }
        }
    }

    /**
     * Breaks the current round: its waiters throw {@link BarrierBrokenException}, and once they
     * have left, the barrier fills again from empty. Loop thread only.
     */
    public void reset() {
        binding.check("AsyncBarrier.reset");
        state = count > 0 ? State.RESETTING : State.FILLING;
        waiters.wakeAll();
    }

    /**
     * Breaks the barrier for good: its waiters, and every later {@link #await()}, throw {@link
     * BarrierBrokenException} (until {@link #reset()}). Loop thread only.
     */
    public void abort() {
        binding.check("AsyncBarrier.abort");
        state = State.BROKEN;
        waiters.wakeAll();
    }

    /** {@return the number of coroutines it takes to trip the barrier, as given to the constructor} */
    public int parties() {
        return parties;
    }

    /**
     * {@return the number of coroutines waiting for the barrier to trip} asyncio's {@code n_waiting};
     * 0 while the barrier drains, resets or is broken.
     */
    public int waiting() {
        return state == State.FILLING ? count : 0;
    }

    /** {@return whether the barrier was {@linkplain #abort() aborted} and not {@linkplain #reset() reset} since} */
    public boolean isBroken() {
        return state == State.BROKEN;
    }

    @Override
    public String toString() {
        String s = state.name().toLowerCase(java.util.Locale.ROOT);
        return "AsyncBarrier[" + s + (state != State.BROKEN ? ", waiters:" + waiting() + "/" + parties : "") + "]";
    }
}
