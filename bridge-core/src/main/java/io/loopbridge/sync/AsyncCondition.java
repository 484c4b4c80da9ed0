package io.loopbridge.sync;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.internal.Driver;
import io.loopbridge.task.internal.FiberKilled;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for coroutines (asyncio's {@code Condition}): while holding its lock, a
 * coroutine {@linkplain #await() waits} until another one {@linkplain #signal() signals} that the
 * state it waits for may have changed.
 *
 * <pre>{@code
 * AsyncCondition nonEmpty = new AsyncCondition();
 * // consumer
 * try (Permit held = nonEmpty.acquire()) {
 *     nonEmpty.awaitUntil(() -> !items.isEmpty());
 *     return items.remove();
 * }
 * // producer
 * try (Permit held = nonEmpty.acquire()) {
 *     items.add(item);
 *     nonEmpty.signal();
 * }
 * }</pre>
 *
 * <p>asyncio's names map as {@code wait()} → {@link #await()}, {@code wait_for(predicate)} →
 * {@link #awaitUntil(BooleanSupplier)}, {@code notify(n)} → {@link #signal(int)}, {@code
 * notify_all()} → {@link #signalAll()} ({@code Object.wait()} and {@code notify()} are final; the
 * new names are those of {@code java.util.concurrent.locks.Condition}).
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>{@link #await()} returns and throws holding the lock, cancelled or not, so the caller's
 *       try-with-resources releases a lock it holds.
 *   <li>A waiter that was signalled but leaves with an exception (cancelled before it could run,
 *       or while it took the lock back) passes the signal on to the next waiter: no signal is lost.
 * </ol>
 */
public final class AsyncCondition {
    private final AsyncLock lock;
    private final BoundLoop binding;
    private final WaitQueue waiters = new WaitQueue();

    /** A condition with a lock of its own. */
    public AsyncCondition() {
        this(new AsyncLock());
    }

    /**
     * A condition on {@code lock}, which several conditions may share.
     *
     * @param lock the lock that {@link #await()} releases and takes back; the condition is bound to
     *     the same loop as the lock
     * @throws NullPointerException if {@code lock} is null
     */
    public AsyncCondition(AsyncLock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.binding = lock.binding();
    }

    /**
     * Acquires the lock: see {@link AsyncLock#acquire()}.
     *
     * @return the permit of the lock; closing it releases the lock
     */
    public Permit acquire() {
        return lock.acquire();
    }

    /** Releases the lock: see {@link AsyncLock#release()}. */
    public void release() {
        lock.release();
    }

    /** {@return whether the lock is held, by any task} */
    public boolean locked() {
        return lock.locked();
    }

    /** {@return the lock of this condition, given to or made by the constructor} */
    public AsyncLock lock() {
        return lock;
    }

    /**
     * Releases the lock, suspends until signalled, then takes the lock back and returns. The lock
     * is taken back even when the wait is cancelled, before the {@link CancellationException}
     * is thrown.
     *
     * @throws IllegalStateException if the lock is not held; outside a coroutine, or in a coroutine
     *     of another loop
     * @throws CancellationException if the task is cancelled; the lock is held again
     */
    public void await() {
        Driver d = binding.enter("AsyncCondition.await()");
        checkLocked("wait");
        await(d);
    }

    /**
     * Waits until {@code predicate} is true (asyncio's {@code wait_for}): checks it, and {@linkplain
     * #await() waits} for a signal while it is false. Returns at once, without releasing the lock,
     * if it is already true.
     *
     * @param predicate the condition waited for; called on the loop thread with the lock held, first
     *     at once and then after each wake-up. An exception it throws propagates, the lock held
     * @throws IllegalStateException if the lock is not held; outside a coroutine, or in a coroutine
     *     of another loop
     * @throws CancellationException if the task is cancelled; the lock is held again
     */
    public void awaitUntil(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        Driver d = binding.enter("AsyncCondition.awaitUntil()");
        checkLocked("wait");
        while (!predicate.getAsBoolean()) {
            await(d);
        }
    }

    private void await(Driver d) {
        lock.handOn();
        LoopFuture<Void> signalled = waiters.add(d);
        Throwable failure = null;
        try {
            d.await(signalled);
        } catch (FiberKilled killed) {
            throw killed;
        } catch (Throwable t) {
            failure = t;
            waiters.leave(signalled);
        }
        CancellationException cancelled = null;
        while (true) {
            try {
                lock.lock(d); // invariant 1: even when cancelled
                break;
            } catch (CancellationException e) {
                cancelled = e;
            }
        }
        if (failure == null && cancelled == null) {
            return;
        }
        if (signalled.isDone() && !signalled.isCancelled()) {
            waiters.wakeFirst(); // invariant 2
        }
        if (cancelled == null) {
            throw LoopFuture.rethrowable(failure);
        }
        if (failure != null && failure != cancelled) {
            cancelled.addSuppressed(failure);
        }
        throw cancelled;
    }

    /**
     * Wakes the first waiter, if any (asyncio's {@code notify()}). It returns from {@link #await()}
     * once it has the lock back, so after the caller releases it. Loop thread only.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiters, first come first (asyncio's {@code notify(n)}). Loop thread only.
     *
     * @param n the most waiters to wake; 0 or more (fewer are woken if fewer wait)
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the lock is not held
     */
    public void signal(int n) {
        binding.check("AsyncCondition.signal");
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        checkLocked("signal");
        waiters.wake(n);
    }

    /**
     * Wakes every waiter (asyncio's {@code notify_all()}). Loop thread only.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signalAll() {
        binding.check("AsyncCondition.signalAll");
        checkLocked("signal");
        waiters.wakeAll();
    }

    private void checkLocked(String what) {
        if (!lock.held()) {
            throw new IllegalStateException("Cannot " + what + " on an un-acquired lock: acquire() it first");
        }
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return "AsyncCondition[" + (lock.locked() ? "locked" : "unlocked") + (n > 0 ? ", waiters:" + n : "") + "]";
    }
}
