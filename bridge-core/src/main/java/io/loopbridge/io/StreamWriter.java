package io.loopbridge.io;

import io.loopbridge.Async;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The writing half of a stream connection (asyncio's {@code StreamWriter}): writes are buffered by
 * the transport and never block; {@link #drain} is where a writer waits for a slow peer.
 *
 * <p>The usual pattern: {@code writer.write(data); writer.drain();} and at the end {@code
 * writer.close(); writer.waitClosed();}. Methods must be called on the connection's loop; {@link
 * #drain} and {@link #waitClosed} suspend and must be called inside a coroutine.
 */
public final class StreamWriter implements AutoCloseable {
    private final Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;

    StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    /**
     * The transport underneath.
     *
     * @return the transport this writer writes to; never null
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Buffers {@code data} for sending ({@link Transport#write(byte[])}); the array may be reused at once.
     *
     * @param data the bytes to send
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Buffers {@code length} bytes of {@code data} from {@code offset}.
     *
     * @param data the array holding the bytes to send; it may be reused once the call returns
     * @param offset the index of the first byte to send
     * @param length the number of bytes to send
     */
    public void write(byte[] data, int offset, int length) {
        transport.write(data, offset, length);
    }

    /**
     * Buffers each array in turn.
     *
     * @param data the arrays to send, in order
     */
    public void writelines(List<byte[]> data) {
        transport.writelines(data);
    }

    /** Closes the writing side once the buffered data is sent; see {@link Transport#writeEof}. */
    public void writeEof() {
        transport.writeEof();
    }

    /**
     * Whether {@link #writeEof} is supported (not over TLS).
     *
     * @return false over TLS, true otherwise
     */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /**
     * Suspends while the transport's write buffer is over its high water mark, until it drains to
     * the low one; returns at once otherwise.
     *
     * @throws IOException if the connection failed or was lost
     */
    public void drain() throws IOException {
        Throwable failed = reader == null ? null : reader.exception();
        if (failed instanceof IOException) {
            throw (IOException) failed;
        } else if (failed != null) {
            throw new IOException(failed);
        }
        if (transport.isClosing()) {
            // let connectionLost run, so the wait below sees the connection lost and throws
            Async.sleep(Duration.ZERO);
        }
        protocol.drainHelper();
    }

    /** Closes the connection after sending what is buffered ({@link Transport#close}). */
    @Override
    public void close() {
        transport.close();
    }

    /**
     * Whether the connection is closed or closing.
     *
     * @return true once the writer or transport was closed or the connection was lost
     */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Suspends until the connection is closed.
     *
     * @throws IOException the error that ended the connection, if one did
     */
    public void waitClosed() throws IOException {
        protocol.waitClosed();
    }

    /**
     * {@link Transport#getExtraInfo}: {@code "peername"}, {@code "sockname"}, TLS details.
     *
     * @param name the key, such as {@code "peername"}
     * @return the value, or null if the key is unknown or does not apply
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    @Override
    public String toString() {
        return "StreamWriter[" + transport + "]";
    }
}
