package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.port;
import static io.loopbridge.io.Bytes.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.io.TransportTest.Recorder;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.sync.AsyncEvent;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The faults of a network connection: the loop closing under open connections, a peer reset while
 * a coroutine reads or writes, connecting where nobody listens or to a name that does not resolve
 * (no channel left open), and a slow reader that must not let a writer fill the heap.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionFaultsTest {
    static final String HOST = "127.0.0.1";

    /** A stream client whose protocol also records each {@code connectionLost} and its cause. */
    static final class CountingClient implements Protocol {
        final StreamReader reader = new StreamReader();
        final StreamReaderProtocol inner;
        final List<Throwable> lost = new ArrayList<>();
        StreamWriter writer;

        CountingClient(EventLoop loop) {
            inner = new StreamReaderProtocol(loop, reader, null);
        }

        static CountingClient connect(int port) throws IOException {
            EventLoop loop = Async.loop();
            TransportPair<CountingClient> pair = loop.createConnection(() -> new CountingClient(loop), HOST, port);
            CountingClient c = pair.protocol();
            c.writer = new StreamWriter(pair.transport(), c.inner, c.reader);
            return c;
        }

        @Override
        public void connectionMade(Transport transport) {
            inner.connectionMade(transport);
        }

        @Override
        public void dataReceived(byte[] data) {
            inner.dataReceived(data);
        }

        @Override
        public boolean eofReceived() {
            return inner.eofReceived();
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.add(cause);
            inner.connectionLost(cause);
        }

        @Override
        public void pauseWriting() {
            inner.pauseWriting();
        }

        @Override
        public void resumeWriting() {
            inner.resumeWriting();
        }
    }

    private static boolean refusesConnections(int port) {
        try (Socket s = new Socket(HOST, port)) {
            return false;
        } catch (IOException e) {
            return e instanceof ConnectException;
        }
    }

    @AllEngines
    void closingTheLoopClosesItsOpenConnectionsAndServersWithConnectionLostCalledOnce(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        int[] ports = new int[2];
        List<List<Throwable>> streamLost = new ArrayList<>();
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            LoopFuture<Recorder> accepted = loop.createFuture();
            Server server = loop.createServer(
                    () -> {
                        Recorder r = new Recorder("server", steps);
                        accepted.setResult(r);
                        return r;
                    },
                    HOST,
                    0);
            loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));
            Async.await(accepted);
            Server streams = Streams.startServer(
                    (reader, writer) -> {
                        steps.add("handler reads");
                        reader.readline(); // never answered: Async.run cancels it
                    },
                    HOST,
                    0);
            CountingClient streamClient = CountingClient.connect(port(streams));
            until(() -> steps.contains("handler reads"));
            ports[0] = port(server);
            ports[1] = port(streams);
            streamLost.add(streamClient.lost);
            return null; // everything left open
        });

        assertThat(steps).containsOnlyOnce("client connectionLost null", "server connectionLost null");
        assertThat(streamLost.get(0))
                .as("the stream client's connectionLost causes")
                .hasSize(1)
                .containsOnlyNulls();
        assertThat(refusesConnections(ports[0]))
                .as("the first server stopped listening")
                .isTrue();
        assertThat(refusesConnections(ports[1]))
                .as("the streams server stopped listening")
                .isTrue();
    }

    @Test
    void closingALoopThatIsNotRunningEndsItsConnectionsOnTheClosingThread() {
        List<String> steps = new ArrayList<>();
        EventLoop loop = new EventLoop();
        TransportPair<Recorder> pair = loop.runUntilComplete(loop.createTask(() -> {
            Server server = loop.createServer(() -> new Recorder("server", steps), HOST, 0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));
            until(() -> steps.contains("server connectionMade"));
            return client;
        }));

        loop.close();
        pair.transport().close(); // already closed: nothing more happens

        assertThat(steps).containsOnlyOnce("client connectionLost null", "server connectionLost null");
        assertThat(pair.transport().isClosing()).isTrue();
    }

    @AllEngines
    void aPeerResetWhileAwaitingAReadThrowsAnIOExceptionThereAndLosesTheConnectionOnce(CoroutineEngine engine) {
        List<Throwable> lost = new ArrayList<>();
        Throwable thrown = Async.run(engine, () -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        reader.readline();
                        Async.sleep(Duration.ofMillis(20)); // the client is waiting in readline() by now
                        writer.transport().abort(); // SO_LINGER 0: the close sends a reset
                    },
                    HOST,
                    0);
            CountingClient client = CountingClient.connect(port(server));
            client.writer.write(b("reset me\n"));

            Throwable atRead = catchThrowable(client.reader::readline);
            Async.sleep(Duration.ofMillis(20)); // room for a second connectionLost, which must not come
            assertThat(client.writer.isClosing()).isTrue();
            client.writer.close(); // closing again changes nothing
            Async.sleep(Duration.ofMillis(5));
            lost.addAll(client.lost);
            server.close();
            server.waitClosed();
            return atRead;
        });

        assertThat(thrown).isInstanceOf(IOException.class);
        assertThat(lost).containsExactly(thrown);
    }

    @AllEngines
    void aPeerResetWhileAWriterWaitsInDrainThrowsAnIOExceptionThereAndLosesTheConnectionOnce(CoroutineEngine engine) {
        List<Throwable> lost = new ArrayList<>();
        long[] written = {0};
        Throwable thrown = Async.run(engine, () -> {
            AsyncEvent resetNow = new AsyncEvent();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        resetNow.await(); // reads nothing until then: the client's writes pile up
                        writer.transport().abort();
                    },
                    HOST,
                    0);
            CountingClient client = CountingClient.connect(port(server));
            Task<Throwable> writing = Async.createTask(() -> catchThrowable(() -> {
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                    client.writer.write(chunk);
                    written[0] += chunk.length;
                    client.writer.drain();
                }
            }));
            long before;
            do { // until the writer stops making progress: it is suspended in drain()
                before = written[0];
                Async.sleep(Duration.ofMillis(30));
            } while (written[0] != before);
            assertThat(writing.isDone()).isFalse();

            resetNow.set();
            Throwable atDrain = Async.await(writing);
            Async.sleep(Duration.ofMillis(20));
            lost.addAll(client.lost);
            server.close();
            server.waitClosed();
            return atDrain;
        });

        assertThat(thrown).isInstanceOf(IOException.class);
        assertThat(lost).containsExactly(thrown);
    }

    private static long openFileDescriptors() {
        Object os = ManagementFactory.getOperatingSystemMXBean();
        return ((com.sun.management.UnixOperatingSystemMXBean) os).getOpenFileDescriptorCount();
    }

    @AllEngines
    void failedConnectsLeaveNoChannelOpen(CoroutineEngine engine) throws IOException {
        int closedPort;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(HOST, 0));
            closedPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        int attempts = 200;
        long[] fds = new long[2];
        List<Class<?>> failures = Async.run(engine, () -> {
            List<Class<?>> seen = new ArrayList<>();
            seen.add(catchThrowable(() -> Streams.openConnection("no-such-host.invalid", 7))
                    .getClass()); // warm up
            seen.add(catchThrowable(() -> Streams.openConnection(HOST, closedPort))
                    .getClass());
            fds[0] = openFileDescriptors();
            for (int i = 0; i < attempts; i++) {
                seen.add(catchThrowable(() -> Streams.openConnection(HOST, closedPort))
                        .getClass());
                seen.add(catchThrowable(
                                () -> Async.loop().createConnection(TransportTest.EchoProtocol::new, HOST, closedPort))
                        .getClass());
            }
            fds[1] = openFileDescriptors();
            return seen;
        });

        assertThat(failures.get(0)).isEqualTo(UnknownHostException.class);
        assertThat(failures.subList(1, failures.size())).containsOnly(ConnectException.class);
        assertThat(fds[1] - fds[0])
                .as("file descriptors left open by %d failed connects", 2 * attempts)
                .isLessThan(10);
    }

    /**
     * asyncio's promise for a slow reader: {@code drain()} suspends the writer, so a gigabyte goes
     * through while the heap holds no more than the water marks and the reader's limit.
     */
    @Test
    void aGigabyteThroughAPausedReaderKeepsTheHeapBounded() {
        long total = 1L << 30;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] heap = new long[2]; // live heap before, largest live heap while the reader was paused
        long[] buffered = new long[2]; // largest write buffer, largest reader buffer
        long received = Async.run(() -> {
            AsyncEvent readerGo = new AsyncEvent();
            LoopFuture<Long> counted = Async.loop().createFuture();
            StreamReader[] serverReader = new StreamReader[1];
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        serverReader[0] = reader;
                        long n = 0;
                        byte[] chunk;
                        while (true) {
                            readerGo.await(); // paused while the event is clear
                            if ((chunk = reader.read(1 << 20)).length == 0) {
                                break;
                            }
                            n += chunk.length;
                        }
                        counted.setResult(n);
                        writer.close();
                    },
                    HOST,
                    0);
            StreamPair client = Streams.openConnection(HOST, port(server));
            Transport transport = client.writer().transport();
            System.gc();
            heap[0] = memory.getHeapMemoryUsage().getUsed();
            long[] written = {0};
            Task<Void> writing = Async.createTask(() -> {
                byte[] chunk = new byte[64 * 1024];
                while (written[0] < total) {
                    client.writer().write(chunk);
                    written[0] += chunk.length;
                    buffered[0] = Math.max(buffered[0], transport.getWriteBufferSize());
                    client.writer().drain();
                }
                client.writer().writeEof();
                return null;
            });
            // pause the reader for a while every 256 MiB, and weigh the live heap then
            long nextPause = 0;
            while (!writing.isDone()) {
                if (written[0] >= nextPause) {
                    readerGo.clear();
                    long before;
                    do { // until the writer is suspended in drain()
                        before = written[0];
                        Async.sleep(Duration.ofMillis(20));
                    } while (written[0] != before && !writing.isDone());
                    System.gc();
                    heap[1] = Math.max(heap[1], memory.getHeapMemoryUsage().getUsed());
                    if (serverReader[0] != null) {
                        buffered[1] = Math.max(buffered[1], serverReader[0].buffered());
                    }
                    nextPause += 256L << 20;
                    readerGo.set();
                }
                Async.sleep(Duration.ofMillis(5));
            }
            readerGo.set();
            Async.await(writing);
            long n = Async.await(counted);
            client.writer().close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return n;
        });

        assertThat(received).isEqualTo(total);
        assertThat(buffered[0])
                .as("the writer's buffer stays within the high water mark and one write")
                .isLessThanOrEqualTo(64 * 1024 + 64 * 1024);
        assertThat(buffered[1])
                .as("the reader's buffer stays within twice its limit and one read")
                .isLessThanOrEqualTo(2L * StreamReader.DEFAULT_LIMIT + (1 << 20));
        assertThat(heap[1] - heap[0])
                .as("live heap growth while the reader was paused")
                .isLessThan(32L << 20);
    }
}
