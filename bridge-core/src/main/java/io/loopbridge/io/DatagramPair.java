package io.loopbridge.io;

import java.util.Objects;

/**
 * What {@code loop.createDatagramEndpoint} returns: the transport and the protocol made for it.
 *
 * @param <P> the type of the protocol
 * @param transport the endpoint's transport; not null
 * @param protocol the protocol the factory made for the endpoint; not null
 */
public record DatagramPair<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {
    /**
     * Checks that both parts are there.
     *
     * @param transport the endpoint's transport; must not be null
     * @param protocol the protocol made for the endpoint; must not be null
     * @throws NullPointerException if {@code transport} or {@code protocol} is null
     */
    public DatagramPair {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
    }
}
