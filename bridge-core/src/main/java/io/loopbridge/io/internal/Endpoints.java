package io.loopbridge.io.internal;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.IoCallback;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.io.DatagramPair;
import io.loopbridge.io.DatagramProtocol;
import io.loopbridge.io.Protocol;
import io.loopbridge.io.Server;
import io.loopbridge.io.TransportPair;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.LoopGroup;
import io.loopbridge.task.internal.Driver;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * How servers and connections are made: what {@code EventLoop.createServer} and {@code
 * createConnection} delegate to. Not API.
 */
public final class Endpoints {
    private static final LoopAccess LOOPS = LoopAccess.get();
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Pending connections the system queues per listening socket, as asyncio's default. */
    public static final int DEFAULT_BACKLOG = 100;

    private Endpoints() {}

    /** See {@code EventLoop.createServer}. */
    public static Server createServer(
            EventLoop loop, Supplier<? extends Protocol> protocolFactory, String host, int port) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        return createServer(loop, null, l -> protocolFactory.get(), host, port);
    }

    /**
     * A server on {@code loop} that hands each accepted connection to the next loop of {@code group}
     * (null: keeps it on {@code loop}); {@code protocolFactory} is called on that loop, with it.
     */
    public static Server createServer(
            EventLoop loop,
            LoopGroup group,
            Function<EventLoop, ? extends Protocol> protocolFactory,
            String host,
            int port)
            throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        checkPort(port);
        enter(loop, "createServer");
        InetAddress[] addresses = host == null || host.isEmpty() ? new InetAddress[] {null} : resolve(loop, host);
        List<ServerSocketChannel> channels = new ArrayList<>();
        try {
            for (InetAddress address : addresses) {
                InetSocketAddress where =
                        address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
                ServerSocketChannel ch = ServerSocketChannel.open();
                channels.add(ch);
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                try {
                    ch.bind(where, DEFAULT_BACKLOG);
                } catch (BindException e) {
                    BindException clear = new BindException(
                            "error while attempting to bind on address " + where + ": " + e.getMessage());
                    clear.initCause(e);
                    throw clear;
                }
            }
            SocketServer server = new SocketServer(loop, channels, protocolFactory, group, DEFAULT_BACKLOG);
            server.startServing();
            return server;
        } catch (IOException | RuntimeException | Error e) {
            for (ServerSocketChannel ch : channels) {
                closeQuietly(ch);
            }
            throw e;
        }
    }

    /** See {@code EventLoop.createConnection}. */
    public static <P extends Protocol> TransportPair<P> createConnection(
            EventLoop loop, Supplier<P> protocolFactory, String host, int port) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(host, "host");
        checkPort(port);
        enter(loop, "createConnection");
        SocketChannel ch = connectAny(loop, resolve(loop, host), port);
        SocketTransport transport;
        P protocol;
        LoopFuture<Void> made = loop.createFuture();
        try {
            protocol = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
            transport = new SocketTransport(loop, ch, protocol, null, made);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
        try {
            awaitIo(made);
        } catch (CancellationException e) {
            transport.close();
            throw e;
        }
        return new TransportPair<>(transport, protocol);
    }

    /** See {@code EventLoop.createServer} with an {@link SSLContext}; {@code ssl} null is plain TCP. */
    public static Server createServer(
            EventLoop loop, Supplier<? extends Protocol> protocolFactory, String host, int port, SSLContext ssl)
            throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (ssl == null) {
            return createServer(loop, protocolFactory, host, port);
        }
        return createServer(loop, () -> serverTls(loop, ssl, protocolFactory.get()), host, port);
    }

    /** The server side of a TLS connection on {@code loop}, carrying {@code app}'s clear text. */
    public static Protocol serverTls(EventLoop loop, SSLContext ssl, Protocol app) {
        return new SslProtocol(loop, ssl, false, null, 0, app);
    }

    /**
     * See {@code EventLoop.createConnection} with an {@link SSLContext}: connects, then completes the
     * TLS handshake (checking that the server's certificate is for {@code host}) before returning;
     * {@code ssl} null is plain TCP.
     */
    public static <P extends Protocol> TransportPair<P> createConnection(
            EventLoop loop, Supplier<P> protocolFactory, String host, int port, SSLContext ssl) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (ssl == null) {
            return createConnection(loop, protocolFactory, host, port);
        }
        Objects.requireNonNull(host, "host");
        enter(loop, "createConnection");
        P app = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
        TransportPair<SslProtocol> raw =
                createConnection(loop, () -> new SslProtocol(loop, ssl, true, host, port, app), host, port);
        try {
            awaitIo(raw.protocol().handshake);
        } catch (CancellationException e) {
            raw.transport().abort();
            throw e;
        }
        return new TransportPair<>(raw.protocol().appTransport(), app);
    }

    /** See {@code EventLoop.createDatagramEndpoint}. */
    public static <P extends DatagramProtocol> DatagramPair<P> createDatagramEndpoint(
            EventLoop loop,
            Supplier<P> protocolFactory,
            InetSocketAddress localAddress,
            InetSocketAddress remoteAddress)
            throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (localAddress == null && remoteAddress == null) {
            throw new IllegalArgumentException("localAddress or remoteAddress must be given");
        }
        enter(loop, "createDatagramEndpoint");
        InetSocketAddress local = localAddress == null ? null : resolved(loop, localAddress);
        InetSocketAddress remote = remoteAddress == null ? null : resolved(loop, remoteAddress);
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.configureBlocking(false);
            if (local != null) {
                ch.bind(local);
            }
            if (remote != null) {
                ch.connect(remote);
            }
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
        P protocol;
        DatagramSocketTransport transport;
        LoopFuture<Void> made = loop.createFuture();
        try {
            protocol = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
            transport = new DatagramSocketTransport(loop, ch, protocol, remote, made);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
        try {
            awaitIo(made);
        } catch (CancellationException e) {
            transport.close();
            throw e;
        }
        return new DatagramPair<>(transport, protocol);
    }

    private static InetSocketAddress resolved(EventLoop loop, InetSocketAddress address) throws IOException {
        if (!address.isUnresolved()) {
            return address;
        }
        return new InetSocketAddress(resolve(loop, address.getHostString())[0], address.getPort());
    }

    /** Tries each address in turn; throws the first failure, with the others suppressed, if none answers. */
    private static SocketChannel connectAny(EventLoop loop, InetAddress[] addresses, int port) throws IOException {
        IOException first = null;
        for (InetAddress address : addresses) {
            try {
                return connect(loop, new InetSocketAddress(address, port));
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        throw first;
    }

    private static SocketChannel connect(EventLoop loop, InetSocketAddress address) throws IOException {
        SocketChannel ch = SocketChannel.open();
        boolean connected = false;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (!ch.connect(address)) {
                LoopFuture<Void> done = loop.createFuture();
                ch.register(LOOPS.selector(loop), SelectionKey.OP_CONNECT, new IoCallback() {
                    @Override
                    public void ready(SelectionKey key, int readyOps) {
                        if (done.isDone()) {
                            return;
                        }
                        try {
                            if (ch.finishConnect()) {
                                key.interestOps(0);
                                done.setResult(null);
                            }
                        } catch (IOException e) {
                            done.setException(e); // the failed channel is closed already, its key cancelled
                        }
                    }

                    @Override
                    public void loopClosing() {
                        closeQuietly(ch); // the connecting task is abandoned with the loop
                    }
                });
                awaitIo(done);
            }
            connected = true;
            return ch;
        } catch (ConnectException e) {
            ConnectException clear = new ConnectException(e.getMessage() + ": " + address);
            clear.initCause(e);
            throw clear;
        } finally {
            if (!connected) {
                closeQuietly(ch);
            }
        }
    }

    /**
     * The addresses of {@code host}: an IP literal at once, a name through the loop's default
     * executor (resolving may block, as asyncio's {@code getaddrinfo} does in its executor).
     */
    static InetAddress[] resolve(EventLoop loop, String host) throws IOException {
        if (IPV4_LITERAL.matcher(host).matches() || host.indexOf(':') >= 0) {
            return InetAddress.getAllByName(host); // a literal: no lookup
        }
        return awaitIo(loop.runInExecutor(null, () -> InetAddress.getAllByName(host)));
    }

    /**
     * Awaits {@code future} and throws its {@link IOException} as it is (rather than wrapped in
     * {@code CompletionException}, as {@code Async.await} does with checked exceptions).
     */
    public static <T> T awaitIo(LoopFuture<T> future) throws IOException {
        try {
            return Async.await(future);
        } catch (RuntimeException e) {
            if (future.isDone() && !future.isCancelled() && future.exception() instanceof IOException) {
                throw (IOException) future.exception();
            }
            throw e;
        }
    }

    /** Checks that the caller is a coroutine of {@code loop}; the method name goes into the message. */
    static void enter(EventLoop loop, String method) {
        Objects.requireNonNull(loop, "loop");
        Driver d = Driver.current(method + "()");
        if (d.loop() != loop) {
            throw new IllegalStateException(
                    method + "() must be called from a coroutine of the loop it is called on: " + loop);
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Makes the selector forget the keys cancelled so far, which closes their channels now: NIO
     * defers the close of a registered channel to the selector's next select, and a listening socket
     * must stop accepting when {@code Server.close} returns, as in asyncio. The selected keys this
     * select finds are dropped: the selector is level-triggered, so the loop's next poll finds them
     * again (its own poll leaves the selected set empty).
     */
    static void flushCancelledKeys(EventLoop loop) {
        Selector selector = LOOPS.selector(loop);
        try {
            selector.selectNow();
        } catch (IOException e) {
            return; // the loop's next poll deregisters them
        } finally {
            selector.selectedKeys().clear();
        }
    }

    static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }
}
