package io.loopbridge.reactive.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer ring of non-null items. The producer may change
 * threads between calls when those calls are ordered by happens-before (Reactive Streams §1.3
 * guarantees that for {@code onNext}); likewise the consumer. Not API.
 */
public final class SpscArrayQueue<T> {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Object[] slots;
    private final int mask;
    private long producerIndex;
    private long consumerIndex;

    /** A queue holding at least {@code capacity} items (rounded up to a power of two). */
    public SpscArrayQueue(int capacity) {
        int size = 1 << (32 - Integer.numberOfLeadingZeros(Math.max(2, capacity) - 1));
        this.slots = new Object[size];
        this.mask = size - 1;
    }

    /** Adds {@code item}; {@code false} if the queue is full. Producer only. */
    public boolean offer(T item) {
        int i = (int) producerIndex & mask;
        if (SLOTS.getAcquire(slots, i) != null) {
            return false;
        }
        SLOTS.setRelease(slots, i, item);
        producerIndex++;
        return true;
    }

    /** Removes the oldest item, or returns {@code null} if there is none. Consumer only. */
    @SuppressWarnings("unchecked")
    public T poll() {
        int i = (int) consumerIndex & mask;
        Object item = SLOTS.getAcquire(slots, i);
        if (item == null) {
            return null;
        }
        SLOTS.setRelease(slots, i, null);
        consumerIndex++;
        return (T) item;
    }

    /** Whether the next {@link #poll()} would return null. Consumer only. */
    public boolean isEmpty() {
        return SLOTS.getAcquire(slots, (int) consumerIndex & mask) == null;
    }

    /** Drops every item. Consumer only, when the producer is known to be finished. */
    public void clear() {
        while (poll() != null) {
            // drain
        }
    }
}
