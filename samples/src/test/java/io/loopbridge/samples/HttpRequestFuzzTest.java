package io.loopbridge.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loopbridge.io.StreamReader;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * The gateway's HTTP/1.1 request parser ({@link Http#readRequest}) fed arbitrary bytes in arbitrary
 * chunks, then the end of the stream, reading requests one after another as a kept-alive connection
 * does. Each call must return a request that keeps the parser's promises (a token method, an
 * origin-form target, a known version, exactly one Host on HTTP/1.1, a body no longer than the
 * limit), return {@code null} at the end of the stream, or throw {@link Http.Malformed} (which the
 * gateway answers with its status): nothing else may escape, and no call may hang.
 */
class HttpRequestFuzzTest {
    @FuzzTest(maxDuration = "20s")
    // libFuzzer's dictionary syntax: CR LF is written \x0d\x0a
    @DictionaryEntries({
        "GET ",
        "POST ",
        " HTTP/1.1",
        " HTTP/1.0",
        "/users/7",
        "Host: a",
        "\\x0d\\x0a",
        "Content-Length: ",
        "Transfer-Encoding: chunked",
        "Connection: close",
        ", "
    })
    void everyRequestIsParsedOrRejectedAsMalformed(FuzzedDataProvider data) {
        long chunking = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();
        parseAll(stream, new Random(chunking));
    }

    static void parseAll(byte[] stream, Random chunking) {
        EventLoop loop = new EventLoop(CoroutineEngine.THREADS);
        StreamReader reader = new StreamReader(Http.MAX_LINE);
        try {
            Task<Void> parse = loop.createTask(() -> {
                while (true) {
                    Http.Request request;
                    try {
                        request = Http.readRequest(reader);
                    } catch (Http.Malformed rejected) {
                        assertThat(rejected.status()).isBetween(400, 599);
                        return null; // the gateway answers and closes the connection
                    }
                    if (request == null) {
                        return null;
                    }
                    assertThat(request.method()).isNotEmpty().doesNotContain(" ", "\r", "\n");
                    assertThat(request.target()).startsWith("/").doesNotContain(" ");
                    assertThat(request.version()).isIn(Http.HTTP_1_0, Http.HTTP_1_1);
                    if (request.version().equals(Http.HTTP_1_1)) {
                        assertThat(request.fields().get("host")).hasSize(1);
                    }
                    assertThat(request.body().length).isLessThanOrEqualTo(Http.MAX_BODY);
                }
            });
            feed(loop, reader, stream, chunking, parse);
            loop.runUntilComplete(parse);
        } catch (CancellationException hang) {
            throw new AssertionError("the parser hung after the end of the stream: "
                    + new String(stream, java.nio.charset.StandardCharsets.ISO_8859_1));
        } finally {
            loop.close();
        }
    }

    /** Feeds one chunk per lap, then the end of the stream; a parser still waiting 5 s later hung. */
    static void feed(EventLoop loop, StreamReader reader, byte[] stream, Random chunking, Task<?> parse) {
        int[] at = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (at[0] < stream.length) {
                int n = Math.min(stream.length - at[0], 1 + chunking.nextInt(chunking.nextBoolean() ? 8 : 512));
                reader.feedData(stream, at[0], n);
                at[0] += n;
                loop.callSoon(next[0]);
            } else {
                reader.feedEof();
                loop.callLater(Duration.ofSeconds(5), parse::cancel);
            }
        };
        loop.callSoon(next[0]);
    }
}
