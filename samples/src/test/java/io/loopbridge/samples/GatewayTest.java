package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class GatewayTest {
    /**
     * Wide enough for 200 requests at once on a loaded machine (on JDK 17 each coroutine is a
     * thread): only the slow user should ever reach it.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(4);

    static Background gateway;

    @BeforeAll
    static void startTheGatewayAsItsPortOptionDoes() throws Exception {
        gateway = Background.serve(() -> Gateway.start(0, TIMEOUT, 0, null));
    }

    @AfterAll
    static void stopTheGateway() {
        gateway.close();
    }

    /** The answer to {@code GET /user/{id}}: the backends misbehave for 7, 13 and 21; users are 1 to 100. */
    static int expectedStatus(int id) {
        return id == Gateway.SLOW_USER
                ? 504
                : id == Gateway.FAILING_USER || id == Gateway.HANGING_UP_USER ? 502 : id > Gateway.USERS ? 404 : 200;
    }

    static String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    @Test
    void theTourAsksAHandfulOfQuestionsOverOneKeptAliveConnection() throws Exception {
        assertThat(lines(new Gateway())).containsExactlyElementsOf(expected("""
                -- a gateway on 127.0.0.1, a free port; backends profiles and orders (slow and flaky on purpose) on free ports; 1000 ms for both
                GET /user/1 -> 200 {"id":1,"name":"Ada Lovelace","orders":7}
                GET /user/2 -> 200 {"id":2,"name":"Grace Hopper","orders":4}
                GET /user/404 -> 404 {"status":404,"error":"no user 404"}
                GET /user/13 -> 502 {"status":502,"error":"orders answered 500 Internal Server Error"}
                GET /user/21 -> 502 {"status":502,"error":"orders: the connection closed without a response"}
                GET /user/7 -> 504 {"status":504,"error":"orders did not answer within 1000 ms"}
                GET /user/x -> 400 {"status":400,"error":"not a user id: 'x'"}
                GET /users -> 404 {"status":404,"error":"nothing at /users; try /user/1"}
                DELETE /user/1 -> 405 {"status":405,"error":"DELETE is not allowed on /user/{id}"}
                -- 9 requests over 1 connection: HTTP/1.1 keep-alive
                raw "hello" -> 400 {"status":400,"error":"a request line is METHOD SP /path SP HTTP/1.1"}, connection closed
                -- gateway and backends closed
                """));
    }

    @Test
    void twoHundredConcurrentRequestsEachGetTheirAnswer() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int id = 1; id <= 200; id++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url("/user/" + id)))
                    .timeout(Duration.ofSeconds(60))
                    .build();
            responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

        for (int id = 1; id <= 200; id++) {
            HttpResponse<String> response = responses.get(id - 1).get();
            assertThat(response.statusCode())
                    .as("GET /user/%d -> %s", id, response.body())
                    .isEqualTo(expectedStatus(id));
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            if (response.statusCode() == 200) {
                assertThat(response.body())
                        .isEqualTo("{\"id\":" + id + ",\"name\":\"" + Gateway.NAMES.get((id - 1) % 10)
                                + "\",\"orders\":" + id * 7 % 10 + "}");
            }
        }
    }

    @Test
    void pythonsUrllibGetsTheRightStatusesAlsoTwoHundredAtOnce() throws Exception {
        String script = """
                import json, sys, urllib.error, urllib.request
                from concurrent.futures import ThreadPoolExecutor

                base = sys.argv[1]

                def get(path):
                    try:
                        with urllib.request.urlopen(base + path, timeout=60) as r:
                            return r.status, json.load(r)
                    except urllib.error.HTTPError as e:
                        return e.code, json.load(e)

                for path in ['/user/1', '/user/7', '/user/13', '/user/21', '/user/404', '/user/x', '/nothing']:
                    status, body = get(path)
                    print(path, status, body.get('name', body.get('error')))

                def expected(i):
                    return 504 if i == 7 else 502 if i in (13, 21) else 404 if i > 100 else 200

                with ThreadPoolExecutor(max_workers=200) as pool:
                    statuses = list(pool.map(lambda i: get('/user/%d' % i)[0], range(1, 201)))
                print('200 at once: %d answered, wrong: %s' % (len(statuses), [i for i, s in enumerate(statuses, 1) if s != expected(i)]))
                """;

        assertThat(External.run(Duration.ofSeconds(90), "python3", "-c", script, url("")))
                .containsExactlyElementsOf(expected("""
                /user/1 200 Ada Lovelace
                /user/7 504 orders did not answer within 4000 ms
                /user/13 502 orders answered 500 Internal Server Error
                /user/21 502 orders: the connection closed without a response
                /user/404 404 no user 404
                /user/x 400 not a user id: 'x'
                /nothing 404 nothing at /nothing; try /user/1
                200 at once: 200 answered, wrong: []
                """));
    }

    @Test
    void curlGetsTheRightStatusesOverOneKeptAliveConnection() throws Exception {
        List<String> args = new ArrayList<>(List.of("-s", "-w", "%{http_code} %{num_connects}\\n"));
        for (String path : List.of("/user/1", "/user/404", "/user/13", "/user/x")) {
            args.addAll(List.of("-o", "/dev/null", url(path)));
        }

        // curl says how many connections it opened for each url: one, then none
        assertThat(External.run(Duration.ofSeconds(30), "curl", args.toArray(String[]::new)))
                .containsExactly("200 1", "404 0", "502 0", "400 0");
    }

    @Test
    void curlGetsTheRightStatusesTwoHundredAtOnce() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "-s",
                "--parallel",
                "--parallel-immediate",
                "--parallel-max",
                "200",
                "-w",
                "%{http_code} %{url_effective}\\n"));
        for (int id = 1; id <= 200; id++) {
            args.addAll(List.of("-o", "/dev/null", url("/user/" + id)));
        }

        // each transfer reports when it ends, so in no particular order: sort by id
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (String line : External.run(Duration.ofSeconds(90), "curl", args.toArray(String[]::new))) {
            String[] parts = line.split(" ");
            statuses.put(Integer.valueOf(parts[1].substring(parts[1].lastIndexOf('/') + 1)), Integer.valueOf(parts[0]));
        }
        assertThat(statuses).hasSize(200);
        statuses.forEach(
                (id, status) -> assertThat(status).as("GET /user/" + id).isEqualTo(expectedStatus(id)));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndHeadGetsNoBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /user/1 HTTP/1.1\r\nHost: gw\r\n\r\n"
                            + "HEAD /user/2 HTTP/1.1\r\nHost: gw\r\n\r\n"
                            + "GET /user/3 HTTP/1.0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            RawResponse first = RawResponse.read(in, false);
            RawResponse head = RawResponse.read(in, true);
            RawResponse last = RawResponse.read(in, false);

            assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(first.body()).isEqualTo("{\"id\":1,\"name\":\"Ada Lovelace\",\"orders\":7}");
            assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(head.field("content-length")).isEqualTo("41");
            assertThat(last.body()).isEqualTo("{\"id\":3,\"name\":\"Alan Turing\",\"orders\":1}");
            assertThat(last.field("connection"))
                    .as("HTTP/1.0 without keep-alive")
                    .isEqualTo("close");
            assertThat(in.read()).as("the gateway closed the connection").isEqualTo(-1);
        }
    }

    @Test
    void aMalformedRequestIsAnsweredAndTheConnectionClosed() throws Exception {
        for (String raw : new String[] {
            "GET /user/1 HTTP/1.1\r\nHost: gw\r\nX-Huge: " + "x".repeat(Http.MAX_LINE) + "\r\n\r\n",
            "GET /user/1 HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n"
        }) {
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
                RawResponse response = RawResponse.read(socket.getInputStream(), false);

                assertThat(response.statusLine()).matches("HTTP/1.1 (431|501|400) .*");
                assertThat(response.field("connection")).isEqualTo("close");
                assertThat(Sockets.disconnected(socket)).isTrue();
            }
        }
    }

    @Test
    void aClientQuietForLongerThanTheKeepAliveIsHungUpOn() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Gateway.KEEP_ALIVE.minusMillis(100));
        }
    }
}
