package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EchoClientTest {
    static final PrintStream NO_LOG = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void itSendsItsLinesThenSaysByeToTheEchoServer() throws Exception {
        try (Background server = Background.serve(() -> EchoServer.start(0, Duration.ofSeconds(10), NO_LOG))) {
            assertThat(lines(new EchoClient(), "--port", String.valueOf(server.port()), "one", "two"))
                    .containsExactlyElementsOf(expected("""
                            > one
                            < one
                            > two
                            < two
                            > BYE
                            the server closed the connection
                            """));
        }
    }

    @Test
    void itSendsWhatIsTypedToTheProtocolServerAndStopsAtBye() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Background server = Background.serve(() -> EchoProtocol.start(0, Duration.ofSeconds(10), NO_LOG));
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            String typed = "typed line\nBYE\nnever sent\n";
            new EchoClient()
                    .run(
                            new String[] {"--host", "127.0.0.1", "--port", String.valueOf(server.port())},
                            new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                            out);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("> typed line", "< typed line", "> BYE", "the server closed the connection");
    }

    @Test
    void itIsNotInTheTourAndNeedsAPort() {
        assertThat(new EchoClient().inTour()).isFalse();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EchoClient().run(new String[] {"hello"}, System.out))
                .withMessageContaining("usage: echo-client");
    }
}
