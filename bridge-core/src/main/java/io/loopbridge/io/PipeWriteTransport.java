package io.loopbridge.io;

import io.loopbridge.loop.EventLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The write end of a process pipe ({@link Process#getOutputStream()}, which the JDK offers only as
 * a blocking stream): writes are queued on the loop and written by one thread, which reports each
 * chunk written back through {@link EventLoop#callSoonThreadsafe}, so the buffer size and the
 * water marks are kept on the loop as for a socket. Closing (or {@code writeEof}) ends the stream
 * after what is queued; the thread ends with it.
 */
final class PipeWriteTransport implements Transport {
    private static final byte[] END = new byte[0];

    private final EventLoop loop;
    private final OutputStream out;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private Protocol protocol;
    private long bufferSize;
    private long high = 64 * 1024;
    private long low = 16 * 1024;
    private boolean protocolPaused;
    private boolean closing;
    private boolean lost;

    PipeWriteTransport(EventLoop loop, OutputStream out, Protocol protocol, String threadName) {
        this.loop = loop;
        this.out = out;
        this.protocol = protocol;
        Thread t = new Thread(this::pump, threadName);
        t.setDaemon(true);
        t.start();
        protocol.connectionMade(this);
    }

    /**
     * The child exited: the thread writes what is queued (which fails, the pipe being broken) and
     * ends. Any thread; the loop may be closed already.
     */
    void childExited() {
        queue.add(END);
    }

    /** The pipe's thread: writes what the loop queued, in order, until the end marker or a failure. */
    private void pump() {
        try {
            while (true) {
                byte[] chunk = queue.take();
                if (chunk == END) {
                    break;
                }
                out.write(chunk);
                out.flush();
                post(() -> written(chunk.length));
            }
            out.close();
            post(() -> lost(null));
        } catch (IOException e) {
            closeQuietly();
            post(() -> lost(e));
        } catch (InterruptedException e) {
            closeQuietly();
        }
    }

    private void post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (IllegalStateException closedLoop) {
            // nobody is left to tell
        }
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the pipe is gone either way
        }
    }

    private void written(int n) {
        bufferSize -= n;
        if (protocolPaused && bufferSize <= low) {
            protocolPaused = false;
            protocol.resumeWriting();
        }
    }

    private void lost(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        bufferSize = 0;
        protocol.connectionLost(cause);
    }

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        loop.checkOwner("write");
        if (length == 0 || closing) {
            return;
        }
        queue.add(Arrays.copyOfRange(data, offset, offset + length));
        bufferSize += length;
        if (bufferSize > high && !protocolPaused) {
            protocolPaused = true;
            protocol.pauseWriting();
        }
    }

    /** A pipe has no half-close: the end of the stream is the close of the pipe. */
    @Override
    public void writeEof() {
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void close() {
        loop.checkOwner("close");
        if (closing) {
            return;
        }
        closing = true;
        queue.add(END);
    }

    @Override
    public void abort() {
        loop.checkOwner("abort");
        if (lost) {
            return;
        }
        closing = true;
        queue.clear();
        queue.add(END);
        bufferSize = 0;
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        throw new UnsupportedOperationException("a write pipe does not read");
    }

    @Override
    public void resumeReading() {
        throw new UnsupportedOperationException("a write pipe does not read");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public long getWriteBufferSize() {
        return bufferSize;
    }

    @Override
    public long getWriteBufferHighWaterMark() {
        return high;
    }

    @Override
    public long getWriteBufferLowWaterMark() {
        return low;
    }

    @Override
    public void setWriteBufferLimits(long high, long low) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        this.high = high;
        this.low = low;
    }

    @Override
    public Object getExtraInfo(String name) {
        return null;
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public String toString() {
        return "PipeWriteTransport[" + (lost ? "closed" : closing ? "closing" : "open") + " buffered=" + bufferSize
                + "]";
    }
}
