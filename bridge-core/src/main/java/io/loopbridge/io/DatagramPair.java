package io.loopbridge.io;

import java.util.Objects;

/**
 * What {@code loop.createDatagramEndpoint} returns: the transport and the protocol made for it.
 *
 * @param <P> the type of the protocol
 */
public record DatagramPair<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {
    public DatagramPair {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
    }
}
