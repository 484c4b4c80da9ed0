package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EchoServerTest {
    /**
     * A client written in Python with asyncio's {@code open_connection}: three lines (one not
     * ASCII), each echoed before the next; {@code BYE}; then a second connection that says nothing.
     * Arguments: the port, the server's idle timeout in seconds.
     */
    static final String PYTHON_CLIENT = """
            import asyncio, sys, time

            async def main(port, idle):
                reader, writer = await asyncio.open_connection('127.0.0.1', port)
                for line in ['Hello, World!', 'Use your voice - say what you mean', 'Grüße, 世界']:
                    writer.write((line + '\\n').encode())
                    await writer.drain()
                    echo = await reader.readline()
                    print('echo: ' + echo.decode().rstrip('\\n'))
                writer.write(b'BYE\\n')
                await writer.drain()
                rest = await asyncio.wait_for(reader.read(), 5)
                print('after BYE: %d bytes, then end of stream' % len(rest))
                writer.close()
                await writer.wait_closed()

                reader, writer = await asyncio.open_connection('127.0.0.1', port)
                start = time.monotonic()
                rest = await asyncio.wait_for(reader.read(), 5)
                waited = time.monotonic() - start
                print('silent: %d bytes, then end of stream, after the idle timeout: %s' % (len(rest), waited >= 0.9 * idle))
                writer.close()
                await writer.wait_closed()

            asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
            """;

    /** What {@link #PYTHON_CLIENT} prints when the server behaves. */
    static final String PYTHON_CLIENT_PRINTS = """
            echo: Hello, World!
            echo: Use your voice - say what you mean
            echo: Grüße, 世界
            after BYE: 0 bytes, then end of stream
            silent: 0 bytes, then end of stream, after the idle timeout: True
            """;

    @Test
    void theTourTalksToTheServerThenStaysSilentUntilDropped() throws Exception {
        assertThat(lines(new EchoServer())).containsExactlyElementsOf(expected("""
                -- an echo server on 127.0.0.1, a free port; idle timeout 200 ms
                [client 1] > Hello, World!
                [client 1] < Hello, World!
                [client 1] > Use your voice - say what you mean
                [client 1] < Use your voice - say what you mean
                [client 1] > Do not become an echo of someone else's opinion
                [client 1] < Do not become an echo of someone else's opinion
                [client 1] > BYE
                [server] client 1 said BYE after 3 lines: disconnecting
                [client 1] the server closed the connection
                [client 2] connects and says nothing
                [server] client 2 was silent for 200 ms: disconnecting
                [client 2] the server closed the connection after the idle timeout
                -- server closed
                """));
    }

    @Test
    void theIdleTimeoutIsAnOption() throws Exception {
        assertThat(lines(new EchoServer(), "--idle-timeout", "50ms"))
                .contains(
                        "[server] client 2 was silent for 50 ms: disconnecting",
                        "[client 2] the server closed the connection after the idle timeout");
    }

    @Test
    void aPythonAsyncioClientIsEchoedLineForLineAndHonoursByeAndTheIdleTimeout() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        Duration idle = Duration.ofSeconds(1);
        try (Background server = Background.serve(() -> EchoServer.start(0, idle, logStream))) {
            assertThat(External.run(
                            Duration.ofSeconds(30),
                            "python3",
                            "-c",
                            PYTHON_CLIENT,
                            String.valueOf(server.port()),
                            "1.0"))
                    .containsExactlyElementsOf(expected(PYTHON_CLIENT_PRINTS));
        }
        assertThat(log.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "[server] client 1 said BYE after 3 lines: disconnecting",
                        "[server] client 2 was silent for 1000 ms: disconnecting");
    }

    @Test
    void aClientThatHangsUpOrSendsAnEndlessLineIsLetGo() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (Background server = Background.serve(() -> EchoServer.start(0, Duration.ofSeconds(10), logStream))) {
            try (Socket leaving = new Socket(EchoServer.HOST, server.port())) {
                leaving.getOutputStream().write("one line\n".getBytes(StandardCharsets.UTF_8));
                assertThat(leaving.getInputStream().readNBytes(9))
                        .asString(StandardCharsets.UTF_8)
                        .isEqualTo("one line\n");
                leaving.shutdownOutput();
                assertThat(leaving.getInputStream().read()).as("end of stream").isEqualTo(-1);
            }
            try (Socket endless = new Socket(EchoServer.HOST, server.port())) {
                endless.getOutputStream().write(new byte[70 * 1024]); // no newline, over the 64 KiB limit
                assertThat(Sockets.disconnected(endless)).isTrue();
            }
        }
        assertThat(log.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "[server] client 1 left after 1 lines",
                        "[server] client 2 sent a line over 65536 bytes: disconnecting");
    }

    @Test
    void unknownOptionsAndStrayWordsAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EchoServer().run(new String[] {"--prot", "1"}, System.out))
                .withMessageContaining("unknown option --prot");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EchoServer().run(new String[] {"8888"}, System.out))
                .withMessageContaining("usage: echo-server");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EchoServer().run(new String[] {"--port", "99999"}, System.out))
                .withMessageContaining("--port must be a port number");
    }
}
