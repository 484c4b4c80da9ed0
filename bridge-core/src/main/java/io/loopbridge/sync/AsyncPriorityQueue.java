package io.loopbridge.sync;

import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * An {@link AsyncQueue} that hands out the least item first, by natural order or a {@link
 * Comparator} (asyncio's {@code PriorityQueue}). Items that compare equal come out in no particular
 * order; to keep them in arrival order, compare a sequence number last.
 *
 * <pre>{@code
 * AsyncPriorityQueue<Job> jobs = new AsyncPriorityQueue<>(Comparator.comparingInt(Job::priority));
 * }</pre>
 *
 * @param <T> the type of the items
 */
public final class AsyncPriorityQueue<T> extends AsyncQueue<T> {
    /**
     * An unbounded queue in the items' natural order: putting an item that is not {@link
     * Comparable} throws {@link ClassCastException}.
     */
    public AsyncPriorityQueue() {
        this(0);
    }

    /**
     * A queue of at most {@code maxsize} items (0 for no limit) in the items' natural order.
     *
     * @param maxsize the most items the queue holds before {@link #put} suspends; 0 for no limit
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public AsyncPriorityQueue(int maxsize) {
        super(maxsize, new PriorityQueue<>());
    }

    /**
     * An unbounded queue in the order of {@code comparator}.
     *
     * @param comparator orders the items, least first; not null
     * @throws NullPointerException if {@code comparator} is null
     */
    public AsyncPriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /**
     * A queue of at most {@code maxsize} items (0 for no limit) in the order of {@code comparator}.
     *
     * @param maxsize the most items the queue holds before {@link #put} suspends; 0 for no limit
     * @param comparator orders the items, least first; not null
     * @throws NullPointerException if {@code comparator} is null
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public AsyncPriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, new PriorityQueue<>(Objects.requireNonNull(comparator, "comparator")));
    }
}
