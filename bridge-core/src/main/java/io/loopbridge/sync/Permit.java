package io.loopbridge.sync;

/**
 * What {@code acquire()} of an {@link AsyncLock}, {@link AsyncSemaphore} or {@link AsyncCondition}
 * returns: closing it releases what was acquired, so a try-with-resources block holds the lock for
 * exactly its body, however the body ends (asyncio's {@code async with lock:}).
 *
 * <pre>{@code
 * try (Permit held = lock.acquire()) {
 *     // only one coroutine at a time runs here
 * }
 * }</pre>
 *
 * <p>Closing a permit a second time does nothing: it releases once. Loop thread only, like the
 * primitive it came from.
 */
public final class Permit implements AutoCloseable {
    private final Runnable release;
    private boolean released;

    Permit(Runnable release) {
        this.release = release;
    }

    /**
     * Releases what {@code acquire()} acquired, unless this permit already did.
     *
     * @throws IllegalStateException if the primitive refuses the release (the lock was already
     *     released by an explicit {@code release()}, for instance)
     */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        release.run();
    }

    @Override
    public String toString() {
        return released ? "Permit[released]" : "Permit[held]";
    }
}
