package io.loopbridge.sync;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * An {@link AsyncQueue} that hands out the item put last first (asyncio's {@code LifoQueue}).
 *
 * @param <T> the type of the items
 */
public final class AsyncLifoQueue<T> extends AsyncQueue<T> {
    /** An unbounded LIFO queue. */
    public AsyncLifoQueue() {
        this(0);
    }

    /**
     * A LIFO queue of at most {@code maxsize} items; 0 for no limit.
     *
     * @param maxsize the most items the queue holds before {@link #put} suspends; 0 for no limit
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public AsyncLifoQueue(int maxsize) {
        super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
    }
}
