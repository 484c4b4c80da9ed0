package io.loopbridge.io;

import java.util.Objects;

/**
 * What {@code loop.createConnection} returns: the transport and the protocol the factory made for
 * it (asyncio's {@code (transport, protocol)} tuple).
 *
 * @param <P> the type of the protocol
 * @param transport the connection's transport; not null
 * @param protocol the protocol the factory made for the connection; not null
 */
public record TransportPair<P extends Protocol>(Transport transport, P protocol) {
    /**
     * Checks that both parts are there.
     *
     * @param transport the connection's transport; must not be null
     * @param protocol the protocol made for the connection; must not be null
     * @throws NullPointerException if {@code transport} or {@code protocol} is null
     */
    public TransportPair {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
    }
}
