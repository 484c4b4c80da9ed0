package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpHeadersTest {
    @Test
    void withoutAUrlItPrintsTheHeadersOfItsOwnWebServer() throws Exception {
        List<String> lines = lines(new HttpHeaders());

        assertThat(lines).hasSize(8);
        assertThat(lines.get(0))
                .isEqualTo(
                        "-- a small web server on 127.0.0.1, a free port, on the streams API too; HEAD /index.html:");
        assertThat(lines.get(1)).isEqualTo("HTTP header> HTTP/1.1 200 OK");
        assertThat(lines.get(2))
                .matches(
                        "HTTP header> Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");
        assertThat(lines.subList(3, 8))
                .containsExactly(
                        "HTTP header> Server: loopbridge-samples",
                        "HTTP header> Content-Type: text/html; charset=utf-8",
                        "HTTP header> Content-Length: " + HttpHeaders.PAGE.length,
                        "HTTP header> Cache-Control: max-age=60",
                        "HTTP header> Connection: close");
    }

    @Test
    void withAUrlItPrintsTheHeadersOfThatServer() throws Exception {
        // a web server that is not loopbridge's: the JDK's own
        HttpServer jdk = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jdk.createContext("/", exchange -> {
            exchange.getResponseHeaders()
                    .add(
                            "Request",
                            exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host="
                                    + exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        jdk.start();
        try {
            int port = jdk.getAddress().getPort();
            List<String> lines = lines(new HttpHeaders(), "http://127.0.0.1:" + port + "/path/page.html?q=1");

            assertThat(lines).first().isEqualTo("HTTP header> HTTP/1.1 200 OK");
            assertThat(lines).contains("HTTP header> Request: HEAD /path/page.html?q=1 Host=127.0.0.1:" + port);
            assertThat(lines).allMatch(line -> line.startsWith("HTTP header> "));
        } finally {
            jdk.stop(0);
        }
    }

    @Test
    void theLocalWebServerHasOnePage() {
        Http.Request get = new Http.Request("GET", "/index.html", "HTTP/1.1", Map.of(), new byte[0]);
        Http.Request elsewhere = new Http.Request("GET", "/other?x=1", "HTTP/1.1", Map.of(), new byte[0]);
        Http.Request post = new Http.Request("POST", "/", "HTTP/1.1", Map.of(), new byte[0]);

        assertThat(HttpHeaders.page(get).status()).isEqualTo(200);
        assertThat(HttpHeaders.page(get).body())
                .asString(StandardCharsets.UTF_8)
                .contains("<html>");
        assertThat(HttpHeaders.page(elsewhere).status()).isEqualTo(404);
        assertThat(HttpHeaders.page(elsewhere).body())
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("no page at /other\n");
        assertThat(HttpHeaders.page(post).status()).isEqualTo(405);
        assertThat(HttpHeaders.page(post).fields()).containsEntry("Allow", "GET, HEAD");
    }

    @Test
    void onlyPlainHttpUrlsAreAsked() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HttpHeaders().run(new String[] {"https://example.com/"}, System.out))
                .withMessageContaining("needs an http:// url");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HttpHeaders().run(new String[] {"a", "b"}, System.out))
                .withMessageContaining("usage: http-headers");
    }
}
