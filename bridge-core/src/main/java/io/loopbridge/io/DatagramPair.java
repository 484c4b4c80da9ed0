package io.loopbridge.io;

import java.util.Objects;

/**
 * What {@code loop.createDatagramEndpoint} returns: the transport and the protocol made for it.
 *
 * @param <P> the type of the protocol
 */
public record DatagramPair<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {
    /**
     * Checks that both parts are there.
     *
     * @throws NullPointerException if {@code transport} or {@code protocol} is null
     */
    public DatagramPair {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
    }
}
