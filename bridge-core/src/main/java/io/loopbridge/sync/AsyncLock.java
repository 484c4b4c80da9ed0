package io.loopbridge.sync;

import io.loopbridge.task.internal.Driver;

/**
 * A mutual-exclusion lock for coroutines (asyncio's {@code Lock}): at most one coroutine holds it;
 * the others suspend in {@link #acquire()} and get it in the order they asked for it.
 *
 * <pre>{@code
 * AsyncLock lock = new AsyncLock();
 * try (Permit held = lock.acquire()) {
 *     // one coroutine at a time
 * }
 * }</pre>
 *
 * <p>The lock has no owner: any code on the loop may {@link #release()} it, as in asyncio.
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>Unlocked implies nobody waits: {@link #release()} hands the lock straight to the first
 *       waiter, so it stays locked, and a newcomer can never overtake a waiter (strict FIFO).
 *   <li>A waiter cancelled after the lock was handed to it, before it could run, hands it on in
 *       turn (or unlocks): the lock is never left held by nobody.
 *   <li>{@code handedOff}: the lock was handed to a waiter that has not run yet, so nobody holds it
 *       to release it (asyncio's lock is unlocked then): {@link #release()} refuses.
 * </ol>
 */
public final class AsyncLock {
    private final BoundLoop binding = new BoundLoop(this);
    private final WaitQueue waiters = new WaitQueue();
    private final Runnable handOn = this::handOn;
    private boolean locked;
    private boolean handedOff;

    /** An unlocked lock, bound to the loop of the first coroutine that uses it. */
    public AsyncLock() {}

    /**
     * Suspends until the lock is free, takes it, and returns the permit whose {@link
     * Permit#close()} releases it. Returns at once, without suspending, if the lock is free.
     *
     * @return the permit of the lock; closing it (once) releases the lock
     * @throws IllegalStateException outside a coroutine, or in a coroutine of another loop
     * @throws java.util.concurrent.CancellationException if the task is cancelled while waiting;
     *     it then does not hold the lock
     */
    public Permit acquire() {
        lock(binding.enter("AsyncLock.acquire()"));
        return new Permit(this::release);
    }

    /**
     * Releases the lock: the first waiter, if any, gets it. Loop thread only.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    public void release() {
        binding.check("AsyncLock.release");
        if (!held()) {
            throw new IllegalStateException("Lock is not acquired");
        }
        handOn();
    }

    /**
     * Whether the lock is held, so that {@link #acquire()} would suspend. It stays {@code true}
     * from a {@link #release()} to the moment the waiter it was handed to runs.
     *
     * @return whether the lock is held or handed to a waiter
     */
    public boolean locked() {
        return locked;
    }

    /** Whether some coroutine holds the lock: locked, and not handed to a waiter that has not run. */
    boolean held() {
        return locked && !handedOff;
    }

    /** Takes the lock for the coroutine of {@code d}, suspending while it is held. */
    void lock(Driver d) {
        if (!locked) {
            locked = true;
            return;
        }
        waiters.await(d, handOn); // woken: the lock was handed over, it is ours
        handedOff = false;
    }

    /** Gives the lock to the first waiter, or unlocks it when nobody waits. */
    void handOn() {
        handedOff = waiters.wakeFirst();
        if (!handedOff) {
            locked = false;
        }
    }

    /** For the condition variables on this lock: they share its loop. */
    BoundLoop binding() {
        return binding;
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return "AsyncLock[" + (locked ? "locked" : "unlocked") + (n > 0 ? ", waiters:" + n : "") + "]";
    }
}
