package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * UDP endpoints ({@code loop.createDatagramEndpoint}) on 127.0.0.1, as asyncio's UDP echo example:
 * datagrams both ways with their addresses, {@code errorReceived} for an unreachable port, close.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramTransportTest {
    static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    /** asyncio's EchoServerProtocol: sends each datagram back to where it came from. */
    static final class EchoServer implements DatagramProtocol {
        DatagramTransport transport;

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
        }

        @Override
        public void datagramReceived(byte[] data, InetSocketAddress address) {
            transport.sendto(data, address);
        }
    }

    /** Records what it hears. */
    static final class Client implements DatagramProtocol {
        final List<String> steps = new ArrayList<>();
        final LoopFuture<Void> lost = EventLoop.running().createFuture();
        LoopFuture<String> next = EventLoop.running().createFuture();

        @Override
        public void connectionMade(DatagramTransport transport) {
            steps.add("connectionMade");
        }

        @Override
        public void datagramReceived(byte[] data, InetSocketAddress address) {
            steps.add("received '" + s(data) + "' from " + address);
            next.setResult(s(data));
        }

        @Override
        public void errorReceived(IOException error) {
            steps.add("errorReceived " + error.getClass().getSimpleName());
            next.setException(error);
        }

        @Override
        public void connectionLost(Throwable cause) {
            steps.add("connectionLost " + cause);
            lost.setResult(null);
        }

        String awaitNext() {
            try {
                return Async.await(next);
            } finally {
                next = EventLoop.running().createFuture();
            }
        }
    }

    @AllEngines
    void datagramsMakeTheRoundTripWithTheirAddresses(CoroutineEngine engine) {
        List<String> steps = Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            DatagramPair<EchoServer> server = loop.createDatagramEndpoint(EchoServer::new, ANY_PORT, null);
            InetSocketAddress serverAddress =
                    (InetSocketAddress) server.transport().getExtraInfo("sockname");
            DatagramPair<Client> client = loop.createDatagramEndpoint(Client::new, ANY_PORT, serverAddress);

            assertThat(client.transport().getExtraInfo("peername")).isEqualTo(serverAddress);
            client.transport().sendto(b("ping"));
            assertThat(client.protocol().awaitNext()).isEqualTo("ping");
            client.transport().sendto(b("pong"), serverAddress);
            assertThat(client.protocol().awaitNext()).isEqualTo("pong");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> client.transport().sendto(b("x"), ANY_PORT))
                    .withMessageStartingWith("Invalid address");

            client.transport().close();
            server.transport().close();
            Async.await(client.protocol().lost);
            assertThat(client.transport().isClosing()).isTrue();
            return List.copyOf(client.protocol().steps);
        });

        assertThat(steps).hasSize(4);
        assertThat(steps.get(0)).isEqualTo("connectionMade");
        assertThat(steps.get(1)).startsWith("received 'ping' from /127.0.0.1:");
        assertThat(steps.get(3)).isEqualTo("connectionLost null");
    }

    @AllEngines
    void aConnectedEndpointHearsThatNobodyListens(CoroutineEngine engine) throws IOException {
        InetSocketAddress nobody;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(ANY_PORT);
            nobody = (InetSocketAddress) probe.getLocalAddress();
        }

        Throwable error = Async.run(engine, () -> {
            DatagramPair<Client> client = Async.loop().createDatagramEndpoint(Client::new, ANY_PORT, nobody);
            client.transport().sendto(b("anyone?"));
            Throwable seen = null;
            try {
                client.protocol().awaitNext();
            } catch (RuntimeException e) {
                seen = e.getCause() != null ? e.getCause() : e;
            }
            assertThat(client.transport().isClosing())
                    .as("an error received does not close the endpoint")
                    .isFalse();
            client.transport().close();
            Async.await(client.protocol().lost);
            return seen;
        });

        assertThat(error).isInstanceOf(PortUnreachableException.class);
    }
}
