package io.loopbridge.io.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loopbridge.io.Protocol;
import io.loopbridge.io.SelfSigned;
import io.loopbridge.io.Transport;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The TLS record path fed hostile bytes: an {@link SslProtocol}, as a server or as a client, gets
 * arbitrary or mutated records (a real ClientHello, or a real server's first flight, with bytes
 * overwritten), cut into arbitrary chunks, then the end of the stream. Whatever arrives, no
 * callback may throw, the handshake must end (it never hangs: every call returns), and every
 * failure anyone sees (the handshake future, the loop's exception handler, the application) must be
 * an {@link SSLException}: the promise a TLS server makes to its users.
 *
 * <p>Regression mode (every {@code mvn verify}) runs the seeds below and {@code
 * SslRecordFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes (see docs/RELIABILITY.md).
 */
class SslRecordFuzzTest {
    static final SelfSigned CERT;
    /** A real client's first flight (its ClientHello). */
    static final byte[] CLIENT_HELLO;
    /** A real server's answer to a ClientHello (ServerHello, certificate, ... for TLS 1.3). */
    static final byte[] SERVER_FLIGHT;

    static {
        try {
            CERT = new SelfSigned("127.0.0.1");
            SSLEngine client = CERT.client.createSSLEngine("127.0.0.1", 443);
            client.setUseClientMode(true);
            SSLEngine server = CERT.server.createSSLEngine();
            server.setUseClientMode(false);
            CLIENT_HELLO = flight(client);
            feed(server, CLIENT_HELLO);
            SERVER_FLIGHT = flight(server);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Wraps until the engine wants input: everything it sends before the peer answers. */
    private static byte[] flight(SSLEngine engine) throws SSLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        while (true) {
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP
                    || hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && out.size() == 0) {
                net.clear();
                engine.wrap(ByteBuffer.allocate(0), net);
                out.write(net.array(), 0, net.position());
            } else {
                return out.toByteArray();
            }
        }
    }

    private static void feed(SSLEngine engine, byte[] records) throws SSLException {
        ByteBuffer in = ByteBuffer.wrap(records);
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        while (in.hasRemaining()) {
            SSLEngineResult r = engine.unwrap(in, app);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    void hostileRecordsEndInAnSslExceptionOrAHandshake(FuzzedDataProvider data) {
        boolean serverSide = data.consumeBoolean();
        byte[] input;
        if (data.consumeBoolean()) {
            // a real flight of the peer with some bytes overwritten: gets past the record layer
            input = (serverSide ? CLIENT_HELLO : SERVER_FLIGHT).clone();
            int mutations = data.consumeInt(0, 8);
            for (int i = 0; i < mutations; i++) {
                input[data.consumeInt(0, input.length - 1)] = data.consumeByte();
            }
            int cut = data.consumeInt(0, input.length);
            byte[] cutInput = new byte[cut];
            System.arraycopy(input, 0, cutInput, 0, cut);
            input = cutInput;
        } else {
            input = new byte[0];
        }
        long chunking = data.consumeLong();
        byte[] tail = data.consumeRemainingAsBytes();
        byte[] all = new byte[input.length + tail.length];
        System.arraycopy(input, 0, all, 0, input.length);
        System.arraycopy(tail, 0, all, input.length, tail.length);
        run(serverSide, all, new Random(chunking));
    }

    static void run(boolean serverSide, byte[] bytes, Random chunks) {
        EventLoop loop = new EventLoop(CoroutineEngine.THREADS);
        List<Throwable> seen = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> {
            Object e = context.get("exception");
            seen.add(e instanceof Throwable ? (Throwable) e : new AssertionError("reported: " + context));
        });
        try {
            FakeRaw raw = new FakeRaw();
            Protocol app = new Protocol() {
                @Override
                public void connectionLost(Throwable cause) {
                    if (cause != null) {
                        seen.add(cause);
                    }
                }
            };
            SslProtocol tls = serverSide
                    ? new SslProtocol(loop, CERT.server, false, null, 0, app)
                    : new SslProtocol(loop, CERT.client, true, "127.0.0.1", 443, app);
            // the loop is not running: this thread may drive the protocol as the loop would
            tls.connectionMade(raw);
            int at = 0;
            while (at < bytes.length && !raw.closed) {
                int n = Math.min(bytes.length - at, 1 + chunks.nextInt(chunks.nextBoolean() ? 8 : 2048));
                byte[] chunk = new byte[n];
                System.arraycopy(bytes, at, chunk, 0, n);
                tls.dataReceived(chunk);
                at += n;
            }
            if (!raw.closed) {
                tls.eofReceived();
            }
            tls.connectionLost(null);
            laps(loop, 3);
            assertThat(tls.handshake.isDone()).as("the handshake ended").isTrue();
            assertThat(tls.handshake.isCancelled()).isFalse();
            if (tls.handshake.exception() != null) {
                seen.add(tls.handshake.exception());
            }
            assertThat(seen)
                    .as("failures seen by the creator, the handler and the application")
                    .allSatisfy(e -> assertThat(e).isInstanceOf(SSLException.class));
        } finally {
            loop.close();
        }
    }

    static void laps(EventLoop loop, int n) {
        for (int i = 0; i < n; i++) {
            loop.callSoon(loop::stop);
            loop.runForever();
        }
    }

    /** A socket transport that takes what is written and remembers whether it was closed. */
    static final class FakeRaw implements Transport {
        long written;
        boolean closed;
        Protocol protocol;

        @Override
        public void write(byte[] data) {
            write(data, 0, data.length);
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            written += length;
        }

        @Override
        public void writeEof() {}

        @Override
        public boolean canWriteEof() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void abort() {
            closed = true;
        }

        @Override
        public boolean isClosing() {
            return closed;
        }

        @Override
        public void pauseReading() {}

        @Override
        public void resumeReading() {}

        @Override
        public boolean isReading() {
            return !closed;
        }

        @Override
        public long getWriteBufferSize() {
            return 0;
        }

        @Override
        public long getWriteBufferHighWaterMark() {
            return 64 * 1024;
        }

        @Override
        public long getWriteBufferLowWaterMark() {
            return 16 * 1024;
        }

        @Override
        public void setWriteBufferLimits(long high, long low) {}

        @Override
        public Object getExtraInfo(String name) {
            return null;
        }

        @Override
        public Protocol getProtocol() {
            return protocol;
        }

        @Override
        public void setProtocol(Protocol protocol) {
            this.protocol = protocol;
        }
    }
}
