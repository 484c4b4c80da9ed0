package io.loopbridge.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.io.StreamReader;
import io.loopbridge.task.Coroutine;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Http}: what a request or a response may look like, read from bytes fed to a reader. */
class HttpTest {
    /** Reads one request from {@code raw}, then the end of the stream. */
    static Http.Request request(String raw) throws Exception {
        return run(() -> Http.readRequest(reader(raw)));
    }

    static Http.Response response(String raw, boolean toHead) throws Exception {
        return run(() -> Http.readResponse(reader(raw), toHead));
    }

    /** {@link Async#run} rethrowing what the coroutine threw, unwrapped. */
    private static <T> T run(Coroutine<T> coroutine) throws Exception {
        try {
            return Async.run(coroutine);
        } catch (CompletionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static StreamReader reader(String raw) {
        StreamReader reader = new StreamReader(Http.MAX_LINE);
        reader.feedData(raw.getBytes(StandardCharsets.ISO_8859_1));
        reader.feedEof();
        return reader;
    }

    @Test
    void aRequestIsReadWithItsFieldsAndItsBody() throws Exception {
        Http.Request r = request("POST /user/1?verbose=yes HTTP/1.1\r\nHost: gateway\r\nX-Two: a\r\nx-two:  b \r\n"
                + "Content-Length: 5\r\n\r\nhello");

        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.target()).isEqualTo("/user/1?verbose=yes");
        assertThat(r.path()).isEqualTo("/user/1");
        assertThat(r.field("host")).isEqualTo("gateway");
        assertThat(r.fields().get("x-two")).containsExactly("a", "b");
        assertThat(r.body()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    }

    @Test
    void theEndOfTheStreamBeforeARequestIsNoRequest() throws Exception {
        assertThat(request("")).isNull();
    }

    @Test
    void keepAliveIsTheDefaultOfHttp11AndTheExceptionOfHttp10() throws Exception {
        assertThat(request("GET / HTTP/1.1\r\nHost: h\r\n\r\n").keepAlive()).isTrue();
        assertThat(request("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, close\r\n\r\n")
                        .keepAlive())
                .isFalse();
        assertThat(request("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
        assertThat(request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive())
                .isTrue();
    }

    static Stream<Arguments> malformedRequests() {
        String line = "GET / HTTP/1.1\r\n";
        return Stream.of(
                Arguments.of("garbage", "hello\r\n\r\n", 400),
                Arguments.of("two spaces", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("a method that is not a token", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("an absolute-form target", "GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("another version", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
                Arguments.of("not a version", "GET / HTTP/one\r\nHost: h\r\n\r\n", 400),
                Arguments.of("no Host in HTTP/1.1", line + "\r\n", 400),
                Arguments.of("two Hosts", line + "Host: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("a bare LF", "GET / HTTP/1.1\nHost: h\n\n", 400),
                Arguments.of("obsolete line folding", line + "Host: h\r\nX: a\r\n b\r\n\r\n", 400),
                Arguments.of("a space before the colon", line + "Host : h\r\n\r\n", 400),
                Arguments.of("a control character in a value", line + "Host: h\u0000\r\n\r\n", 400),
                Arguments.of("Transfer-Encoding", line + "Host: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
                Arguments.of(
                        "a Content-Length that is not a number", line + "Host: h\r\nContent-Length: -1\r\n\r\n", 400),
                Arguments.of("Content-Lengths that differ", line + "Host: h\r\nContent-Length: 1, 2\r\n\r\nab", 400),
                Arguments.of(
                        "a body over the limit",
                        line + "Host: h\r\nContent-Length: " + (Http.MAX_BODY + 1) + "\r\n\r\n",
                        413),
                Arguments.of("a body shorter than its length", line + "Host: h\r\nContent-Length: 10\r\n\r\nabc", 400),
                Arguments.of(
                        "a request line over the limit",
                        "GET /" + "a".repeat(Http.MAX_LINE) + " HTTP/1.1\r\n\r\n",
                        414),
                Arguments.of("a field over the limit", line + "Host: " + "h".repeat(Http.MAX_LINE) + "\r\n\r\n", 431),
                Arguments.of(
                        "a head over the limit",
                        line + "Host: h\r\n" + ("X: " + "x".repeat(7000) + "\r\n").repeat(5) + "\r\n",
                        431),
                Arguments.of(
                        "too many fields", line + "Host: h\r\n" + "X: x\r\n".repeat(Http.MAX_FIELDS) + "\r\n", 431),
                Arguments.of("the stream ending in the head", line + "Host: h\r\n", 400),
                Arguments.of("the stream ending in a line", line + "Host: h", 400));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("malformedRequests")
    void aMalformedRequestIsRefusedWithItsStatus(String what, String raw, int status) {
        Throwable thrown = catchThrowable(() -> request(raw));

        assertThat(thrown).isInstanceOf(Http.Malformed.class);
        assertThat(((Http.Malformed) thrown).status()).isEqualTo(status);
    }

    @Test
    void aResponseIsFramedByItsLengthOrByTheEndOfTheStream() throws Exception {
        Http.Response framed = response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}trailing", false);
        Http.Response toEnd = response("HTTP/1.0 500 Internal Server Error\r\n\r\noops", false);
        Http.Response toHead = response("HTTP/1.1 200\r\nContent-Length: 40\r\n\r\n", true);

        assertThat(framed.status()).isEqualTo(200);
        assertThat(framed.body()).asString(StandardCharsets.UTF_8).isEqualTo("{}");
        assertThat(toEnd.reason()).isEqualTo("Internal Server Error");
        assertThat(toEnd.body()).asString(StandardCharsets.UTF_8).isEqualTo("oops");
        assertThat(toHead.reason()).isEmpty();
        assertThat(toHead.field("content-length")).isEqualTo("40");
        assertThat(toHead.body()).isEmpty();
    }

    @Test
    void aMalformedResponseIsRefused() {
        for (String raw : new String[] {
            "",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 200OK\r\n\r\n",
            "ICY 200 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort"
        }) {
            assertThat(catchThrowable(() -> response(raw, false))).as(raw).isInstanceOf(Http.Malformed.class);
        }
    }

    @Test
    void aProblemIsJson() {
        Http.Reply problem = Http.problem(504, "a \"quoted\" word");

        assertThat(problem.status()).isEqualTo(504);
        assertThat(problem.contentType()).isEqualTo("application/json");
        assertThat(problem.body())
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("{\"status\":504,\"error\":\"a \\\"quoted\\\" word\"}");
    }
}
