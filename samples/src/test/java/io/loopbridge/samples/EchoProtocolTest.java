package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EchoProtocolTest {
    @Test
    void theTourRunsTheEchoServersSessionWithTheSameLog() throws Exception {
        assertThat(lines(new EchoProtocol())).containsExactlyElementsOf(expected("""
                -- an echo server of protocols on 127.0.0.1, a free port; idle timeout 200 ms
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
    void aPythonAsyncioClientIsEchoedLineForLineAndHonoursByeAndTheIdleTimeout() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (Background server = Background.serve(() -> EchoProtocol.start(0, Duration.ofSeconds(1), logStream))) {
            assertThat(External.run(
                            Duration.ofSeconds(30),
                            "python3",
                            "-c",
                            EchoServerTest.PYTHON_CLIENT,
                            String.valueOf(server.port()),
                            "1.0"))
                    .containsExactlyElementsOf(expected(EchoServerTest.PYTHON_CLIENT_PRINTS));
        }
        assertThat(log.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "[server] client 1 said BYE after 3 lines: disconnecting",
                        "[server] client 2 was silent for 1000 ms: disconnecting");
    }

    @Test
    void linesSplitAcrossWritesAreEchoedWholeAndDataRestartsTheIdleTimer() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        Duration idle = Duration.ofSeconds(1);
        try (Background server = Background.serve(() -> EchoProtocol.start(0, idle, logStream));
                Socket client = new Socket(EchoServer.HOST, server.port())) {
            OutputStream out = client.getOutputStream();
            // five pieces 300 ms apart: longer than the idle timeout in all, never between two pieces
            for (String piece : new String[] {"Hel", "lo\nWor", "ld", "\nB", "YE\n"}) {
                out.write(piece.getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(300);
            }
            assertThat(client.getInputStream().readAllBytes())
                    .asString(StandardCharsets.UTF_8)
                    .isEqualTo("Hello\nWorld\n");
        }
        assertThat(log.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("[server] client 1 said BYE after 2 lines: disconnecting");
    }
}
