package io.loopbridge.io;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The application side of a UDP endpoint (asyncio's {@code DatagramProtocol}), made by the factory
 * given to {@code loop.createDatagramEndpoint}.
 *
 * <p>Called on the loop, one at a time: {@link #connectionMade} once, then {@link
 * #datagramReceived} and {@link #errorReceived} any number of times, then {@link #connectionLost}
 * once. Every method does nothing by default.
 */
public interface DatagramProtocol {
    /**
     * The endpoint is ready; {@code transport} sends datagrams and closes the endpoint.
     *
     * @param transport the endpoint's transport, valid until {@link #connectionLost}
     */
    default void connectionMade(DatagramTransport transport) {}

    /**
     * A datagram arrived from {@code address}; {@code data} is a new array the protocol owns.
     *
     * @param data the datagram's payload (may be empty)
     * @param address the sender's address
     */
    default void datagramReceived(byte[] data, InetSocketAddress address) {}

    /**
     * A send or receive failed without closing the endpoint: for instance a {@link
     * java.net.PortUnreachableException} after sending to a port nobody listens on (a connected
     * endpoint learns it from the peer's ICMP answer).
     *
     * @param error the failure of the send or receive
     */
    default void errorReceived(IOException error) {}

    /**
     * The endpoint is closed: {@code cause} is {@code null}, or the error that closed it.
     *
     * @param cause null for a regular close, else the error that closed the endpoint
     */
    default void connectionLost(Throwable cause) {}

    /** The send buffer went over its high water mark. */
    default void pauseWriting() {}

    /** The send buffer drained to its low water mark. */
    default void resumeWriting() {}
}
