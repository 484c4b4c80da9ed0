package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.io.Server;
import io.loopbridge.io.StreamPair;
import io.loopbridge.io.Streams;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.Timeout;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP {@code HEAD} client of the asyncio texts ({@code print_http_headers}): {@link
 * Streams#openConnection} gives a reader and a writer; the request is written without blocking,
 * and each {@code readline} suspends the coroutine until a line of the response has arrived.
 *
 * <p>{@code http-headers http://host[:port]/path} asks that server (plain HTTP; it has 10 s to
 * answer). Without a url the sample starts a small web server of its own on 127.0.0.1 and a free
 * port, written on the same streams API, asks it for {@code /index.html}, and closes it:
 *
 * <pre>
 * HTTP header> HTTP/1.1 200 OK
 * HTTP header> Date: Mon, 24 Nov 2025 09:30:00 GMT
 * HTTP header> Server: loopbridge-samples
 * ...
 * </pre>
 */
@SuppressWarnings("try") // try (Timeout t = Async.timeout(...)) scopes a deadline; t itself is unused
public final class HttpHeaders implements Sample {
    static final String HOST = "127.0.0.1";
    /** How long a server given by url has to connect and answer. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    static final byte[] PAGE = """
            <!doctype html>
            <html><head><title>loopbridge</title></head>
            <body><p>Served by a coroutine per connection, on one event loop.</p></body></html>
            """.getBytes(StandardCharsets.UTF_8);

    @Override
    public String name() {
        return "http-headers";
    }

    @Override
    public String description() {
        return "HEAD over Streams.openConnection, printing the response's headers (without a url: of a local web server)";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        List<String> words = Options.parse(args, Set.of()).words();
        if (words.size() > 1) {
            throw new IllegalArgumentException("usage: http-headers [http://host[:port]/path]");
        }
        if (words.size() == 1) {
            URI url = URI.create(words.get(0));
            if (!"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("http-headers needs an http:// url with a host: " + url);
            }
            String host = url.getHost().replaceAll("^\\[|\\]$", ""); // an IPv6 literal without its brackets
            int port = url.getPort() < 0 ? 80 : url.getPort();
            String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            String hostField = url.getHost() + (url.getPort() < 0 ? "" : ":" + port);
            Async.run(() -> {
                try (Timeout t = Async.timeout(ANSWER_WITHIN)) {
                    printHttpHeaders(host, port, hostField, target, out);
                } catch (AsyncTimeoutException e) {
                    out.println("-- no complete answer within " + ANSWER_WITHIN.toSeconds() + " s");
                }
                return null;
            });
            return;
        }
        Async.run(() -> {
            Server web = Streams.startServer(
                    (reader, writer) -> Http.serve(reader, writer, Duration.ofSeconds(5), HttpHeaders::page),
                    HOST,
                    0,
                    Http.MAX_LINE);
            try {
                out.println("-- a small web server on " + HOST
                        + ", a free port, on the streams API too; HEAD /index.html:");
                printHttpHeaders(HOST, web.sockets().get(0).getPort(), HOST, "/index.html", out);
            } finally {
                web.close();
                web.waitClosed();
            }
            return null;
        });
    }

    /**
     * {@code print_http_headers} of the text: a {@code HEAD} request in HTTP/1.0, so the server
     * closes the connection after its answer; prints each line of the head.
     */
    static void printHttpHeaders(String host, int port, String hostField, String target, PrintStream out)
            throws IOException {
        StreamPair connection = Streams.openConnection(host, port);
        try {
            String query = "HEAD " + target + " HTTP/1.0\r\nHost: " + hostField + "\r\n\r\n";
            connection.writer().write(query.getBytes(StandardCharsets.ISO_8859_1));
            while (true) {
                byte[] line = connection.reader().readline();
                String header = new String(line, StandardCharsets.ISO_8859_1).stripTrailing();
                if (header.isEmpty()) {
                    break; // the empty line that ends the head, or the end of the stream
                }
                out.println("HTTP header> " + header);
            }
        } finally {
            connection.close();
            connection.writer().waitClosed();
        }
    }

    /** The local web server: one page, at {@code /} and {@code /index.html}. */
    static Http.Reply page(Http.Request request) {
        String text = "text/plain; charset=utf-8";
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return new Http.Reply(
                    405, text, "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8), Map.of("Allow", "GET, HEAD"));
        }
        if (!request.path().equals("/") && !request.path().equals("/index.html")) {
            return new Http.Reply(404, text, ("no page at " + request.path() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new Http.Reply(200, "text/html; charset=utf-8", PAGE, Map.of("Cache-Control", "max-age=60"));
    }
}
