package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.port;
import static io.loopbridge.io.Bytes.s;
import static io.loopbridge.io.Bytes.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Streams}: {@code openConnection} and {@code startServer} on 127.0.0.1 with port 0, as the
 * asyncio streams documentation shows them. Every test runs on each coroutine engine and closes
 * every socket it opened.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsTest {
    static final String HOST = "127.0.0.1";

    /** Echoes each line until the client closes its side, then closes. */
    static void echo(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            byte[] line;
            while ((line = reader.readline()).length > 0) {
                writer.write(line);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    @AllEngines
    void linesMakeTheRoundTripThroughAnEchoServer(CoroutineEngine engine) {
        List<String> echoed = Async.run(engine, () -> {
            Server server = Streams.startServer(StreamsTest::echo, HOST, 0);
            StreamPair client = Streams.openConnection(HOST, port(server));
            List<String> got = new ArrayList<>();
            for (String line : List.of("hello\n", "world\n")) {
                client.writer().write(b(line));
                got.add(s(client.reader().readline()));
            }
            client.writer().writeEof();
            got.add("eof: " + s(client.reader().read(-1)).length());
            client.writer().close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return got;
        });

        assertThat(echoed).containsExactly("hello\n", "world\n", "eof: 0");
    }

    @AllEngines
    void theWriterTellsBothEndsOfTheConnection(CoroutineEngine engine) {
        Async.run(engine, () -> {
            LoopFuture<Object> serverSawPeer = Async.loop().createFuture();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        serverSawPeer.setResult(writer.getExtraInfo("peername"));
                        writer.close();
                    },
                    HOST,
                    0);
            try (StreamPair client = Streams.openConnection(HOST, port(server))) {
                InetSocketAddress peer = (InetSocketAddress) client.writer().getExtraInfo("peername");
                InetSocketAddress local = (InetSocketAddress) client.writer().getExtraInfo("sockname");

                assertThat(peer).isEqualTo(server.sockets().get(0));
                assertThat(Async.await(serverSawPeer)).isEqualTo(local);
                assertThat(client.writer().getExtraInfo("no such thing")).isNull();
            }
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @AllEngines
    void readexactlyAtTheEndOfTheStreamCarriesWhatArrived(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        writer.write(b("abc"));
                        writer.close();
                    },
                    HOST,
                    0);
            StreamPair client = Streams.openConnection(HOST, port(server));

            IncompleteReadException e = (IncompleteReadException)
                    catchThrowable(() -> client.reader().readexactly(10));

            assertThat(s(e.partial())).isEqualTo("abc");
            assertThat(client.reader().atEof()).isTrue();
            client.close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @AllEngines
    void aLineOverTheLimitFailsThatReadlineOnlyAndTheConnectionGoesOn(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        writer.write(b("x".repeat(100) + "\nok\n"));
                        writer.close();
                    },
                    HOST,
                    0);
            StreamPair client = Streams.openConnection(HOST, port(server), 16);
            // wait until all of it is buffered, so the overrun is the found-separator case
            until(() -> client.reader().buffered() >= 104);

            Throwable thrown = catchThrowable(client.reader()::readline);

            assertThat(thrown).isInstanceOf(LimitOverrunException.class);
            assertThat(s(client.reader().readline())).isEqualTo("ok\n");
            assertThat(client.reader().readline()).isEmpty();
            client.close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @AllEngines
    void connectingToAPortNobodyListensOnThrowsConnectException(CoroutineEngine engine) throws IOException {
        int closedPort;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(HOST, 0));
            closedPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }

        Throwable thrown = Async.run(engine, () -> catchThrowable(() -> Streams.openConnection(HOST, closedPort)));

        assertThat(thrown).isInstanceOf(ConnectException.class).hasMessageContaining(String.valueOf(closedPort));
    }

    @AllEngines
    void aHostThatDoesNotResolveThrowsUnknownHostException(CoroutineEngine engine) {
        // .invalid never resolves (RFC 6761); nothing is connected
        Throwable thrown =
                Async.run(engine, () -> catchThrowable(() -> Streams.openConnection("no-such-host.invalid", 7)));

        assertThat(thrown).isInstanceOf(UnknownHostException.class).hasMessageContaining("no-such-host.invalid");
    }

    @AllEngines
    void aHandlerThatThrowsIsReportedAndItsConnectionClosed(CoroutineEngine engine) {
        List<Map<String, Object>> reported = new ArrayList<>();
        byte[] rest = Async.run(engine, () -> {
            Async.loop().setExceptionHandler((loop, context) -> reported.add(context));
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        writer.write(b("bye"));
                        throw new IllegalStateException("handler bug");
                    },
                    HOST,
                    0);
            StreamPair client = Streams.openConnection(HOST, port(server));
            byte[] all = client.reader().read(-1);
            client.close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return all;
        });

        assertThat(s(rest)).isEqualTo("bye");
        assertThat(reported).singleElement().satisfies(ctx -> {
            assertThat(ctx.get("message")).isEqualTo("Unhandled exception in the stream handler");
            assertThat(ctx.get("exception"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasFieldOrPropertyWithValue("message", "handler bug");
        });
    }

    @AllEngines
    void fiftyClientsEachMakeAHundredRoundTripsConcurrently(CoroutineEngine engine) {
        int clients = 50;
        int lines = 100;
        List<Integer> counts = Async.run(engine, () -> {
            Server server = Streams.startServer(StreamsTest::echo, HOST, 0);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                tasks.add(Async.createTask(() -> {
                    StreamPair pair = Streams.openConnection(HOST, port(server));
                    int ok = 0;
                    for (int i = 0; i < lines; i++) {
                        String line = "client " + id + " line " + i + "\n";
                        pair.writer().write(b(line));
                        if (s(pair.reader().readline()).equals(line)) {
                            ok++;
                        }
                    }
                    pair.writer().close();
                    pair.writer().waitClosed();
                    return ok;
                }));
            }
            List<Integer> result = Async.await(Async.gather(tasks));
            server.close();
            server.waitClosed();
            return result;
        });

        assertThat(counts).hasSize(clients).containsOnly(lines);
    }

    @AllEngines
    void aBigTransferIsEchoedIntactThroughSmallReaderLimits(CoroutineEngine engine) {
        byte[] data = new byte[3 * 1024 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 11));
        }
        byte[] back = Async.run(engine, () -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        byte[] chunk;
                        while ((chunk = reader.read(8192)).length > 0) {
                            writer.write(chunk);
                            writer.drain();
                        }
                        writer.close();
                    },
                    HOST,
                    0,
                    1024);
            StreamPair client = Streams.openConnection(HOST, port(server), 1024);
            Task<byte[]> receiving = Async.createTask(() -> client.reader().read(-1));
            for (int off = 0; off < data.length; off += 100_000) {
                client.writer().write(data, off, Math.min(100_000, data.length - off));
                client.writer().drain();
            }
            client.writer().writeEof();
            byte[] got = Async.await(receiving);
            client.close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return got;
        });

        assertThat(Arrays.equals(back, data))
                .as("the echoed bytes equal the sent ones")
                .isTrue();
    }

    /**
     * The programs of the asyncio texts ({@code seeds/002}, {@code seeds/003}): an echo server whose
     * clients say {@code BYE} to leave and are dropped after an idle timeout, and the HTTP {@code HEAD}
     * client that prints a server's headers.
     */
    @Nested
    class TheProgramsOfTheTexts {
        static final Duration IDLE = Duration.ofMillis(200);

        /** {@code handle_client} of the text: echo lines, stop at BYE or after {@link #IDLE} without one. */
        void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
            try {
                while (true) {
                    byte[] data = Async.waitFor(reader::readline, IDLE);
                    if (data.length == 0 || s(data).strip().equals("BYE")) {
                        break;
                    }
                    writer.write(data);
                    writer.drain();
                }
            } finally {
                writer.close();
            }
        }

        @AllEngines
        void theEchoServerSaysGoodbyeToAClientThatSaysBye(CoroutineEngine engine) {
            List<String> heard = Async.run(engine, () -> {
                Server server = Streams.startServer(this::handleClient, HOST, 0);
                StreamPair client = Streams.openConnection(HOST, port(server));
                List<String> got = new ArrayList<>();
                for (String line : List.of("Hello, World!", "Use your voice - say what you mean")) {
                    client.writer().write(b(line + "\n"));
                    got.add(s(client.reader().readline()).strip());
                }
                client.writer().write(b("BYE\n"));
                got.add("after BYE: " + client.reader().read(-1).length + " bytes, then end of stream");
                client.close();
                client.writer().waitClosed();
                server.close();
                server.waitClosed();
                return got;
            });

            assertThat(heard)
                    .containsExactly(
                            "Hello, World!",
                            "Use your voice - say what you mean",
                            "after BYE: 0 bytes, then end of stream");
        }

        @AllEngines
        void theEchoServerDropsAClientThatSaysNothingForTooLong(CoroutineEngine engine) {
            List<Map<String, Object>> reported = new ArrayList<>();
            Duration silentFor = Async.run(engine, () -> {
                Async.loop().setExceptionHandler((loop, context) -> reported.add(context));
                Server server = Streams.startServer(this::handleClient, HOST, 0);
                long start = System.nanoTime(); // before the server's handler starts its clock
                StreamPair client = Streams.openConnection(HOST, port(server));

                byte[] rest = client.reader().read(-1);

                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                assertThat(rest).isEmpty();
                client.close();
                client.writer().waitClosed();
                server.close();
                server.waitClosed();
                return waited;
            });

            assertThat(silentFor).isBetween(IDLE, IDLE.multipliedBy(10));
            // the timeout escaped the handler: reported like any handler failure, as asyncio does
            assertThat(reported)
                    .singleElement()
                    .satisfies(ctx -> assertThat(ctx.get("exception")).isInstanceOf(AsyncTimeoutException.class));
        }

        @AllEngines
        void theHeadClientPrintsTheHeadersOfTheResponse(CoroutineEngine engine) {
            List<String> printed = Async.run(engine, () -> {
                Server web = Streams.startServer(
                        (reader, writer) -> {
                            byte[] request = reader.readuntil(b("\r\n\r\n"));
                            String firstLine = s(request).lines().findFirst().orElse("");
                            writer.write(b("HTTP/1.0 200 OK\r\nServer: test\r\nX-Request: " + firstLine + "\r\n\r\n"));
                            writer.close();
                        },
                        HOST,
                        0);

                // print_http_headers of the text
                List<String> out = new ArrayList<>();
                StreamPair conn = Streams.openConnection(HOST, port(web));
                conn.writer().write(b("HEAD /path/page.html HTTP/1.0\r\nHost: " + HOST + "\r\n\r\n"));
                while (true) {
                    byte[] line = conn.reader().readline();
                    if (line.length == 0) {
                        break;
                    }
                    String header = new String(line, StandardCharsets.ISO_8859_1).stripTrailing();
                    if (!header.isEmpty()) {
                        out.add("HTTP header> " + header);
                    }
                }
                conn.close();
                conn.writer().waitClosed();
                web.close();
                web.waitClosed();
                return out;
            });

            assertThat(printed)
                    .containsExactly(
                            "HTTP header> HTTP/1.0 200 OK",
                            "HTTP header> Server: test",
                            "HTTP header> X-Request: HEAD /path/page.html HTTP/1.0");
        }
    }
}
