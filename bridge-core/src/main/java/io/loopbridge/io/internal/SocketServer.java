package io.loopbridge.io.internal;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.IoCallback;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.io.Protocol;
import io.loopbridge.io.Server;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.LoopGroup;
import io.loopbridge.task.internal.Driver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * Listening sockets that accept connections on their loop (asyncio's {@code Server} with {@code
 * BaseSelectorEventLoop._accept_connection}). With a {@link LoopGroup}, the accepted connections are
 * handed round-robin to the group's loops: each connection's transport, protocol and callbacks live
 * on the loop it was handed to, while the server itself stays on its own loop.
 *
 * <p>Invariants: {@code channels} is null once closed; {@code waiters} is null once closed with no
 * connection left (then {@link #waitClosed} returns at once); each accepted connection is counted
 * in {@code handoffs} while on its way to another loop, then is in {@code clients} from its
 * transport's creation until its {@code connectionLost} has run. A connection on another loop
 * reports its creation and end with {@code callSoonThreadsafe}, from that loop's one thread, so
 * the two arrive in order.
 */
final class SocketServer implements Server {
    private static final LoopAccess LOOPS = LoopAccess.get();
    /** How long accepting pauses after {@code accept()} failed (out of file descriptors, say), as asyncio. */
    private static final Duration ACCEPT_RETRY_DELAY = Duration.ofSeconds(1);

    private final EventLoop loop;
    private final Function<EventLoop, ? extends Protocol> protocolFactory;
    private final LoopGroup group;
    private final int backlog;
    private List<ServerSocketChannel> channels;
    private final List<SelectionKey> keys = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    /** Accepted connections handed to another loop whose transport has not reported yet. */
    private int handoffs;

    private List<LoopFuture<Void>> waiters = new ArrayList<>();
    private LoopFuture<Void> servingForever;
    private boolean serving;

    /**
     * {@code protocolFactory} is called on the loop of each new connection, with that loop; {@code
     * group} null keeps every connection on {@code loop}.
     */
    SocketServer(
            EventLoop loop,
            List<ServerSocketChannel> channels,
            Function<EventLoop, ? extends Protocol> protocolFactory,
            LoopGroup group,
            int backlog)
            throws IOException {
        this.loop = loop;
        this.channels = channels;
        this.protocolFactory = protocolFactory;
        this.group = group;
        this.backlog = backlog;
        for (ServerSocketChannel ch : channels) {
            addresses.add((InetSocketAddress) ch.getLocalAddress());
            keys.add(ch.register(LOOPS.selector(loop), 0, new IoCallback() {
                @Override
                public void ready(SelectionKey key, int readyOps) {
                    accept(ch);
                }

                @Override
                public void loopClosing() {
                    close(); // the loop's connections close by their own keys
                }
            }));
        }
    }

    private void accept(ServerSocketChannel listening) {
        // as asyncio: up to backlog connections per readiness, so one lap cannot starve the others
        for (int i = 0; i < backlog && serving; i++) {
            SocketChannel ch;
            try {
                ch = listening.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                Map<String, Object> ctx = new LinkedHashMap<>();
                ctx.put("message", "accept() failed; accepting again in " + ACCEPT_RETRY_DELAY.toSeconds() + " s");
                ctx.put("exception", e);
                ctx.put("server", this);
                loop.callExceptionHandler(ctx);
                pauseAccepting();
                loop.callLater(ACCEPT_RETRY_DELAY, this::resumeAccepting);
                return;
            }
            if (ch == null) {
                return;
            }
            accepted(ch);
        }
    }

    private void accepted(SocketChannel ch) {
        EventLoop target = group == null ? loop : group.next();
        if (target == loop) {
            adopt(loop, ch);
            return;
        }
        handoffs++;
        try {
            target.callSoonThreadsafe(() -> {
                if (!adopt(target, ch)) {
                    onServerLoop(() -> {
                        handoffs--;
                        maybeWakeUp();
                    });
                }
            });
        } catch (IllegalStateException closedLoop) {
            handoffs--;
            Endpoints.closeQuietly(ch);
            creationFailed(loop, closedLoop);
        }
    }

    /** Makes the transport of {@code ch} on {@code target}, its loop; false if that failed. */
    private boolean adopt(EventLoop target, SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Protocol protocol = protocolFactory.apply(target);
            if (protocol == null) {
                throw new NullPointerException("the protocol factory returned null");
            }
            new SocketTransport(target, ch, protocol, this, null);
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            Endpoints.closeQuietly(ch);
            creationFailed(target, e);
            return false;
        }
    }

    private void creationFailed(EventLoop on, Throwable e) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("message", "Error on transport creation for incoming connection");
        ctx.put("exception", e);
        ctx.put("server", this);
        on.callExceptionHandler(ctx);
    }

    /** Runs {@code r} on the server's loop; dropped if that loop is closed (nobody waits on it then). */
    private void onServerLoop(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (IllegalStateException closedLoop) {
            // the server's loop is gone, and its waiters with it
        }
    }

    private void pauseAccepting() {
        for (SelectionKey k : keys) {
            if (k.isValid()) {
                k.interestOps(0);
            }
        }
    }

    private void resumeAccepting() {
        if (serving) {
            for (SelectionKey k : keys) {
                if (k.isValid()) {
                    k.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
        }
    }

    /** Called on the connection's loop when its transport is made. */
    void attach(SocketTransport t) {
        if (t.loop() == loop) {
            clients.add(t);
        } else {
            onServerLoop(() -> {
                handoffs--;
                clients.add(t);
            });
        }
    }

    /** Called on the connection's loop once its {@code connectionLost} has run. */
    void detach(SocketTransport t) {
        if (t.loop() == loop) {
            clients.remove(t);
            maybeWakeUp();
        } else {
            onServerLoop(() -> {
                clients.remove(t);
                maybeWakeUp();
            });
        }
    }

    private void maybeWakeUp() {
        if (channels == null && clients.isEmpty() && handoffs == 0) {
            wakeUp();
        }
    }

    private void wakeUp() {
        List<LoopFuture<Void>> w = waiters;
        waiters = null;
        if (w != null) {
            for (LoopFuture<Void> f : w) {
                if (!f.isDone()) {
                    f.setResult(null);
                }
            }
        }
    }

    // ---------------------------------------------------------------- Server

    @Override
    public List<InetSocketAddress> sockets() {
        return channels == null ? List.of() : List.copyOf(addresses);
    }

    @Override
    public void startServing() {
        loop.checkOwner("startServing");
        if (serving || channels == null) {
            return;
        }
        serving = true;
        resumeAccepting();
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public void close() {
        loop.checkOwner("close");
        List<ServerSocketChannel> chs = channels;
        if (chs == null) {
            return;
        }
        channels = null;
        serving = false;
        for (SelectionKey k : keys) {
            k.cancel();
        }
        for (ServerSocketChannel ch : chs) {
            Endpoints.closeQuietly(ch);
        }
        Endpoints.flushCancelledKeys(loop);
        if (servingForever != null && !servingForever.isDone()) {
            servingForever.setResult(null);
        }
        maybeWakeUp();
    }

    @Override
    public void closeClients() {
        loop.checkOwner("closeClients");
        for (SocketTransport t : List.copyOf(clients)) {
            onLoopOf(t, t::close);
        }
    }

    @Override
    public void abortClients() {
        loop.checkOwner("abortClients");
        for (SocketTransport t : List.copyOf(clients)) {
            onLoopOf(t, t::abort);
        }
    }

    private void onLoopOf(SocketTransport t, Runnable r) {
        if (t.loop() == loop) {
            r.run();
            return;
        }
        try {
            t.loop().callSoonThreadsafe(r);
        } catch (IllegalStateException closedLoop) {
            // that loop closed its connections as it closed
        }
    }

    @Override
    public void waitClosed() {
        Driver d = Driver.current("Server.waitClosed()");
        if (d.loop() != loop) {
            throw new IllegalStateException("Server.waitClosed() called from a coroutine of another loop: " + this);
        }
        if (waiters == null) {
            return;
        }
        LoopFuture<Void> waiter = loop.createFuture();
        waiters.add(waiter);
        Async.await(waiter);
    }

    @Override
    public void serveForever() {
        Driver d = Driver.current("Server.serveForever()");
        if (d.loop() != loop) {
            throw new IllegalStateException("Server.serveForever() called from a coroutine of another loop: " + this);
        }
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        if (channels == null) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        startServing();
        LoopFuture<Void> forever = loop.createFuture();
        servingForever = forever;
        try {
            Async.await(forever);
        } catch (CancellationException e) {
            // the calling task was cancelled (close() completes the future instead)
            try {
                close();
                waitClosed();
            } catch (CancellationException again) {
                e.addSuppressed(again);
            }
            throw e;
        } finally {
            if (servingForever == forever) {
                servingForever = null;
            }
        }
    }

    @Override
    public String toString() {
        return "Server[" + (channels == null ? "closed" : addresses.toString()) + " clients="
                + (clients.size() + handoffs) + (serving ? " serving" : "") + "]";
    }
}
