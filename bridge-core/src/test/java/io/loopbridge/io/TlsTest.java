package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.port;
import static io.loopbridge.io.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.LoopGroup;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS with {@link javax.net.ssl.SSLEngine} under streams and protocols: the handshake, clear text
 * both ways, {@code close_notify}, certificate and host checks, renegotiation refused. The tests
 * make their own self-signed certificate for 127.0.0.1.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsTest {
    static final String HOST = "127.0.0.1";
    static SelfSigned tls;
    /** Another certificate for 127.0.0.1, which {@link #tls}'s client does not trust. */
    static SelfSigned stranger;
    /** A certificate for another address (TEST-NET-1, only ever a name in a certificate here). */
    static SelfSigned elsewhere;

    @BeforeAll
    static void makeCertificates() throws Exception {
        tls = new SelfSigned(HOST);
        stranger = new SelfSigned(HOST);
        elsewhere = new SelfSigned("192.0.2.1");
    }

    @AllEngines
    void linesMakeTheRoundTripOverTls(CoroutineEngine engine) {
        List<String> got = Async.run(engine, () -> {
            LoopFuture<String> serverSaw = Async.loop().createFuture();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        try {
                            StreamsTest.echo(reader, writer);
                        } finally {
                            serverSaw.setResult("end of stream after close_notify");
                        }
                    },
                    HOST,
                    0,
                    tls.server);
            StreamPair client = Streams.openConnection(HOST, port(server), tls.client);
            List<String> out = new ArrayList<>();
            for (String line : List.of("secret one\n", "secret two\n")) {
                client.writer().write(b(line));
                out.add(s(client.reader().readline()));
            }
            SSLSession session = (SSLSession) client.writer().getExtraInfo("ssl_object");
            out.add(session.getProtocol());
            out.add("cipher is "
                    + (client.writer().getExtraInfo("cipher").equals(session.getCipherSuite())
                            ? "the session's"
                            : "?"));
            out.add("peercert is "
                    + (tls.certificate.equals(client.writer().getExtraInfo("peercert")) ? "the server's" : "?"));
            out.add("sslcontext is "
                    + (client.writer().getExtraInfo("sslcontext") == tls.client ? "the client's" : "?"));
            out.add("can write eof: " + client.writer().canWriteEof());

            client.writer().close();
            out.add(Async.await(serverSaw));
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return out;
        });

        assertThat(got)
                .containsExactly(
                        "secret one\n",
                        "secret two\n",
                        "TLSv1.3",
                        "cipher is the session's",
                        "peercert is the server's",
                        "sslcontext is the client's",
                        "can write eof: false",
                        "end of stream after close_notify");
    }

    @AllEngines
    void aBigTransferKeepsItsFlowControlOverTls(CoroutineEngine engine) {
        byte[] data = new byte[1024 * 1024];
        Arrays.fill(data, (byte) 'x');
        for (int i = 0; i < data.length; i += 1000) {
            data[i] = (byte) i;
        }
        byte[] back = Async.run(engine, () -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        byte[] chunk;
                        while ((chunk = reader.read(100_000)).length > 0) {
                            writer.write(chunk);
                            writer.drain();
                        }
                        writer.close();
                    },
                    HOST,
                    0,
                    tls.server);
            StreamPair client = Streams.openConnection(HOST, port(server), tls.client);
            var receiving = Async.createTask(() -> {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                while (all.size() < data.length) {
                    byte[] chunk = client.reader().read(65536);
                    if (chunk.length == 0) {
                        break;
                    }
                    all.write(chunk);
                }
                return all.toByteArray();
            });
            for (int off = 0; off < data.length; off += 64 * 1024) {
                client.writer().write(data, off, Math.min(64 * 1024, data.length - off));
                client.writer().drain();
            }
            byte[] all = Async.await(receiving);
            client.writer().close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return all;
        });

        assertThat(Arrays.equals(back, data))
                .as("the echoed bytes equal the sent ones")
                .isTrue();
    }

    @AllEngines
    void aServerWhoseCertificateIsNotTrustedFailsTheHandshakeAndNeverReachesTheHandler(CoroutineEngine engine) {
        SSLContext trustsNothingOfOurs = stranger.client;
        List<String> handled = new ArrayList<>();
        Throwable thrown = Async.run(engine, () -> {
            Server server = Streams.startServer((reader, writer) -> handled.add("handler"), HOST, 0, tls.server);
            Throwable t = catchThrowable(() -> Streams.openConnection(HOST, port(server), trustsNothingOfOurs));
            server.close();
            server.waitClosed();
            return t;
        });

        assertThat(thrown).isInstanceOf(SSLHandshakeException.class);
        assertThat(handled).isEmpty();
    }

    @AllEngines
    void aLoopGroupServerDoesEachHandshakeOnTheLoopItHandsTheConnectionTo(CoroutineEngine engine) {
        List<String> handled = new ArrayList<>(); // guarded by itself: handlers run on the group's loops
        try (LoopGroup group = new LoopGroup(2)) {
            List<EventLoop> loops = group.loops();
            List<String> answers = Async.run(engine, () -> {
                Server server = Streams.startServer(
                        group,
                        (reader, writer) -> {
                            EventLoop own = Async.loop();
                            SSLSession session = (SSLSession) writer.getExtraInfo("ssl_object");
                            byte[] line = reader.readline();
                            writer.write(
                                    b("loop " + loops.indexOf(own) + " " + session.getProtocol() + ": " + s(line)));
                            writer.drain();
                            synchronized (handled) {
                                handled.add("loop " + loops.indexOf(own));
                            }
                            writer.close();
                        },
                        HOST,
                        0,
                        tls.server);
                List<String> out = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    StreamPair conn = Streams.openConnection(HOST, port(server), tls.client);
                    conn.writer().write(b("secret " + c + "\n"));
                    out.add(s(conn.reader().readline()));
                    conn.close();
                    conn.writer().waitClosed();
                }
                Throwable untrusted = catchThrowable(() -> Streams.openConnection(HOST, port(server), stranger.client));
                out.add("untrusted client: " + untrusted.getClass().getSimpleName());
                server.close();
                server.waitClosed(); // every connection on every loop has ended
                return out;
            });

            assertThat(answers)
                    .as("round-robin over the group, TLS on each loop")
                    .containsExactly(
                            "loop 0 TLSv1.3: secret 0\n",
                            "loop 1 TLSv1.3: secret 1\n",
                            "loop 0 TLSv1.3: secret 2\n",
                            "loop 1 TLSv1.3: secret 3\n",
                            "untrusted client: SSLHandshakeException");
            synchronized (handled) {
                assertThat(handled)
                        .as("the failed handshake never reached a handler")
                        .hasSize(4);
            }
        }
    }

    @AllEngines
    void aCertificateForAnotherAddressFailsTheHostCheck(CoroutineEngine engine) {
        Throwable thrown = Async.run(engine, () -> {
            Server server = Streams.startServer((reader, writer) -> writer.close(), HOST, 0, elsewhere.server);
            Throwable t = catchThrowable(() -> Streams.openConnection(HOST, port(server), elsewhere.client));
            server.close();
            server.waitClosed();
            return t;
        });

        assertThat(thrown).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");
    }

    @AllEngines
    void renegotiationIsRefusedWithAClearError(CoroutineEngine engine) {
        Throwable atServer = Async.run(engine, () -> {
            LoopFuture<Throwable> failed = Async.loop().createFuture();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        try {
                            writer.write(reader.readline());
                            reader.readline();
                            failed.setResult(null);
                        } catch (IOException e) {
                            failed.setResult(e);
                        } finally {
                            writer.close();
                        }
                    },
                    HOST,
                    0,
                    tls.server);
            int port = port(server);
            // a blocking TLS 1.2 client on another thread: it handshakes, talks, then asks to renegotiate
            Async.toThread(() -> {
                try (SSLSocket socket =
                        (SSLSocket) tls.client.getSocketFactory().createSocket(HOST, port)) {
                    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    out.write(b("hello\n"));
                    out.flush();
                    in.readNBytes(6);
                    socket.startHandshake(); // renegotiation
                    out.write(b("again\n"));
                    out.flush();
                    in.read();
                } catch (IOException expected) {
                    // the server closed the connection
                }
                return null;
            });
            Throwable t = Async.await(failed);
            server.close();
            server.waitClosed();
            return t;
        });

        assertThat(atServer).isInstanceOf(SSLException.class).hasMessageContaining("renegotiation is not supported");
    }

    @AllEngines
    void writeEofIsNotSupportedOverTls(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server server = Streams.startServer((reader, writer) -> writer.close(), HOST, 0, tls.server);
            StreamPair client = Streams.openConnection(HOST, port(server), tls.client);

            assertThatThrownBy(client.writer()::writeEof)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("half-close");
            assertThat(client.reader().read(-1)).isEmpty();
            client.close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return null;
        });
    }
}
