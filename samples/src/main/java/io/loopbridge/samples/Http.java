package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.io.IncompleteReadException;
import io.loopbridge.io.LimitOverrunException;
import io.loopbridge.io.StreamReader;
import io.loopbridge.io.StreamWriter;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.Timeout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Just enough HTTP/1.1 (RFC 9112) for the network samples, on the streams API: a request or a
 * response read from a {@link StreamReader}, written to a {@link StreamWriter}. It is strict, so a
 * sample server can be left listening:
 *
 * <ol>
 *   <li>every line ends with CRLF; a line is at most the reader's {@link StreamReader#limit()} bytes
 *       (so a longer one is never buffered whole), a head at most {@link #MAX_HEAD} bytes and
 *       {@link #MAX_FIELDS} fields (431, or 414 for the request line);
 *   <li>a request line is {@code METHOD SP /path SP HTTP/1.x}: a token, an origin-form target of
 *       visible characters, and version 1.0 or 1.1 (400; 505 for another version);
 *   <li>a field name is a token directly followed by its colon, so obsolete line folding and
 *       {@code "Name : value"} are refused; a value has no control character but tab (400);
 *   <li>an HTTP/1.1 request has exactly one {@code Host} (400);
 *   <li>a body is framed by {@code Content-Length} only: digits, the same value if repeated, at most
 *       {@link #MAX_BODY} bytes (413); {@code Transfer-Encoding} is not implemented (501), so the two
 *       can never disagree.
 * </ol>
 *
 * A server closes the connection after answering a {@link Malformed} request: what follows on it
 * cannot be trusted.
 */
@SuppressWarnings("try") // try (Timeout t = Async.timeout(...)) scopes a deadline; t itself is unused
final class Http {
    /** The longest line of a head, without its CRLF: the limit of a server's readers. */
    static final int MAX_LINE = 8 * 1024;

    static final int MAX_HEAD = 32 * 1024;
    static final int MAX_FIELDS = 100;
    static final int MAX_BODY = 64 * 1024;
    static final String HTTP_1_0 = "HTTP/1.0";
    static final String HTTP_1_1 = "HTTP/1.1";

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final byte[] EMPTY = new byte[0];
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"),
            Map.entry(400, "Bad Request"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(413, "Content Too Large"),
            Map.entry(414, "URI Too Long"),
            Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"),
            Map.entry(505, "HTTP Version Not Supported"));

    private Http() {}

    /** A message that breaks the rules above; {@link #status()} is what a server answers to it. */
    static final class Malformed extends ProtocolException {
        private static final long serialVersionUID = 1L;

        private final int status;

        Malformed(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** A request as read: field names in lower case, each with its values in order. */
    record Request(String method, String target, String version, Map<String, List<String>> fields, byte[] body) {
        /** The target without its query. */
        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        /** The first value of the field {@code name} (lower case), or {@code null}. */
        String field(String name) {
            return first(fields, name);
        }

        /** Whether the client wants the connection kept open after the response. */
        boolean keepAlive() {
            List<String> options = connectionOptions(fields);
            return version.equals(HTTP_1_1) ? !options.contains("close") : options.contains("keep-alive");
        }
    }

    /** A response as read. */
    record Response(int status, String reason, Map<String, List<String>> fields, byte[] body) {
        String field(String name) {
            return first(fields, name);
        }
    }

    /** A response to write: always with a {@code Content-Length}. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> fields) {
        Reply(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }
    }

    /**
     * What a server does with a request: a coroutine body, so it may suspend (ask a backend, say).
     * It returns {@code null} to hang up without answering, as a misbehaving server would.
     */
    @FunctionalInterface
    interface Handler {
        Reply handle(Request request) throws Exception;
    }

    // ---------------------------------------------------------------- serving

    /**
     * Serves one connection (the body of a {@code StreamHandler}): answers its requests in order
     * with {@code handler}, for as long as the client keeps the connection alive and sends its next
     * request within {@code idle}. A malformed request is answered (400, 413, ...) and ends the
     * connection, as does an exception of the handler (500, and the exception is rethrown for the
     * loop's exception handler). The writer is closed at the end.
     */
    static void serve(StreamReader in, StreamWriter out, Duration idle, Handler handler) throws Exception {
        try {
            while (true) {
                Request request;
                try (Timeout t = Async.timeout(idle)) {
                    request = readRequest(in);
                } catch (AsyncTimeoutException e) {
                    return; // nothing (or not all of a head) within idle: hang up
                } catch (Malformed e) {
                    writeReply(out, problem(e.status(), e.getMessage()), null, false);
                    return;
                } catch (IOException e) {
                    return; // the client reset the connection: nobody is left to answer
                }
                if (request == null) {
                    return; // the client closed the connection
                }
                Reply reply;
                try {
                    reply = handler.handle(request);
                } catch (CancellationException e) {
                    throw e;
                } catch (Exception e) {
                    writeReply(out, problem(500, "the server failed to answer"), request, false);
                    throw e;
                }
                if (reply == null) {
                    return; // the handler hangs up without answering
                }
                boolean keepAlive = request.keepAlive();
                writeReply(out, reply, request, keepAlive);
                try {
                    out.drain();
                } catch (IOException e) {
                    return;
                }
                if (!keepAlive) {
                    return;
                }
            }
        } finally {
            out.close();
        }
    }

    /** A JSON error: {@code {"status":504,"error":"..."}}. */
    static Reply problem(int status, String message) {
        byte[] body = JSON.writeValueAsBytes(
                JSON.createObjectNode().put("status", status).put("error", message));
        return new Reply(status, "application/json", body);
    }

    // ---------------------------------------------------------------- reading

    /**
     * The next request of a connection, or {@code null} if the stream ends before one starts (the
     * client closed a kept-alive connection).
     *
     * @throws Malformed if the request breaks the rules; the connection should be closed after the answer
     * @throws IOException if the connection fails
     */
    static Request readRequest(StreamReader in) throws IOException {
        String line = readLine(in, 414);
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3) {
            throw new Malformed(400, "a request line is METHOD SP /path SP HTTP/1.1");
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (!isToken(method, 0, method.length())) {
            throw new Malformed(400, "the method is not a token");
        }
        if (!isOriginForm(target)) {
            throw new Malformed(400, "the request target must be a path starting with /");
        }
        if (!version.equals(HTTP_1_1) && !version.equals(HTTP_1_0)) {
            throw version.matches("HTTP/[0-9]\\.[0-9]")
                    ? new Malformed(505, "only HTTP/1.0 and HTTP/1.1 are spoken here")
                    : new Malformed(400, "not an HTTP version");
        }
        Map<String, List<String>> fields = readFields(in, line.length() + 2);
        int hosts = fields.getOrDefault("host", List.of()).size();
        if (hosts > 1 || (hosts == 0 && version.equals(HTTP_1_1))) {
            throw new Malformed(400, "an HTTP/1.1 request has exactly one Host field");
        }
        return new Request(method, target, version, fields, readBody(in, fields, false));
    }

    /**
     * The response to a request just written; {@code toHead}: the request was {@code HEAD}, so the
     * response has no body whatever its fields say.
     *
     * @throws Malformed if the response breaks the rules, or the stream ends before it does
     * @throws IOException if the connection fails
     */
    static Response readResponse(StreamReader in, boolean toHead) throws IOException {
        String line = readLine(in, 502);
        if (line == null) {
            throw new Malformed(502, "the connection closed without a response");
        }
        // HTTP-version SP 3DIGIT SP reason; the last SP is sometimes left out along with the reason
        if (!(line.startsWith(HTTP_1_1 + " ") || line.startsWith(HTTP_1_0 + " "))
                || !(line.length() == 12 || line.length() > 12 && line.charAt(12) == ' ')
                || !line.substring(9, 12).matches("[1-5][0-9][0-9]")) {
            throw new Malformed(502, "malformed status line");
        }
        int status = Integer.parseInt(line.substring(9, 12));
        String reason = line.length() > 13 ? line.substring(13) : "";
        Map<String, List<String>> fields = readFields(in, line.length() + 2);
        boolean bodiless = toHead || status / 100 == 1 || status == 204 || status == 304;
        return new Response(status, reason, fields, bodiless ? EMPTY : readBody(in, fields, true));
    }

    /** One line without its CRLF, or {@code null} if the stream ends before it starts. */
    private static String readLine(StreamReader in, int tooLongStatus) throws IOException {
        byte[] line;
        try {
            line = in.readline();
        } catch (LimitOverrunException e) {
            throw new Malformed(tooLongStatus, "a line of the head is longer than " + in.limit() + " bytes");
        }
        int n = line.length;
        if (n == 0) {
            return null;
        }
        if (line[n - 1] != '\n') {
            throw new Malformed(400, "the stream ended in the middle of a line");
        }
        if (n < 2 || line[n - 2] != '\r') {
            throw new Malformed(400, "a line ends with LF alone, not CRLF");
        }
        return new String(line, 0, n - 2, StandardCharsets.ISO_8859_1);
    }

    private static Map<String, List<String>> readFields(StreamReader in, int headBytes) throws IOException {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int count = 0;
        while (true) {
            String line = readLine(in, 431);
            if (line == null) {
                throw new Malformed(400, "the stream ended in the head");
            }
            headBytes += line.length() + 2;
            if (headBytes > MAX_HEAD || count == MAX_FIELDS && !line.isEmpty()) {
                throw new Malformed(431, "the head is over " + MAX_HEAD + " bytes or " + MAX_FIELDS + " fields");
            }
            if (line.isEmpty()) {
                return fields;
            }
            count++;
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, 0, colon)) {
                // a leading space (obsolete folding) or a space before the colon ends up here too
                throw new Malformed(400, "header field " + count + " is not name: value");
            }
            String value = trimWhitespace(line.substring(colon + 1));
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw new Malformed(400, "header field " + count + " has a control character");
                }
            }
            fields.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(value);
        }
    }

    /** The body as the fields frame it; {@code response}: without a length, it runs to the end of the stream. */
    private static byte[] readBody(StreamReader in, Map<String, List<String>> fields, boolean response)
            throws IOException {
        if (fields.containsKey("transfer-encoding")) {
            throw new Malformed(501, "Transfer-Encoding is not implemented: send Content-Length");
        }
        long length = contentLength(fields);
        if (length < 0) {
            return response ? readToEnd(in) : EMPTY;
        }
        if (length > MAX_BODY) {
            throw new Malformed(413, "the body is over " + MAX_BODY + " bytes");
        }
        try {
            return in.readexactly((int) length);
        } catch (IncompleteReadException e) {
            throw new Malformed(400, "the stream ended after " + e.partial().length + " of " + length + " body bytes");
        }
    }

    private static byte[] readToEnd(StreamReader in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] block;
        while ((block = in.read(8192)).length > 0) {
            if (all.size() + block.length > MAX_BODY) {
                throw new Malformed(413, "the body is over " + MAX_BODY + " bytes");
            }
            all.write(block, 0, block.length);
        }
        return all.toByteArray();
    }

    /** The length, -1 without the field. */
    private static long contentLength(Map<String, List<String>> fields) throws Malformed {
        List<String> values = fields.get("content-length");
        if (values == null) {
            return -1;
        }
        long length = -1;
        for (String value : values) {
            for (String item : value.split(",", -1)) {
                String digits = trimWhitespace(item);
                if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new Malformed(400, "Content-Length is not a number");
                }
                long n = Long.parseLong(digits);
                if (length >= 0 && n != length) {
                    throw new Malformed(400, "Content-Length has different values");
                }
                length = n;
            }
        }
        return length;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code reply} (HTTP/1.1, with {@code Date} and {@code Content-Length}) as the answer to
     * {@code request} ({@code null} if it could not be read): without its body if the request was
     * {@code HEAD}, with {@code Connection: close} unless {@code keepAlive}.
     */
    static void writeReply(StreamWriter out, Reply reply, Request request, boolean keepAlive) {
        StringBuilder head = new StringBuilder(256);
        head.append(HTTP_1_1)
                .append(' ')
                .append(reply.status())
                .append(' ')
                .append(reason(reply.status()))
                .append("\r\n");
        head.append("Date: ")
                .append(IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        head.append("Server: loopbridge-samples\r\n");
        head.append("Content-Type: ").append(reply.contentType()).append("\r\n");
        head.append("Content-Length: ").append(reply.body().length).append("\r\n");
        reply.fields()
                .forEach((name, value) ->
                        head.append(name).append(": ").append(value).append("\r\n"));
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        } else if (request != null && request.version().equals(HTTP_1_0)) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (request == null || !request.method().equals("HEAD")) {
            out.write(reply.body());
        }
    }

    /** Writes a request without a body that asks the server to close the connection after answering. */
    static void writeRequest(StreamWriter out, String method, String target, String host) {
        String head = method + " " + target + " " + HTTP_1_1 + "\r\n"
                + "Host: " + host + "\r\n"
                + "Accept: application/json\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String reason(int status) {
        return REASONS.getOrDefault(status, "Unknown");
    }

    // ---------------------------------------------------------------- syntax

    private static String first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null ? null : values.get(0);
    }

    private static List<String> connectionOptions(Map<String, List<String>> fields) {
        List<String> options = new ArrayList<>();
        for (String value : fields.getOrDefault("connection", List.of())) {
            for (String option : value.split(",")) {
                options.add(trimWhitespace(option).toLowerCase(Locale.ROOT));
            }
        }
        return options;
    }

    /** tchar of RFC 9110: visible ASCII but delimiters. */
    private static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOriginForm(String target) {
        if (!target.startsWith("/")) {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Strips the optional whitespace of RFC 9110 (spaces and tabs) from both ends. */
    private static String trimWhitespace(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }
}
