package io.loopbridge.io;

import io.loopbridge.loop.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * The read end of a process pipe ({@link Process#getInputStream()}, blocking in the JDK): one thread
 * reads it and feeds a {@link StreamReader} through {@link EventLoop#callSoonThreadsafe}. The
 * reader's flow control reaches the thread: while reading is paused, it stops reading the pipe (and
 * the child blocks once the pipe is full, as with asyncio); at most two chunks are on their way to
 * the loop at any time. The thread ends at the end of the stream, or when the loop is closed.
 *
 * <p>Only the reading side of {@link Transport} is supported; writing methods throw {@link
 * UnsupportedOperationException}.
 */
final class PipeReadTransport implements Transport {
    private final EventLoop loop;
    private final InputStream in;
    private final StreamReader reader;
    private final BooleanSupplier childGone;
    /** The largest chunk read from the pipe at once. */
    static final int CHUNK = 64 * 1024;
    /**
     * Chunks read and not yet fed: the thread stops at {@code IN_FLIGHT}, so a pause takes effect
     * with at most that many chunks on their way, and the reader holds at most twice its limit plus
     * those.
     */
    private static final int IN_FLIGHT = 2;

    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final Object gate = new Object();
    private boolean paused; // guarded by gate
    private boolean closing; // guarded by gate

    /**
     * {@code childGone} tells whether the child has exited or is being destroyed: then a closed
     * stream is the end of the stream, not a failure.
     */
    PipeReadTransport(
            EventLoop loop, InputStream in, StreamReader reader, BooleanSupplier childGone, String threadName) {
        this.loop = loop;
        this.in = in;
        this.childGone = childGone;
        this.reader = reader;
        reader.setTransport(this);
        Thread t = new Thread(this::pump, threadName);
        t.setDaemon(true);
        t.start();
    }

    private void pump() {
        byte[] buf = new byte[CHUNK];
        int failures = 0;
        try (InputStream stream = in) {
            while (true) {
                inFlight.acquire();
                synchronized (gate) {
                    while (paused) {
                        gate.wait();
                    }
                }
                int n;
                try {
                    n = stream.read(buf);
                } catch (IOException e) {
                    if (!childGone.getAsBoolean()) {
                        throw e;
                    }
                    // The JDK closes a child's streams when it is destroyed, and when it exits swaps
                    // in what was left in the pipe: read again, and give up (end of stream) only
                    // if the stream stays closed.
                    inFlight.release();
                    if (++failures < 3) {
                        continue;
                    }
                    n = -1;
                }
                if (n < 0) {
                    post(reader::feedEof);
                    return;
                }
                byte[] chunk = Arrays.copyOf(buf, n);
                if (!post(() -> {
                    reader.feedData(chunk); // may pause reading before the next chunk is read
                    inFlight.release();
                })) {
                    return;
                }
            }
        } catch (IOException e) {
            post(() -> reader.setException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands {@code r} to the loop; false if the loop is closed (then the thread ends). */
    private boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (IllegalStateException closedLoop) {
            return false;
        }
    }

    @Override
    public void pauseReading() {
        synchronized (gate) {
            paused = !closing;
        }
    }

    @Override
    public void resumeReading() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    @Override
    public boolean isReading() {
        synchronized (gate) {
            return !paused && !closing;
        }
    }

    /** Lifts a pause for good: the thread reads the pipe to its end, so the child never blocks on it. */
    @Override
    public void close() {
        synchronized (gate) {
            closing = true;
        }
        resumeReading();
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isClosing() {
        synchronized (gate) {
            return closing;
        }
    }

    @Override
    public void write(byte[] data) {
        throw new UnsupportedOperationException("a read pipe cannot be written");
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        throw new UnsupportedOperationException("a read pipe cannot be written");
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("a read pipe cannot be written");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public long getWriteBufferSize() {
        return 0;
    }

    @Override
    public long getWriteBufferHighWaterMark() {
        return 0;
    }

    @Override
    public long getWriteBufferLowWaterMark() {
        return 0;
    }

    @Override
    public void setWriteBufferLimits(long high, long low) {
        throw new UnsupportedOperationException("a read pipe cannot be written");
    }

    @Override
    public Object getExtraInfo(String name) {
        return null;
    }

    @Override
    public Protocol getProtocol() {
        return null;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        throw new UnsupportedOperationException("a read pipe feeds a StreamReader, not a protocol");
    }
}
