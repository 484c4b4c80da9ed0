package io.loopbridge.io.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.BiConsumer;

/**
 * The write buffer of a socket or datagram transport: what the socket did not take yet, in order,
 * with its size in bytes and the water marks that pause and resume the protocol (asyncio's {@code
 * _FlowControlMixin}). Loop-owned, like its transport.
 *
 * <p>Invariant: {@code paused} is true between a {@code pauseWriting} and the next {@code
 * resumeWriting}: set when the size goes over {@code high}, cleared when it is back to {@code low}
 * or below.
 *
 * @param <E> what is queued: a buffer, or a datagram with its address
 */
final class WriteBuffer<E> implements Iterable<E> {
    static final long DEFAULT_HIGH_WATER = 64 * 1024;

    private final ArrayDeque<E> items = new ArrayDeque<>();
    private final Runnable pauseWriting;
    private final Runnable resumeWriting;
    /** Receives a failure of the protocol's pause or resume with a message saying which. */
    private final BiConsumer<String, Throwable> report;

    private long size;
    private long high = DEFAULT_HIGH_WATER;
    private long low = DEFAULT_HIGH_WATER / 4;
    private boolean paused;

    WriteBuffer(Runnable pauseWriting, Runnable resumeWriting, BiConsumer<String, Throwable> report) {
        this.pauseWriting = pauseWriting;
        this.resumeWriting = resumeWriting;
        this.report = report;
    }

    /** Queues {@code item} of {@code bytes} bytes, pausing the protocol if that crosses the high mark. */
    void add(E item, long bytes) {
        items.addLast(item);
        size += bytes;
        maybePause();
    }

    E peek() {
        return items.peekFirst();
    }

    /** Removes the first item; its bytes are counted off by {@link #sent}. */
    E poll() {
        return items.pollFirst();
    }

    /** {@code bytes} bytes left the buffer; resumes the protocol if that reaches the low mark. */
    void sent(long bytes) {
        size -= bytes;
        maybeResume();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    int count() {
        return items.size();
    }

    long size() {
        return size;
    }

    /** Drops everything (the connection is lost); the protocol stays as it is, as asyncio's. */
    void clear() {
        items.clear();
        size = 0;
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }

    void setLimits(long high, long low) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        this.high = high;
        this.low = low;
        maybePause();
    }

    @Override
    public Iterator<E> iterator() {
        return items.iterator();
    }

    private void maybePause() {
        if (size <= high || paused) {
            return;
        }
        paused = true;
        call(pauseWriting, "protocol.pauseWriting() failed");
    }

    private void maybeResume() {
        if (!paused || size > low) {
            return;
        }
        paused = false;
        call(resumeWriting, "protocol.resumeWriting() failed");
    }

    private void call(Runnable r, String failure) {
        try {
            r.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            report.accept(failure, e);
        }
    }
}
