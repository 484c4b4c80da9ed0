package io.loopbridge.io.internal;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.io.Protocol;
import io.loopbridge.io.Transport;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TimerHandle;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a socket transport with an {@link SSLEngine} (asyncio's {@code sslproto.SSLProtocol}):
 * the protocol of the raw transport, and the source of the {@link Transport} that the application's
 * protocol sees, which reads and writes clear text.
 *
 * <p>Hard parts, in order:
 *
 * <ol>
 *   <li>The engine is driven by {@link #process()} alone, after every event (connection, bytes in,
 *       bytes to write, close): it runs delegated tasks (certificate checks) inline on the loop,
 *       wraps while the engine needs to send, unwraps while there is input, until nothing moves.
 *   <li>The application's {@code connectionMade} comes when the handshake finishes, not when the
 *       socket connects; what it writes before that is queued. A failed handshake never reaches
 *       the application: the creator's {@code handshake} future fails instead (client), or the
 *       connection is dropped quietly (server, as asyncio logs it at debug level).
 *   <li>Closing sends {@code close_notify} and then closes the socket once it is flushed; a peer's
 *       {@code close_notify} is the application's end of stream ({@code eofReceived}), after which
 *       the connection closes: TLS here has no half-close ({@code canWriteEof()} is false).
 *   <li>Renegotiation (TLS 1.2 and older: the handshake starting again after it finished) is
 *       refused: the connection fails with an {@link SSLException} saying so. TLS 1.3's
 *       post-handshake messages (tickets, key updates) are handled by the engine as usual.
 *   <li>Application callbacks may call back into the transport (write, close) from inside {@link
 *       #process()}: buffers are handed over before a callback runs, and a re-entrant call only
 *       marks work that the running {@code process()} picks up.
 * </ol>
 */
final class SslProtocol implements Protocol {
    private static final System.Logger LOG = System.getLogger(SslProtocol.class.getName());
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final EventLoop loop;
    private final SSLContext context;
    private final SSLEngine engine;
    private Protocol app;
    private final AppTransport appTransport = new AppTransport();
    /** Completes when the handshake has finished and the application is connected; fails if it cannot. */
    final LoopFuture<Void> handshake;

    private Transport raw;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private final ArrayDeque<ByteBuffer> pendingWrites = new ArrayDeque<>();
    private long pendingBytes;
    private TimerHandle handshakeTimer;
    private boolean handshakeDone;
    private boolean appConnected;
    private boolean closing;
    private boolean inboundDone;
    private boolean processing;
    private boolean again;
    private Throwable failure;

    /**
     * {@code serverHostname} (clients only) is sent for SNI and checked against the server's
     * certificate; {@code null} for servers.
     */
    SslProtocol(EventLoop loop, SSLContext context, boolean client, String serverHostname, int port, Protocol app) {
        this.loop = loop;
        this.context = context;
        this.app = Objects.requireNonNull(app, "the protocol factory returned null");
        this.handshake = loop.createFuture();
        if (client) {
            engine = context.createSSLEngine(serverHostname, port);
            engine.setUseClientMode(true);
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // check the host name, as asyncio's default context
            engine.setSSLParameters(params);
        } else {
            engine = context.createSSLEngine();
            engine.setUseClientMode(false);
        }
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    }

    /** The transport the application's protocol sees. */
    Transport appTransport() {
        return appTransport;
    }

    Protocol app() {
        return app;
    }

    // ---------------------------------------------------------------- the raw transport's events

    @Override
    public void connectionMade(Transport transport) {
        raw = transport;
        handshakeTimer = loop.callLater(HANDSHAKE_TIMEOUT, () -> {
            if (!handshakeDone) {
                fail(new SSLHandshakeException("TLS handshake is taking longer than " + HANDSHAKE_TIMEOUT.toSeconds()
                        + " seconds: aborting the connection"));
            }
        });
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            fail(e);
            return;
        }
        process();
    }

    @Override
    public void dataReceived(byte[] data) {
        if (failure != null || inboundDone) {
            return;
        }
        if (netIn.remaining() < data.length) {
            ByteBuffer bigger = ByteBuffer.allocate(
                    netIn.position() + data.length + engine.getSession().getPacketBufferSize());
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
        process();
    }

    @Override
    public boolean eofReceived() {
        // the socket ended without close_notify
        if (!handshakeDone) {
            fail(new SSLHandshakeException("Connection closed by the peer during the TLS handshake"));
            return false;
        }
        if (!inboundDone) {
            inboundDone = true;
            appEof();
        }
        return false;
    }

    @Override
    public void connectionLost(Throwable cause) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        Throwable why = cause != null ? cause : failure;
        if (!handshake.isDone()) {
            handshake.setException(
                    why != null ? why : new SSLHandshakeException("Connection lost during the TLS handshake"));
            handshake.exception(); // read: the creator reports it, or nobody waits (a server)
        }
        if (appConnected) {
            appConnected = false;
            app.connectionLost(why);
        }
    }

    @Override
    public void pauseWriting() {
        if (appConnected) {
            app.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (appConnected) {
            app.resumeWriting();
        }
    }

    // ---------------------------------------------------------------- driving the engine

    /** Runs the engine until it can make no progress; re-entrant calls are folded into the running one. */
    private void process() {
        if (processing) {
            again = true;
            return;
        }
        processing = true;
        try {
            do {
                again = false;
                step();
            } while (again && failure == null);
        } catch (SSLException e) {
            fail(e);
        } finally {
            processing = false;
        }
    }

    private void step() throws SSLException {
        while (failure == null) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (handshakeDone && hs != HandshakeStatus.NOT_HANDSHAKING && !isTls13()) {
                throw new SSLException("TLS renegotiation is not supported: the connection is closed");
            }
            switch (hs) {
                case NEED_TASK:
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run(); // certificate checks: CPU work, run on the loop as asyncio does
                    }
                    continue;
                case NEED_WRAP:
                    if (!wrap(EMPTY)) {
                        return;
                    }
                    continue;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (!unwrap()) {
                        return;
                    }
                    continue;
                default: // NOT_HANDSHAKING (FINISHED is only ever a result's status)
                    if (!handshakeDone) {
                        handshakeFinished();
                        continue;
                    }
                    if (netIn.position() > 0 && !inboundDone && unwrap()) {
                        continue;
                    }
                    flushPendingWrites();
                    return;
            }
        }
    }

    /** One unwrap; false when it needs more input or the inbound side is done. */
    private boolean unwrap() throws SSLException {
        if (inboundDone) {
            return false;
        }
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED && !handshakeDone) {
            handshakeFinished();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW:
                int packet = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < packet) {
                    ByteBuffer bigger = ByteBuffer.allocate(packet);
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                return false;
            case BUFFER_OVERFLOW:
                deliverAppData();
                if (appIn.capacity() < engine.getSession().getApplicationBufferSize()) {
                    appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                }
                return true;
            case CLOSED:
                deliverAppData();
                inboundDone = true;
                closeNotifyReceived();
                return true; // the engine may need to wrap its own close_notify
            default:
                deliverAppData();
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
        }
    }

    /** Wraps {@code src} (all of it) and hands the records to the raw transport; false once the outbound side is closed. */
    private boolean wrap(ByteBuffer src) throws SSLException {
        do {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(
                        Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            netOut.flip();
            if (netOut.hasRemaining() && raw != null && !raw.isClosing()) {
                raw.write(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
            }
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED && !handshakeDone) {
                handshakeFinished();
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return false;
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                return false;
            }
        } while (src.hasRemaining());
        return true;
    }

    private void handshakeFinished() {
        handshakeDone = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        if (closing) {
            return;
        }
        appConnected = true;
        try {
            app.connectionMade(appTransport);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            if (!handshake.isDone()) {
                handshake.setException(e);
            }
            appConnected = false;
            raw.abort();
            return;
        }
        if (!handshake.isDone()) {
            handshake.setResult(null);
        }
    }

    private void deliverAppData() {
        if (appIn.position() == 0) {
            return;
        }
        appIn.flip();
        byte[] data = new byte[appIn.remaining()];
        appIn.get(data);
        appIn.clear();
        if (!appConnected || closing) {
            return; // nobody reads any more
        }
        try {
            app.dataReceived(data);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            report("Fatal error: protocol.dataReceived() call failed.", e);
            fail(e);
        }
    }

    private void closeNotifyReceived() {
        appEof();
        if (!closing) {
            closing = true;
            engine.closeOutbound(); // answer with our close_notify, then close
            again = true;
            loop.callSoon(() -> {
                if (raw != null) {
                    raw.close();
                }
            });
        }
    }

    private void appEof() {
        if (!appConnected) {
            return;
        }
        try {
            if (app.eofReceived()) {
                LOG.log(System.Logger.Level.DEBUG, "returning true from eofReceived() has no effect when using TLS");
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            report("Fatal error: protocol.eofReceived() call failed.", e);
            fail(e);
        }
    }

    private void flushPendingWrites() throws SSLException {
        while (!pendingWrites.isEmpty() && handshakeDone && failure == null) {
            ByteBuffer b = pendingWrites.pollFirst();
            pendingBytes -= b.remaining();
            if (!wrap(b)) {
                break;
            }
        }
    }

    private boolean isTls13() {
        return "TLSv1.3".equals(engine.getSession().getProtocol());
    }

    /** The connection cannot go on: records why (an {@link SSLException} ends up at the creator or the application) and aborts. */
    private void fail(Throwable e) {
        if (failure != null) {
            return;
        }
        failure = e;
        LOG.log(System.Logger.Level.DEBUG, "TLS connection failed", e);
        pendingWrites.clear();
        pendingBytes = 0;
        if (e instanceof SSLException) {
            // send the alert the engine has for the peer, if any, before the socket closes
            try {
                engine.closeOutbound();
                netOut.clear();
                engine.wrap(EMPTY, netOut);
                netOut.flip();
                if (netOut.hasRemaining() && raw != null && !raw.isClosing()) {
                    raw.write(netOut.array(), 0, netOut.limit());
                }
            } catch (SSLException | RuntimeException ignored) {
                // no alert then
            }
            if (raw != null) {
                raw.close();
            }
        } else if (raw != null) {
            raw.abort();
        }
    }

    private void report(String message, Throwable e) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("message", message);
        ctx.put("exception", e);
        ctx.put("transport", appTransport);
        ctx.put("protocol", app);
        loop.callExceptionHandler(ctx);
    }

    // ---------------------------------------------------------------- the application's transport

    private final class AppTransport implements Transport {

        @Override
        public void write(byte[] data) {
            write(data, 0, data.length);
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            Objects.requireNonNull(data, "data");
            Objects.checkFromIndexSize(offset, length, data.length);
            loop.checkOwner("write");
            if (length == 0 || closing || failure != null) {
                return;
            }
            pendingWrites.addLast(ByteBuffer.wrap(Arrays.copyOfRange(data, offset, offset + length)));
            pendingBytes += length;
            if (handshakeDone) {
                process();
            }
        }

        @Override
        public void writeEof() {
            throw new UnsupportedOperationException("TLS does not support half-closes: use close()");
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void close() {
            loop.checkOwner("close");
            if (closing) {
                return;
            }
            closing = true;
            if (!handshakeDone || failure != null) {
                raw.close();
                return;
            }
            try {
                flushPendingWrites();
                engine.closeOutbound();
                wrap(EMPTY); // close_notify
            } catch (SSLException e) {
                LOG.log(System.Logger.Level.DEBUG, "sending close_notify failed", e);
            }
            raw.close();
        }

        @Override
        public void abort() {
            loop.checkOwner("abort");
            closing = true;
            raw.abort();
        }

        @Override
        public boolean isClosing() {
            return closing || raw.isClosing();
        }

        @Override
        public void pauseReading() {
            raw.pauseReading();
        }

        @Override
        public void resumeReading() {
            raw.resumeReading();
        }

        @Override
        public boolean isReading() {
            return raw.isReading();
        }

        @Override
        public long getWriteBufferSize() {
            return raw.getWriteBufferSize() + pendingBytes;
        }

        @Override
        public long getWriteBufferHighWaterMark() {
            return raw.getWriteBufferHighWaterMark();
        }

        @Override
        public long getWriteBufferLowWaterMark() {
            return raw.getWriteBufferLowWaterMark();
        }

        @Override
        public void setWriteBufferLimits(long high, long low) {
            raw.setWriteBufferLimits(high, low);
        }

        @Override
        public Object getExtraInfo(String name) {
            switch (name) {
                case "sslcontext":
                    return context;
                case "ssl_object":
                    return engine.getSession();
                case "cipher":
                    return engine.getSession().getCipherSuite();
                case "peercert":
                    try {
                        Certificate[] chain = engine.getSession().getPeerCertificates();
                        return chain.length == 0 ? null : chain[0];
                    } catch (SSLPeerUnverifiedException e) {
                        return null;
                    }
                default:
                    return raw.getExtraInfo(name);
            }
        }

        @Override
        public Protocol getProtocol() {
            return app;
        }

        @Override
        public void setProtocol(Protocol protocol) {
            app = Objects.requireNonNull(protocol, "protocol");
        }

        @Override
        public String toString() {
            return "SslTransport[" + raw
                    + (handshakeDone ? " " + engine.getSession().getProtocol() : " handshaking") + "]";
        }
    }
}
