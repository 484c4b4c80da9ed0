package io.loopbridge.sync;

import io.loopbridge.task.internal.Driver;

/**
 * A flag coroutines can wait for (asyncio's {@code Event}): {@link #await()} suspends until
 * {@link #set()} raises the flag, and returns at once while it is raised; {@link #clear()} lowers it.
 * Every waiter is woken by {@link #set()}, even if the flag is cleared again before it runs.
 *
 * <pre>{@code
 * AsyncEvent ready = new AsyncEvent();
 * Async.createTask(() -> { ready.await(); return consume(); });
 * ...
 * ready.set();
 * }</pre>
 *
 * <p>asyncio's {@code wait()} is named {@code await()} here, as in {@code CountDownLatch}: {@code
 * Object.wait()} is final.
 */
public final class AsyncEvent {
    private final BoundLoop binding = new BoundLoop(this);
    private final WaitQueue waiters = new WaitQueue();
    private boolean set;

    /** An event whose flag is not set. */
    public AsyncEvent() {}

    /**
     * Suspends until the flag is set; returns at once if it is.
     *
     * @throws IllegalStateException outside a coroutine, or in a coroutine of another loop
     * @throws java.util.concurrent.CancellationException if the task is cancelled while waiting
     */
    public void await() {
        Driver d = binding.enter("AsyncEvent.await()");
        if (!set) {
            waiters.await(d);
        }
    }

    /** Sets the flag and wakes every waiter; does nothing if it is set. Loop thread only. */
    public void set() {
        binding.check("AsyncEvent.set");
        if (!set) {
            set = true;
            waiters.wakeAll();
        }
    }

    /** Clears the flag: coroutines that call {@link #await()} from now on suspend. Loop thread only. */
    public void clear() {
        binding.check("AsyncEvent.clear");
        set = false;
    }

    /** {@return whether the flag is set, so that {@link #await()} returns at once} */
    public boolean isSet() {
        return set;
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return "AsyncEvent[" + (set ? "set" : "unset") + (n > 0 ? ", waiters:" + n : "") + "]";
    }
}
