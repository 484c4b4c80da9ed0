package io.loopbridge.sync;

import io.loopbridge.task.internal.Driver;

/**
 * A semaphore for coroutines (asyncio's {@code Semaphore}): a count of permits that {@link
 * #acquire()} takes one of, suspending while there is none, and {@link #release()} gives back.
 * Waiters get permits in the order they asked for them.
 *
 * <pre>{@code
 * AsyncSemaphore connections = new AsyncSemaphore(10);
 * try (Permit p = connections.acquire()) {
 *     // at most 10 coroutines at a time here
 * }
 * }</pre>
 *
 * <p>{@link #release()} never checks that a permit was acquired; {@link AsyncBoundedSemaphore} does.
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>Permits available implies nobody waits: {@link #release()} hands its permit straight to
 *       the first waiter, so a newcomer can never overtake a waiter (strict FIFO).
 *   <li>A waiter cancelled after a permit was handed to it, before it could run, hands it on in
 *       turn (or gives it back): no permit is lost.
 * </ol>
 */
public sealed class AsyncSemaphore permits AsyncBoundedSemaphore {
    private final BoundLoop binding = new BoundLoop(this);
    private final WaitQueue waiters = new WaitQueue();
    private final Runnable handOn = this::handOn;
    private final String acquireMethod = getClass().getSimpleName() + ".acquire()";
    private int value;

    /** A semaphore with one permit. */
    public AsyncSemaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @param value the number of permits available at first; 0 or more
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public AsyncSemaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("value must not be negative: " + value);
        }
        this.value = value;
    }

    /**
     * Takes a permit, suspending until one is available, and returns it: its {@link
     * Permit#close()} releases it. Returns at once, without suspending, if a permit is available.
     *
     * @return the permit taken; closing it calls {@link #release()} (usable in try-with-resources)
     * @throws IllegalStateException outside a coroutine, or in a coroutine of another loop
     * @throws java.util.concurrent.CancellationException if the task is cancelled while waiting;
     *     it then holds no permit
     */
    public final Permit acquire() {
        Driver d = binding.enter(acquireMethod);
        if (value > 0) {
            value--;
        } else {
            waiters.await(d, handOn); // woken: a permit was handed over
        }
        return new Permit(this::release);
    }

    /** Gives a permit back: the first waiter, if any, gets it. Loop thread only. */
    public void release() {
        binding.check("AsyncSemaphore.release");
        handOn();
    }

    /** {@return whether no permit is available, so that {@link #acquire()} would suspend} */
    public final boolean locked() {
        return value == 0;
    }

    /** {@return the number of permits available now; never negative} */
    public final int availablePermits() {
        return value;
    }

    /** For {@link AsyncBoundedSemaphore}: the loop-thread check of {@link #release()}. */
    final void checkOnLoop(String method) {
        binding.check(method);
    }

    private void handOn() {
        if (!waiters.wakeFirst()) {
            value++;
        }
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return getClass().getSimpleName() + "[" + (value == 0 ? "locked" : "unlocked, value:" + value)
                + (n > 0 ? ", waiters:" + n : "") + "]";
    }
}
