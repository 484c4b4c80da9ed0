package io.loopbridge.io;

import io.loopbridge.Async;
import io.loopbridge.io.internal.Endpoints;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.LoopGroup;
import java.io.IOException;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * asyncio's stream functions: {@link #openConnection} and {@link #startServer}, built on {@code
 * loop.createConnection} and {@code loop.createServer} with a protocol that feeds a {@link
 * StreamReader} and serves a {@link StreamWriter}.
 *
 * <p>Both suspend and must be called inside a coroutine; the connection belongs to its loop.
 */
public final class Streams {
    private Streams() {}

    /**
     * Connects to {@code host:port} and returns the connection's reader and writer (asyncio's {@code
     * open_connection}).
     *
     * @param host the host name or address to connect to
     * @param port the TCP port to connect to
     * @return the reader and writer of the new connection
     * @throws java.net.ConnectException if nothing listens there
     * @throws java.net.UnknownHostException if {@code host} cannot be resolved
     * @throws IOException if the connection fails otherwise
     */
    public static StreamPair openConnection(String host, int port) throws IOException {
        return openConnection(host, port, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * {@link #openConnection(String, int)} with a reader of the given {@link StreamReader#limit()}.
     *
     * @param host the host name or address to connect to
     * @param port the TCP port to connect to
     * @param limit the reader's limit in bytes; at least 1
     * @return the reader and writer of the new connection
     * @throws IOException if the connection fails, as for {@link #openConnection(String, int)}
     */
    public static StreamPair openConnection(String host, int port, int limit) throws IOException {
        StreamReader reader = new StreamReader(limit);
        EventLoop loop = Async.loop();
        TransportPair<StreamReaderProtocol> pair =
                loop.createConnection(() -> new StreamReaderProtocol(loop, reader, null), host, port);
        return new StreamPair(reader, new StreamWriter(pair.transport(), pair.protocol(), reader));
    }

    /**
     * {@link #openConnection(String, int)} over TLS: the handshake is done, and the server's
     * certificate checked against {@code host}, when this returns.
     *
     * @param host the host to connect to, also the name the certificate must match
     * @param port the TCP port to connect to
     * @param ssl the TLS configuration (trusted certificates, protocols); must not be null
     * @return the reader and writer of the connection, handshake done
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails (an untrusted certificate, say)
     * @throws IOException if the connection fails, as for {@link #openConnection(String, int)}
     */
    public static StreamPair openConnection(String host, int port, SSLContext ssl) throws IOException {
        return openConnection(host, port, ssl, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * {@link #openConnection(String, int, SSLContext)} with a reader of the given {@link StreamReader#limit()}.
     *
     * @param host the host to connect to, also the name the certificate must match
     * @param port the TCP port to connect to
     * @param ssl the TLS configuration; must not be null
     * @param limit the reader's limit in bytes; at least 1
     * @return the reader and writer of the connection, handshake done
     * @throws IOException if the connection or the handshake fails
     */
    public static StreamPair openConnection(String host, int port, SSLContext ssl, int limit) throws IOException {
        Objects.requireNonNull(ssl, "ssl");
        StreamReader reader = new StreamReader(limit);
        EventLoop loop = Async.loop();
        TransportPair<StreamReaderProtocol> pair =
                loop.createConnection(() -> new StreamReaderProtocol(loop, reader, null), host, port, ssl);
        return new StreamPair(reader, new StreamWriter(pair.transport(), pair.protocol(), reader));
    }

    /**
     * Listens on {@code host:port} ({@code null} or empty: every interface; port 0: one the system
     * picks, see {@link Server#sockets()}) and runs {@code handler} as a new task for each connection
     * (asyncio's {@code start_server}). The server is serving when this returns.
     *
     * @param handler the code run, as a task on the server's loop, for each connection; must not be
     *     null
     * @param host the address to bind; null or empty for every interface
     * @param port the TCP port to bind, or 0 for one the system picks
     * @return the server, serving
     * @throws IOException if the address cannot be bound
     */
    public static Server startServer(StreamHandler handler, String host, int port) throws IOException {
        return startServer(handler, host, port, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * {@link #startServer(StreamHandler, String, int)} over TLS: each handler starts once its
     * connection's handshake is done; a client whose handshake fails never reaches it.
     *
     * @param handler the code run for each connection once its handshake is done; must not be null
     * @param host the address to bind; null or empty for every interface
     * @param port the TCP port to bind, or 0 for one the system picks
     * @param ssl the server's TLS configuration (its key and certificate); must not be null
     * @return the server, serving
     * @throws IOException if the address cannot be bound
     */
    public static Server startServer(StreamHandler handler, String host, int port, SSLContext ssl) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(ssl, "ssl");
        EventLoop loop = Async.loop();
        return loop.createServer(() -> new StreamReaderProtocol(loop, new StreamReader(), handler), host, port, ssl);
    }

    /**
     * {@link #startServer(StreamHandler, String, int)} that spreads its connections over the loops
     * of {@code group}: the server accepts on the calling coroutine's loop and hands each new
     * connection, round-robin, to a loop of the group, where its handler runs as a task and all its
     * callbacks run (no thread per connection; one loop per core with {@code new LoopGroup()}). The
     * returned server belongs to the calling loop; {@code close}, {@code waitClosed} and {@code
     * closeClients} reach the connections on every loop. Close the server before the group.
     *
     * @param group the loops the connections are spread over; must not be closed before the server
     * @param handler the code run, as a task on the connection's loop, for each connection; must
     *     not be null
     * @param host the address to bind; null or empty for every interface
     * @param port the TCP port to bind, or 0 for one the system picks
     * @return the server, serving, owned by the calling loop
     * @throws IOException if the address cannot be bound
     */
    public static Server startServer(LoopGroup group, StreamHandler handler, String host, int port) throws IOException {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(handler, "handler");
        return Endpoints.createServer(
                Async.loop(), group, l -> new StreamReaderProtocol(l, new StreamReader(), handler), host, port);
    }

    /**
     * {@link #startServer(LoopGroup, StreamHandler, String, int)} over TLS: each connection's
     * handshake, encryption and handler run on the loop of the group it was handed to, so the TLS
     * work spreads over the group's loops as the connections do. The handler starts once the
     * handshake is complete; a connection whose handshake fails never reaches it.
     *
     * @param group the loops the connections are spread over; must not be closed before the server
     * @param handler the code run, as a task on the connection's loop, for each connection; must
     *     not be null
     * @param host the address to bind; null or empty for every interface
     * @param port the TCP port to bind, or 0 for one the system picks
     * @param ssl the server's TLS configuration (its key and certificate); must not be null
     * @return the server, serving, owned by the calling loop
     * @throws IOException if the address cannot be bound
     */
    public static Server startServer(LoopGroup group, StreamHandler handler, String host, int port, SSLContext ssl)
            throws IOException {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(ssl, "ssl");
        return Endpoints.createServer(
                Async.loop(),
                group,
                l -> Endpoints.serverTls(l, ssl, new StreamReaderProtocol(l, new StreamReader(), handler)),
                host,
                port);
    }

    /**
     * {@link #startServer(StreamHandler, String, int)} with readers of the given {@link StreamReader#limit()}.
     *
     * @param handler the code run, as a task on the server's loop, for each connection; must not be
     *     null
     * @param host the address to bind; null or empty for every interface
     * @param port the TCP port to bind, or 0 for one the system picks
     * @param limit the limit of each connection's reader, in bytes; at least 1
     * @return the server, serving
     * @throws IOException if the address cannot be bound
     */
    public static Server startServer(StreamHandler handler, String host, int port, int limit) throws IOException {
        Objects.requireNonNull(handler, "handler");
        StreamReader.checkLimit(limit);
        EventLoop loop = Async.loop();
        return loop.createServer(() -> new StreamReaderProtocol(loop, new StreamReader(limit), handler), host, port);
    }
}
