package io.loopbridge.io;

/**
 * The application side of a stream connection (asyncio's {@code Protocol}): a new instance per
 * connection, made by the factory given to {@code loop.createServer} or {@code
 * loop.createConnection}, receives the events of its {@link Transport}.
 *
 * <p>Every method is called on the loop, one at a time, in this order: {@link #connectionMade}
 * once; then {@link #dataReceived} any number of times; then {@link #eofReceived} at most once; then
 * {@link #connectionLost} exactly once. {@link #pauseWriting} and {@link #resumeWriting} alternate,
 * starting with {@code pauseWriting}, whenever the transport's write buffer crosses its high and then
 * its low water mark. An exception thrown by {@code dataReceived} or {@code eofReceived} is a fatal
 * error of the connection: it goes to the loop's exception handler, the transport closes at once
 * (dropping what it had buffered) and {@code connectionLost} gets the exception.
 *
 * <p>Every method does nothing by default.
 */
public interface Protocol {
    /**
     * The connection is up; {@code transport} is the way to write to it and to close it.
     *
     * @param transport the connection's transport, valid until {@link #connectionLost}
     */
    default void connectionMade(Transport transport) {}

    /**
     * Bytes arrived. {@code data} is never empty and is a new array the protocol owns: it may keep
     * it. How the peer's writes are split into calls is not defined.
     *
     * @param data the bytes received; not empty, owned by the protocol from now on
     */
    default void dataReceived(byte[] data) {}

    /**
     * The peer closed its side for writing ({@code writeEof} or a half-close). Return {@code true} to
     * keep the connection half-open (this side may still write, and must close it later), {@code
     * false} to have the transport closed.
     *
     * @return true to keep the connection half-open, false to close the transport
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection is closed: {@code cause} is {@code null} for a regular close or end of stream,
     * else the error (an {@link java.io.IOException} such as a connection reset) that ended it.
     *
     * @param cause null for a regular close or end of stream, else the error that ended the
     *     connection
     */
    default void connectionLost(Throwable cause) {}

    /** The transport's write buffer went over its high water mark: stop writing for now. */
    default void pauseWriting() {}

    /** The transport's write buffer drained to its low water mark: writing may go on. */
    default void resumeWriting() {}
}
