package io.loopbridge.io;

import java.util.List;

/**
 * A stream connection as its {@link Protocol} sees it (asyncio's {@code Transport}): writes are
 * buffered and never block, reading can be paused, closing flushes.
 *
 * <p>Every method must be called on the transport's loop (a callback or a coroutine of that loop).
 */
public interface Transport {
    /**
     * Sends {@code data}: what the socket does not take at once is copied into the write buffer and
     * sent when the socket is writable, so the caller may reuse the array. Going over the high water
     * mark calls the protocol's {@link Protocol#pauseWriting}. After {@link #close} or {@link #abort}
     * the data is dropped.
     *
     * @param data the bytes to send; the caller may reuse the array once the call returns
     * @throws IllegalStateException after {@link #writeEof}
     */
    void write(byte[] data);

    /**
     * Sends {@code length} bytes of {@code data} from {@code offset}; see {@link #write(byte[])}.
     *
     * @param data the array holding the bytes to send; it may be reused once the call returns
     * @param offset the index of the first byte to send
     * @param length the number of bytes to send; {@code offset + length} must not exceed {@code
     *     data.length}
     */
    void write(byte[] data, int offset, int length);

    /**
     * Sends each array in turn, as {@link #write(byte[])} would.
     *
     * @param lines the arrays to send, in order
     */
    default void writelines(List<byte[]> lines) {
        for (byte[] line : lines) {
            write(line);
        }
    }

    /**
     * Closes this side for writing once the buffered data is sent (a half-close: the peer reads end
     * of stream), and keeps reading.
     *
     * @throws UnsupportedOperationException if {@link #canWriteEof()} is false
     */
    void writeEof();

    /**
     * Whether {@link #writeEof} is supported (not over TLS).
     *
     * @return false over TLS, where half-closing is not supported; true otherwise
     */
    boolean canWriteEof();

    /**
     * Closes the connection: stops reading at once, sends what is buffered, then closes and calls
     * the protocol's {@link Protocol#connectionLost} with {@code null}. Idempotent.
     */
    void close();

    /**
     * Closes the connection at once: the buffer is dropped, the peer sees a connection reset, and the
     * protocol's {@link Protocol#connectionLost} is called with {@code null}.
     */
    void abort();

    /**
     * Whether {@link #close} or {@link #abort} was called, or the connection was lost.
     *
     * @return true once {@link #close} or {@link #abort} was called or the connection was lost
     */
    boolean isClosing();

    /** Stops delivering {@link Protocol#dataReceived} until {@link #resumeReading}; idempotent. */
    void pauseReading();

    /** Delivers data again after {@link #pauseReading}; idempotent. */
    void resumeReading();

    /**
     * Whether the transport is delivering data (not paused, not closing, no end of stream yet).
     *
     * @return true unless reading is paused, the transport is closing or end of stream was reached
     */
    boolean isReading();

    /**
     * Bytes written and not yet handed to the socket.
     *
     * @return the number of buffered bytes; 0 when everything has been handed to the socket
     */
    long getWriteBufferSize();

    /**
     * The high water mark of the write buffer: over it, the protocol is paused. Default 64 KiB.
     *
     * @return the high water mark in bytes
     */
    long getWriteBufferHighWaterMark();

    /**
     * The low water mark of the write buffer: at or under it, a paused protocol resumes. Default 16 KiB.
     *
     * @return the low water mark in bytes
     */
    long getWriteBufferLowWaterMark();

    /**
     * Sets the water marks that pause and resume the protocol's writing.
     *
     * @param high the buffered size above which {@link Protocol#pauseWriting} is called; at least
     *     {@code low}
     * @param low the buffered size at or below which {@link Protocol#resumeWriting} is called; at
     *     least 0
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(long high, long low);

    /**
     * {@link #setWriteBufferLimits(long, long)} with {@code low = high / 4}, as asyncio does.
     *
     * @param high the buffered size above which {@link Protocol#pauseWriting} is called; at least 0
     */
    default void setWriteBufferLimits(long high) {
        setWriteBufferLimits(high, high / 4);
    }

    /**
     * Optional information about the connection, or {@code null}: {@code "peername"} and {@code
     * "sockname"} (an {@link java.net.InetSocketAddress}); over TLS also {@code "sslcontext"}, {@code
     * "ssl_object"} (the {@link javax.net.ssl.SSLSession}), {@code "peercert"} (the peer's first
     * certificate, or {@code null}) and {@code "cipher"} (the cipher suite's name).
     *
     * @param name the key of the information, such as {@code "peername"}
     * @return the value, or null if the key is unknown or does not apply to this connection
     */
    Object getExtraInfo(String name);

    /**
     * The protocol receiving this transport's events.
     *
     * @return the protocol currently receiving the events; never null
     */
    Protocol getProtocol();

    /**
     * Hands the transport's events to {@code protocol} from now on.
     *
     * @param protocol the protocol to receive the following events; must not be null
     */
    void setProtocol(Protocol protocol);
}
