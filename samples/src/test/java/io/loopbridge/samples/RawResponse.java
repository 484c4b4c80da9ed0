package io.loopbridge.samples;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An HTTP/1.1 response read off a blocking socket by the tests, independently of {@link Http}. */
record RawResponse(String statusLine, Map<String, String> fields, String body) {
    String field(String name) {
        return fields.get(name);
    }

    /** Reads the head, then as many body bytes as {@code Content-Length} says (none after HEAD). */
    static RawResponse read(InputStream in, boolean toHead) throws IOException {
        String statusLine = line(in);
        Map<String, String> fields = new LinkedHashMap<>();
        String line;
        while (!(line = line(in)).isEmpty()) {
            int colon = line.indexOf(':');
            fields.put(
                    line.substring(0, colon).toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        int length = toHead ? 0 : Integer.parseInt(fields.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the body ended after " + body.length + " of " + length + " bytes");
        }
        return new RawResponse(statusLine, fields, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("the stream ended in the head");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        if (!s.endsWith("\r")) {
            throw new IOException("a line without CRLF: " + s);
        }
        return s.substring(0, s.length() - 1);
    }
}
