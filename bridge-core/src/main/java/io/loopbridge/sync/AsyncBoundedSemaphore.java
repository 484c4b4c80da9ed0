package io.loopbridge.sync;

/**
 * A semaphore that refuses to be released more often than it was acquired (asyncio's {@code
 * BoundedSemaphore}): {@link #release()} throws rather than raise the count above its initial
 * value, which catches a double release.
 */
public final class AsyncBoundedSemaphore extends AsyncSemaphore {
    private final int bound;

    /** A bounded semaphore with one permit. */
    public AsyncBoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code value} permits, never more.
     *
     * @param value the number of permits available at first, which is also the most there can be; 0
     *     or more
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public AsyncBoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back: the first waiter, if any, gets it. Loop thread only.
     *
     * @throws IllegalStateException if every permit is already available (released too many times)
     */
    @Override
    public void release() {
        checkOnLoop("AsyncBoundedSemaphore.release");
        if (availablePermits() >= bound) {
            throw new IllegalStateException("AsyncBoundedSemaphore released too many times (value " + bound + ")");
        }
        super.release();
    }
}
