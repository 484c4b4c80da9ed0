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
            assertThatIllegalStateException().isThrownBy(server::serveForever).withMessageContaining("already being awaited");

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
            Server server = Streams.startServer((reader, writer) -> {
                connected.putNowait(writer);
                reader.read(-1);
            }, HOST, 0);
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
    void bindingAnAddressInUseSaysWhichAddress(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server first = Streams.startServer(StreamsTest::echo, HOST, 0);
            InetSocketAddress taken = first.sockets().get(0);

            Throwable thrown = catchThrowable(() -> Streams.startServer(StreamsTest::echo, HOST, taken.getPort()));

            assertThat(thrown).isInstanceOf(BindException.class)
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

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("must be called inside a coroutine");
        }
    }
}
