package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.io.DatagramPair;
import io.loopbridge.io.DatagramProtocol;
import io.loopbridge.io.DatagramTransport;
import io.loopbridge.io.Protocol;
import io.loopbridge.io.Server;
import io.loopbridge.io.StreamHandler;
import io.loopbridge.io.StreamPair;
import io.loopbridge.io.StreamReader;
import io.loopbridge.io.StreamWriter;
import io.loopbridge.io.Streams;
import io.loopbridge.io.Subprocess;
import io.loopbridge.io.Transport;
import io.loopbridge.io.TransportPair;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.Timeout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The snippets of docs/io.md. */
@SuppressWarnings("try") // try (Timeout t = ...) scopes a deadline; t itself is unused
class IoSnippets extends SnippetTest {
    // tag::handler[]
    static void echo(StreamReader reader, StreamWriter writer) throws IOException {
        try (writer) {
            byte[] line;
            while ((line = reader.readline()).length > 0) { // empty at end of stream
                writer.write(line);
                writer.drain(); // waits while the peer is not reading
            }
        }
    }
    // end::handler[]

    @Test
    void streams() {
        // tag::streams[]
        Async.run(() -> {
            try (Server server = Streams.startServer(IoSnippets::echo, "127.0.0.1", 0)) { // a task per client
                int port = server.sockets().get(0).getPort();
                try (StreamPair conn = Streams.openConnection("127.0.0.1", port)) {
                    conn.writer().write("hello\n".getBytes(StandardCharsets.UTF_8));
                    String echoed = new String(conn.reader().readline(), StandardCharsets.UTF_8);
                    System.out.print("echoed: " + echoed);
                }
            }
            return null;
        });
        // end::streams[]
        assertThat(printed()).containsExactly("echoed: hello");
    }

    @Test
    void readTimeout() {
        // tag::readTimeout[]
        Async.run(() -> {
            StreamHandler silent = (reader, writer) -> Async.sleep(Duration.ofMinutes(1));
            try (Server server = Streams.startServer(silent, "127.0.0.1", 0);
                    StreamPair conn = Streams.openConnection(
                            "127.0.0.1", server.sockets().get(0).getPort())) {
                try (Timeout t = Async.timeout(Duration.ofMillis(50))) {
                    conn.reader().readline(); // IOException stays an IOException
                } catch (AsyncTimeoutException e) {
                    System.out.println("no line within 50 ms");
                }
            }
            return null;
        });
        // end::readTimeout[]
        assertThat(printed()).containsExactly("no line within 50 ms");
    }

    // tag::protocol[]
    static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport transport) { // callbacks, on the loop's thread
            this.transport = transport;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data); // buffered: never blocks, never suspends
        }
    }

    static final class Collect implements Protocol {
        final StringBuilder received = new StringBuilder();
        final LoopFuture<String> firstData = EventLoop.running().createFuture();

        @Override
        public void dataReceived(byte[] data) {
            received.append(new String(data, StandardCharsets.UTF_8));
            if (!firstData.isDone()) {
                firstData.setResult(received.toString());
            }
        }
    }
    // end::protocol[]

    @Test
    void protocols() {
        // tag::protocols[]
        Async.run(() -> {
            EventLoop loop = Async.loop();
            try (Server server = loop.createServer(EchoProtocol::new, "127.0.0.1", 0)) {
                TransportPair<Collect> client = loop.createConnection(
                        Collect::new, "127.0.0.1", server.sockets().get(0).getPort());
                client.transport().write("ping".getBytes(StandardCharsets.UTF_8));
                System.out.println("got " + Async.await(client.protocol().firstData));
                client.transport().close();
            }
            return null;
        });
        // end::protocols[]
        assertThat(printed()).containsExactly("got ping");
    }

    @Test
    void udp() {
        // tag::udp[]
        Async.run(() -> {
            EventLoop loop = Async.loop();
            LoopFuture<String> reply = loop.createFuture();
            DatagramPair<DatagramProtocol> server = loop.createDatagramEndpoint(
                    () -> new DatagramProtocol() {
                        DatagramTransport transport;

                        @Override
                        public void connectionMade(DatagramTransport t) {
                            transport = t;
                        }

                        @Override
                        public void datagramReceived(byte[] data, InetSocketAddress from) {
                            transport.sendto(data, from); // echo to the sender
                        }
                    },
                    new InetSocketAddress("127.0.0.1", 0),
                    null);
            InetSocketAddress serverAddress =
                    (InetSocketAddress) server.transport().getExtraInfo("sockname");
            DatagramPair<DatagramProtocol> client = loop.createDatagramEndpoint(
                    () -> new DatagramProtocol() {
                        @Override
                        public void datagramReceived(byte[] data, InetSocketAddress from) {
                            reply.setResult(new String(data, StandardCharsets.UTF_8));
                        }
                    },
                    null,
                    serverAddress);
            client.transport().sendto("ping".getBytes(StandardCharsets.UTF_8)); // to the connected address
            System.out.println("reply: " + Async.waitFor(reply, Duration.ofSeconds(5)));
            client.transport().close();
            server.transport().close();
            return null;
        });
        // end::udp[]
        assertThat(printed()).containsExactly("reply: ping");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void subprocess() {
        // tag::subprocess[]
        Async.run(() -> {
            Subprocess sort = Subprocess.exec("sort"); // stdin, stdout and stderr piped
            Subprocess.Output out = sort.communicate("pear\napple\n".getBytes(StandardCharsets.UTF_8));
            System.out.print(new String(out.stdout(), StandardCharsets.UTF_8));
            System.out.println("exit code " + out.exitCode());
            return null;
        });
        // end::subprocess[]
        assertThat(printed()).containsExactly("apple", "pear", "exit code 0");
    }
}
