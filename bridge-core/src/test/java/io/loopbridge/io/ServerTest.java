package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.port;
import static io.loopbridge.io.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.LoopGroup;
import io.loopbridge.sync.AsyncQueue;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Server}: port 0 read back through {@code sockets()}, {@code close} (listening stops,
 * connections stay), {@code waitClosed} (waits for the connections too, as asyncio 3.12),
 * {@code serveForever}, {@code closeClients} and {@code abortClients}. Every test runs on each engine.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerTest {
    static final String HOST = "127.0.0.1";

    @AllEngines
    void socketsTellThePortTheSystemChoseAndAreEmptyOnceClosed(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server server = Streams.startServer(StreamsTest::echo, HOST, 0);

            assertThat(server.isServing()).isTrue();
            assertThat(server.sockets()).singleElement().satisfies(address -> {
                assertThat(address.getAddress().getHostAddress()).isEqualTo(HOST);
                assertThat(address.getPort()).isPositive();
            });

            server.close();
            assertThat(server.isServing()).isFalse();
            assertThat(server.sockets()).isEmpty();
            server.waitClosed();
            server.close(); // idempotent
            return null;
        });
    }

    @AllEngines
    void closeStopsListeningWhileConnectionsGoOnAndWaitClosedWaitsForThem(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        Async.run(engine, () -> {
            Server server = Streams.startServer(StreamsTest::echo, HOST, 0);
            int port = port(server);
            StreamPair client = Streams.openConnection(HOST, port);

            server.close();
            Task<Void> waiting = Async.createTask(() -> {
                server.waitClosed();
                steps.add("waitClosed returned");
                return null;
            });
            assertThat(catchThrowable(() -> Streams.openConnection(HOST, port))).isInstanceOf(ConnectException.class);
            client.writer().write(b("still there\n"));
            steps.add("echoed " + s(client.reader().readline()).trim());

            steps.add("client closes");
            client.writer().close();
            Async.await(waiting);
            return null;
        });

        assertThat(steps).containsExactly("echoed still there", "client closes", "waitClosed returned");
    }

    @AllEngines
    void serveForeverReturnsOnceTheServerIsClosed(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        Async.run(engine, () -> {
            Server server = Async.loop().createServer(TransportTest.EchoProtocol::new, HOST, 0);
            Task<Void> serving = Async.createTask(() -> {
                steps.add("serving");
                server.serveForever();
                steps.add("serveForever returned");
                return null;
            });
            Async.sleep(Duration.ofMillis(10));
            assertThatIllegalStateException()
                    .isThrownBy(server::serveForever)
                    .withMessageContaining("already being awaited");

            steps.add("close");
            server.close();
            Async.await(serving);
            assertThatIllegalStateException().isThrownBy(server::serveForever).withMessageContaining("is closed");
            return null;
        });

        assertThat(steps).containsExactly("serving", "close", "serveForever returned");
    }

    @AllEngines
    void cancellingServeForeverClosesTheServer(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server server = Async.loop().createServer(TransportTest.EchoProtocol::new, HOST, 0);
            Task<Void> serving = Async.createTask(() -> {
                server.serveForever();
                return null;
            });
            Async.sleep(Duration.ofMillis(10));

            serving.cancel();

            assertThat(catchThrowable(() -> Async.await(serving))).isInstanceOf(CancellationException.class);
            assertThat(server.sockets()).isEmpty();
            return null;
        });
    }

    @AllEngines
    void closeClientsAndAbortClientsEndEveryConnection(CoroutineEngine engine) {
        Async.run(engine, () -> {
            AsyncQueue<StreamWriter> connected = new AsyncQueue<>();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        connected.putNowait(writer);
                        reader.read(-1);
                    },
                    HOST,
                    0);
            StreamPair polite = Streams.openConnection(HOST, port(server));
            connected.get();

            server.closeClients();
            assertThat(polite.reader().read(-1)).as("end of stream").isEmpty();

            StreamPair rude = Streams.openConnection(HOST, port(server));
            connected.get();
            server.abortClients();
            Throwable reset = catchThrowable(() -> rude.reader().read(-1));

            assertThat(reset).isInstanceOf(java.io.IOException.class);
            polite.close();
            rude.close();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @AllEngines
    void aLoopGroupServerSpreadsItsConnectionsOverTheGroupsLoops(CoroutineEngine engine) {
        int clients = 8;
        List<String> handled = new ArrayList<>(); // guarded by itself: handlers run on the group's loops
        List<EventLoop> groupLoops;
        try (LoopGroup group = new LoopGroup(2)) {
            groupLoops = group.loops();
            List<String> answers = Async.run(engine, () -> {
                EventLoop acceptor = Async.loop();
                Server server = Streams.startServer(
                        group,
                        (reader, writer) -> {
                            EventLoop own = Async.loop();
                            byte[] line;
                            while ((line = reader.readline()).length > 0) {
                                boolean home = Async.loop() == own && own.inLoop() && own != acceptor;
                                writer.write(b(
                                        (home ? "on loop " + groupLoops.indexOf(own) : "elsewhere") + ": " + s(line)));
                                writer.drain();
                            }
                            synchronized (handled) {
                                handled.add("loop " + groupLoops.indexOf(own));
                            }
                            writer.close();
                        },
                        HOST,
                        0);
                List<Task<String>> tasks = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int id = c;
                    tasks.add(Async.createTask(() -> {
                        StreamPair conn = Streams.openConnection(HOST, port(server));
                        StringBuilder got = new StringBuilder();
                        for (int i = 0; i < 3; i++) {
                            conn.writer().write(b("client " + id + " line " + i + "\n"));
                            String answer = s(conn.reader().readline());
                            got.append(answer, 0, answer.indexOf(':'));
                        }
                        conn.writer().writeEof();
                        conn.reader().read(-1);
                        conn.close();
                        conn.writer().waitClosed();
                        return got.toString();
                    }));
                }
                List<String> all = new ArrayList<>();
                for (Task<String> t : tasks) {
                    all.add(Async.await(t));
                }
                server.close();
                server.waitClosed(); // every connection on every loop has ended
                return all;
            });

            assertThat(answers).hasSize(clients).allSatisfy(a -> assertThat(a).matches("(on loop [01]){3}"));
            assertThat(answers)
                    .as("each connection stays on one loop")
                    .allSatisfy(a -> assertThat(a).isEqualTo(a.substring(0, 9).repeat(3)));
            assertThat(answers.stream().map(a -> a.substring(0, 9)).distinct())
                    .as("both loops served connections")
                    .containsExactlyInAnyOrder("on loop 0", "on loop 1");
            synchronized (handled) {
                assertThat(handled).hasSize(clients);
            }
        }
    }

    @AllEngines
    void closeClientsOfALoopGroupServerReachesTheConnectionsOnEveryLoop(CoroutineEngine engine) {
        try (LoopGroup group = new LoopGroup(2)) {
            Async.run(engine, () -> {
                Server server = Streams.startServer(group, (reader, writer) -> reader.read(-1), HOST, 0);
                List<StreamPair> conns = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    conns.add(Streams.openConnection(HOST, port(server)));
                }
                Async.sleep(Duration.ofMillis(50)); // every handoff has reached its loop

                server.close();
                server.closeClients();
                for (StreamPair conn : conns) {
                    assertThat(conn.reader().read(-1)).as("end of stream").isEmpty();
                    conn.close();
                }
                server.waitClosed();
                return null;
            });
        }
    }

    @AllEngines
    void bindingAnAddressInUseSaysWhichAddress(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server first = Streams.startServer(StreamsTest::echo, HOST, 0);
            InetSocketAddress taken = first.sockets().get(0);

            Throwable thrown = catchThrowable(() -> Streams.startServer(StreamsTest::echo, HOST, taken.getPort()));

            assertThat(thrown)
                    .isInstanceOf(BindException.class)
                    .hasMessageStartingWith("error while attempting to bind on address " + taken);
            first.close();
            first.waitClosed();
            return null;
        });
    }

    @Test
    void creatingAServerOutsideACoroutineSaysWhatToDo() {
        try (EventLoop loop = new EventLoop()) {
            Throwable thrown = catchThrowable(() -> loop.createServer(TransportTest.EchoProtocol::new, HOST, 0));

            assertThat(thrown)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be called inside a coroutine");
        }
    }
}
