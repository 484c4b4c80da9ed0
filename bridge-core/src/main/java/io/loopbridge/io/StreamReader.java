package io.loopbridge.io;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.io.internal.Endpoints;
import io.loopbridge.task.internal.Driver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reading half of a stream connection (asyncio's {@code StreamReader}): bytes fed by the
 * connection's protocol are buffered here and read by one coroutine at a time.
 *
 * <p>Reads suspend until the data they need has arrived; they must be called inside a coroutine
 * of the connection's loop. A failure of the connection (a reset, say) is thrown by every read from
 * then on, as the {@link IOException} the transport met. At most one coroutine may wait for data at
 * a time; a second one gets {@link IllegalStateException}.
 *
 * <p>Flow control: while more than twice {@link #limit()} bytes are buffered, the transport stops
 * reading from the socket; it reads again when the buffer is down to {@link #limit()}. So a slow
 * reader keeps the memory of a connection bounded, and the sender's {@code drain()} suspends.
 *
 * <p>The {@code feed*} and {@code set*} methods are for whatever fills the reader (the protocol of
 * a connection, a subprocess pipe, a test); they are called on the reader's loop.
 */
public final class StreamReader {
    /** The default {@link #limit()}: 64 KiB, as asyncio's. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};

    private final int limit;
    private byte[] buf = EMPTY;
    /** The buffered bytes are {@code buf[start, end)}. */
    private int start;

    private int end;
    private boolean eof;
    private Throwable exception;
    private LoopFuture<Void> waiter;
    private Transport transport;
    private boolean paused;

    /** A reader with the default limit of 64 KiB. */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * A reader whose {@link #readline} and {@link #readuntil} accept chunks up to {@code limit}
     * bytes (plus the separator).
     *
     * @param limit the largest chunk, in bytes, that {@link #readline} and {@link #readuntil}
     *     accept; at least 1
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public StreamReader(int limit) {
        this.limit = checkLimit(limit);
    }

    static int checkLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return limit;
    }

    /**
     * The longest line {@link #readline} accepts, without its newline.
     *
     * @return the limit in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * The failure that ended the stream, or {@code null}.
     *
     * @return the error given to {@link #setException}, or null if there was none
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * Whether the stream ended and everything buffered has been read.
     *
     * @return true once {@link #feedEof} was called and the buffer is empty
     */
    public boolean atEof() {
        return eof && size() == 0;
    }

    /**
     * Bytes buffered and not read yet.
     *
     * @return the number of buffered bytes
     */
    public int buffered() {
        return size();
    }

    // ---------------------------------------------------------------- feeding

    /**
     * Sets the transport whose reading is paused while the buffer is over twice the limit.
     *
     * @param transport the transport that feeds this reader; must not be null
     * @throws IllegalStateException if a transport is already set
     */
    public void setTransport(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        if (this.transport != null) {
            throw new IllegalStateException("Transport already set: " + this.transport);
        }
        this.transport = transport;
    }

    /**
     * Appends {@code data} to the buffer and wakes the waiting reader.
     *
     * @param data the bytes to append; must not be null. An empty array changes nothing
     */
    public void feedData(byte[] data) {
        feedData(data, 0, data.length);
    }

    /**
     * Appends {@code length} bytes of {@code data} from {@code offset} and wakes the waiting reader.
     *
     * @param data the array holding the bytes; must not be null
     * @param offset the index of the first byte to append
     * @param length the number of bytes to append; {@code offset + length} must not exceed {@code
     *     data.length}
     * @throws IllegalStateException after {@link #feedEof}
     */
    public void feedData(byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        if (eof) {
            throw new IllegalStateException("feedData() after feedEof()");
        }
        if (length == 0) {
            return;
        }
        append(data, offset, length);
        afterFeed();
    }

    /** {@link #feedData(byte[])} from the remaining bytes of {@code data}, which it consumes (the socket transport's read buffer). */
    void feedData(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("feedData() after feedEof()");
        }
        int length = data.remaining();
        if (length == 0) {
            return;
        }
        makeRoom(length);
        data.get(buf, end, length);
        end += length;
        afterFeed();
    }

    private void afterFeed() {
        wakeUpWaiter();
        if (transport != null && !paused && size() > 2L * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (UnsupportedOperationException e) {
                // a transport that cannot pause: the buffer grows, as asyncio does
                transport = null;
            }
        }
    }

    /** Marks the end of the stream and wakes the waiting reader. */
    public void feedEof() {
        eof = true;
        wakeUpWaiter();
    }

    /**
     * Ends the stream with {@code error}: every read throws it from now on, the waiting one first.
     *
     * @param error the failure to report to the readers (must not be null), such as the {@link
     *     IOException} that broke the connection
     */
    public void setException(Throwable error) {
        Objects.requireNonNull(error, "error");
        exception = error;
        LoopFuture<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isDone()) {
                w.setException(error);
            }
        }
    }

    private void wakeUpWaiter() {
        LoopFuture<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads one line, up to and including {@code '\n'}; at the end of the stream, what is left (maybe
     * a last line without a newline), then empty arrays.
     *
     * @return the line with its {@code '\n'}, or the last bytes without one at the end of the
     *     stream; an empty array once the stream is exhausted
     * @throws LimitOverrunException if the line is longer than {@link #limit()}; the line is dropped
     *     from the buffer, up to its newline if it has arrived, so the reader stays usable
     * @throws IOException if the connection failed
     */
    public byte[] readline() throws IOException {
        try {
            return readuntil(NEWLINE);
        } catch (IncompleteReadException e) {
            return e.partial();
        } catch (LimitOverrunException e) {
            if (startsWith(NEWLINE, e.consumed())) {
                consume(e.consumed() + NEWLINE.length);
            } else {
                consume(size());
            }
            maybeResumeTransport();
            throw e;
        }
    }

    /**
     * Reads up to and including {@code separator}.
     *
     * @param separator the byte sequence to look for; must not be empty
     * @return the bytes read, ending with {@code separator}
     * @throws IncompleteReadException if the stream ends first; it carries what was buffered, which
     *     is no longer in the reader
     * @throws LimitOverrunException if the chunk before the separator is longer than {@link #limit()}
     *     or no separator is found within it; the buffer is left as it was
     * @throws IOException if the connection failed
     * @throws IllegalArgumentException if {@code separator} is empty
     */
    public byte[] readuntil(byte[] separator) throws IOException {
        Objects.requireNonNull(separator, "separator");
        int seplen = separator.length;
        if (seplen == 0) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        raiseIfFailed();
        int offset = 0;
        int isep;
        while (true) {
            int buflen = size();
            if (buflen - offset >= seplen) {
                isep = indexOf(separator, offset);
                if (isep != -1) {
                    break;
                }
                // the separator may start in the last seplen - 1 bytes: search again from there
                offset = buflen + 1 - seplen;
                if (offset > limit) {
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                throw new IncompleteReadException(take(size()), -1);
            }
            waitForData("readuntil", "StreamReader.readuntil()");
        }
        if (isep > limit) {
            throw new LimitOverrunException("Separator is found, but chunk is longer than limit", isep);
        }
        byte[] chunk = take(isep + seplen);
        maybeResumeTransport();
        return chunk;
    }

    /**
     * Reads up to {@code n} bytes: what is buffered (waiting for some if nothing is), an empty array
     * at the end of the stream. A negative {@code n} reads until the end of the stream.
     *
     * @param n the most bytes to return; 0 returns an empty array at once, a negative value reads
     *     until the end of the stream
     * @return the bytes read; empty only at the end of the stream (or for {@code n == 0})
     * @throws IOException if the connection failed
     */
    public byte[] read(int n) throws IOException {
        raiseIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        if (n < 0) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                byte[] block = read(limit);
                if (block.length == 0) {
                    return all.toByteArray();
                }
                all.write(block, 0, block.length);
            }
        }
        if (size() == 0 && !eof) {
            waitForData("read", "StreamReader.read()");
        }
        byte[] data = take(Math.min(n, size()));
        maybeResumeTransport();
        return data;
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n the number of bytes to read; 0 returns an empty array at once
     * @return an array of exactly {@code n} bytes
     * @throws IncompleteReadException if the stream ends first; it carries what was buffered, which
     *     is no longer in the reader
     * @throws IOException if the connection failed
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public byte[] readexactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size can not be less than zero: " + n);
        }
        raiseIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        while (size() < n) {
            if (eof) {
                throw new IncompleteReadException(take(size()), n);
            }
            waitForData("readexactly", "StreamReader.readexactly()");
        }
        byte[] data = take(n);
        maybeResumeTransport();
        return data;
    }

    /**
     * Suspends until data, the end of the stream or a failure arrives. {@code call} is {@code
     * method} as the messages name it, a constant: no string is built per wait.
     */
    private void waitForData(String method, String call) throws IOException {
        if (waiter != null) {
            throw new IllegalStateException(
                    method + "() called while another coroutine is already waiting for incoming data");
        }
        Driver d = Driver.current(call);
        if (paused) {
            // the reader wants more than the paused transport gave: read again (asyncio does the same)
            paused = false;
            transport.resumeReading();
        }
        LoopFuture<Void> w = d.loop().createFuture();
        waiter = w;
        try {
            Endpoints.awaitIo(w);
        } finally {
            if (waiter == w) {
                waiter = null;
            }
        }
    }

    private void raiseIfFailed() throws IOException {
        Throwable e = exception;
        if (e == null) {
            return;
        }
        if (e instanceof IOException) {
            throw (IOException) e;
        }
        if (e instanceof RuntimeException) {
            throw (RuntimeException) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        throw new IOException(e);
    }

    private void maybeResumeTransport() {
        if (paused && size() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    // ---------------------------------------------------------------- the buffer

    private int size() {
        return end - start;
    }

    private void append(byte[] data, int offset, int length) {
        makeRoom(length);
        System.arraycopy(data, offset, buf, end, length);
        end += length;
    }

    /** Makes room for {@code length} more bytes after {@code end}. */
    private void makeRoom(int length) {
        int size = size();
        if (buf.length - end < length) {
            if (size + length <= buf.length && start >= buf.length / 2) {
                System.arraycopy(buf, start, buf, 0, size);
            } else {
                long wanted = Math.max(Math.max(256, 2L * buf.length), (long) size + length);
                byte[] bigger = new byte[(int) Math.min(wanted, Integer.MAX_VALUE - 8)];
                System.arraycopy(buf, start, bigger, 0, size);
                buf = bigger;
            }
            start = 0;
            end = size;
        }
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        consume(n);
        return out;
    }

    private void consume(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
            if (buf.length > 4 * limit) {
                buf = EMPTY; // do not keep a buffer that a burst grew
            }
        }
    }

    /** The offset (from {@code start}) of the first {@code sep} at or after {@code from}, or -1. */
    private int indexOf(byte[] sep, int from) {
        int last = end - sep.length;
        byte first = sep[0];
        for (int i = start + from; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            int j = 1;
            while (j < sep.length && buf[i + j] == sep[j]) {
                j++;
            }
            if (j == sep.length) {
                return i - start;
            }
        }
        return -1;
    }

    private boolean startsWith(byte[] sep, int at) {
        if (size() - at < sep.length) {
            return false;
        }
        for (int j = 0; j < sep.length; j++) {
            if (buf[start + at + j] != sep[j]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StreamReader[");
        sb.append(size()).append(" bytes");
        if (eof) {
            sb.append(" eof");
        }
        if (limit != DEFAULT_LIMIT) {
            sb.append(" limit=").append(limit);
        }
        if (waiter != null) {
            sb.append(" waiter");
        }
        if (exception != null) {
            sb.append(" exception=").append(exception);
        }
        if (paused) {
            sb.append(" paused");
        }
        return sb.append(']').toString();
    }
}
