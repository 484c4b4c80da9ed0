package io.loopbridge.io;

import java.net.InetSocketAddress;

/**
 * A UDP endpoint as its {@link DatagramProtocol} sees it (asyncio's {@code DatagramTransport}):
 * datagrams the socket cannot take at once are queued and sent when it is writable.
 *
 * <p>Every method must be called on the endpoint's loop.
 */
public interface DatagramTransport {
    /**
     * Sends {@code data} as one datagram to {@code address}; {@code null} means the remote address
     * the endpoint was created with. The array is copied if it must be queued. Errors of the send
     * go to {@link DatagramProtocol#errorReceived}; after {@link #close} the data is dropped.
     *
     * @param data the payload of the datagram; the caller may reuse the array afterwards
     * @param address the destination, or null for the endpoint's remote address
     * @throws IllegalArgumentException if the endpoint has a remote address and {@code address} is
     *     another one, or it has none and {@code address} is null
     */
    void sendto(byte[] data, InetSocketAddress address);

    /**
     * {@link #sendto(byte[], InetSocketAddress)} to the remote address of the endpoint.
     *
     * @param data the payload of the datagram; the caller may reuse the array afterwards
     */
    default void sendto(byte[] data) {
        sendto(data, null);
    }

    /** Closes the endpoint once the queued datagrams are sent; idempotent. */
    void close();

    /** Closes the endpoint at once, dropping queued datagrams. */
    void abort();

    /**
     * Whether the endpoint is closed or closing.
     *
     * @return true after {@link #close} or {@link #abort}, or once the endpoint is lost
     */
    boolean isClosing();

    /**
     * Bytes of the datagrams queued and not sent yet.
     *
     * @return the number of queued payload bytes, 0 when everything has been sent
     */
    long getWriteBufferSize();

    /**
     * Sets the water marks that pause and resume the protocol's writing (default 64 KiB and 16 KiB).
     *
     * @param high the queued size above which {@link DatagramProtocol#pauseWriting} is called; at
     *     least {@code low}
     * @param low the queued size at or below which {@link DatagramProtocol#resumeWriting} is
     *     called; at least 0
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(long high, long low);

    /**
     * {@code "sockname"} and, for an endpoint with a remote address, {@code "peername"}; else {@code null}.
     *
     * @param name the key of the information, such as {@code "sockname"}
     * @return the value, or null if the key is unknown or does not apply to this endpoint
     */
    Object getExtraInfo(String name);

    /**
     * The protocol receiving this endpoint's events.
     *
     * @return the protocol given by the factory; never null
     */
    DatagramProtocol getProtocol();
}
