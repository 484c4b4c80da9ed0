package io.loopbridge.io;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A listening server (asyncio's {@code Server}), made by {@code loop.createServer} or {@link
 * Streams#startServer}: it accepts connections, each with a new protocol, until {@link #close}.
 *
 * <p>Every method must be called on the server's loop; {@link #waitClosed} and {@link #serveForever}
 * suspend and must be called inside a coroutine.
 */
public interface Server extends AutoCloseable {
    /**
     * The addresses the server listens on, with the ports the system chose for port 0; empty once
     * closed.
     *
     * @return the bound addresses; empty once the server is closed
     */
    List<InetSocketAddress> sockets();

    /** Starts accepting connections, if it is not already; servers start serving when created. */
    void startServing();

    /**
     * Whether the server accepts connections.
     *
     * @return true from creation (or {@link #startServing}) until {@link #close}
     */
    boolean isServing();

    /**
     * Stops listening and closes the listening sockets; connections already accepted stay open.
     * Idempotent.
     */
    @Override
    void close();

    /** Closes every connection of this server ({@link Transport#close}), listening or not. */
    void closeClients();

    /** Aborts every connection of this server ({@link Transport#abort}). */
    void abortClients();

    /**
     * Suspends until the server is closed and all its connections have ended (asyncio 3.12's
     * {@code wait_closed}).
     */
    void waitClosed();

    /**
     * Serves until the server is closed, then returns. If the calling task is cancelled, closes the
     * server, waits for it to be closed (as {@link #waitClosed}) and rethrows the cancellation.
     *
     * @throws IllegalStateException if the server is closed, or another task already serves it forever
     */
    void serveForever();
}
