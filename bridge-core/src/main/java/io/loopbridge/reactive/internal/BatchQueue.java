package io.loopbridge.reactive.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * An unbounded single-producer single-consumer queue whose items reach the consumer in batches:
 * a {@link #push}ed item stays invisible until the producer calls {@link #publish}. A consumer on
 * another CPU that saw each item as it was offered would take the cache lines of the slots, the
 * index and the producer's signal back and forth once per item; in batches, once per batch (issue
 * 6: ≈ 50 → 14 ns/item across two vCPUs). Chunks of {@value #CHUNK} slots are reused while the
 * consumer keeps up and linked to a new one when it does not. The producer and the consumer may
 * each change threads between calls ordered by happens-before. A bridge may subclass it as the
 * fused subscription itself, so that the drainer's poll reads no object the producer writes. Not API.
 */
public class BatchQueue<T> extends BatchQueueConsumer {
    static final int CHUNK = 256;
    private static final int MASK = CHUNK - 1;
    /** How far ahead the producer checks for free slots, so it reads the consumer's stores rarely. */
    private static final int LOOK_AHEAD = CHUNK / 4;
    /** In a full chunk's slot: the items go on in the next chunk, linked from its last slot. */
    private static final Object JUMP = new Object();

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle PUBLISHED;
    private static final VarHandle CLEARING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PUBLISHED = l.findVarHandle(BatchQueuePublished.class, "published", long.class);
            CLEARING = l.findVarHandle(BatchQueueConsumer.class, "clearing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public BatchQueue() {
        Object[] chunk = new Object[CHUNK + 1];
        pChunk = chunk;
        pPublishedChunk = chunk;
        cChunk = chunk;
        pFree = CHUNK - 1;
    }

    /** Adds {@code item} (non-null), unseen by the consumer until {@link #publish}. Producer only. */
    public final void push(T item) {
        Object[] chunk = pChunk;
        long i = pIndex;
        int at = (int) i & MASK;
        if (i >= pFree) {
            // the slot at pFree is always free: it takes the JUMP when the chunk is full
            long ahead = i + LOOK_AHEAD;
            if (SLOTS.getAcquire(chunk, (int) ahead & MASK) == null) {
                pFree = ahead; // the consumer frees in order: every slot up to there is free
            } else if (SLOTS.getAcquire(chunk, (int) (i + 1) & MASK) == null) {
                pFree = i + 1;
            } else {
                Object[] next = new Object[CHUNK + 1];
                chunk[CHUNK] = next;
                chunk[at] = JUMP; // both published by the release in publish()
                pChunk = chunk = next;
                pFree = i + CHUNK - 1;
            }
        }
        chunk[at] = item;
        pIndex = i + 1;
    }

    /** Makes every offered item visible to the consumer; whether there were new ones. Producer only. */
    public final boolean publish() {
        long i = pIndex;
        if (i == pPublished) {
            return false;
        }
        pPublished = i;
        pPublishedChunk = pChunk;
        PUBLISHED.setRelease(this, i);
        return true;
    }

    /** Items offered and not published yet. Producer only. */
    public final int unpublished() {
        return (int) (pIndex - pPublished);
    }

    /**
     * Hands the offered items not published yet to {@code discard}; the consumer never sees them.
     * Producer only, and its last call: the queue takes no more items.
     */
    @SuppressWarnings("unchecked")
    public final void discardUnpublished(Consumer<? super T> discard) {
        Object[] chunk = pPublishedChunk;
        for (long i = pPublished; i < pIndex; i++) {
            int at = (int) i & MASK;
            Object item = chunk[at];
            if (item == JUMP) {
                chunk = (Object[]) chunk[CHUNK];
                item = chunk[at];
            }
            discard.accept((T) item);
        }
        pIndex = pPublished;
    }

    /** The oldest published item, or {@code null} if none is left (or the queue was cleared). Consumer only. */
    @SuppressWarnings("unchecked")
    public T poll() {
        long i = cIndex;
        if (cleared) {
            return null;
        }
        if (i == cLimit) {
            long p = (long) PUBLISHED.getAcquire(this);
            if (i == p) {
                return null;
            }
            cLimit = p;
        }
        return take(i);
    }

    /** Takes the published item at index {@code i}, the consumer's next. */
    @SuppressWarnings("unchecked")
    private T take(long i) {
        Object[] chunk = cChunk;
        int at = (int) i & MASK;
        Object item = chunk[at]; // ordered after the acquire of published that let us read it
        if (item == JUMP) {
            chunk = (Object[]) chunk[CHUNK];
            cChunk = chunk;
            item = chunk[at];
        }
        SLOTS.setRelease(chunk, at, null); // the slot is the producer's again
        cIndex = i + 1;
        return (T) item;
    }

    /** Whether {@link #poll()} would return null now. Consumer only. */
    public boolean isEmpty() {
        return cleared || cIndex == (long) PUBLISHED.getAcquire(this);
    }

    /** How many published items are left. Consumer only. */
    public int size() {
        return cleared ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) PUBLISHED.getAcquire(this) - cIndex);
    }

    /**
     * Hands every published item left to {@code discard}, and makes later polls return null. May be
     * called while the consumer polls (Reactor clears a cancelled queue from the thread that sends
     * the next signal): concurrent clears drain once, and a poll already past its check may still
     * return the item a clear hands to {@code discard}, which its caller then discards as cancelled
     * (Reactor's own fused queues share this window).
     */
    public final void clear(Consumer<? super T> discard) {
        cleared = true;
        if ((int) CLEARING.getAndAdd(this, 1) != 0) {
            return;
        }
        int missed = 1;
        while (true) {
            T item;
            while ((item = drainOne()) != null) {
                discard.accept(item);
            }
            missed = (int) CLEARING.getAndAdd(this, -missed) - missed;
            if (missed == 0) {
                return;
            }
        }
    }

    /** {@link #poll()} without the cleared check. */
    private T drainOne() {
        long i = cIndex;
        long p = (long) PUBLISHED.getAcquire(this);
        if (i == p) {
            return null;
        }
        cLimit = p;
        return take(i);
    }
}

/** Keeps the producer's fields off the cache line of the object header and of the fields before them. */
abstract class BatchQueuePad0 {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07;
}

/** The producer's fields: the loop's. */
abstract class BatchQueueProducer extends BatchQueuePad0 {
    Object[] pChunk;
    /** The chunk holding the first item not published yet. */
    Object[] pPublishedChunk;

    long pIndex;
    /** The slots up to this index are known to be free in {@link #pChunk}; only the last may take a JUMP. */
    long pFree;
    /** The producer's copy of the published index. */
    long pPublished;
}

abstract class BatchQueuePad1 extends BatchQueueProducer {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The one field both sides touch in a batch: written once per batch, read when the consumer runs out. */
abstract class BatchQueuePublished extends BatchQueuePad1 {
    volatile long published;
}

abstract class BatchQueuePad2 extends BatchQueuePublished {
    long p20, p21, p22, p23, p24, p25, p26, p27;
}

/** The consumer's fields: the draining thread's. */
abstract class BatchQueueConsumer extends BatchQueuePad2 {
    Object[] cChunk;
    long cIndex;
    /** The published index the consumer last read: it reads the shared one only when it gets here. */
    long cLimit;

    volatile boolean cleared;
    volatile int clearing;
    long p30, p31, p32, p33, p34, p35, p36, p37;
}
