package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.port;
import static io.loopbridge.io.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.sync.AsyncEvent;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link StreamWriter}: {@code drain} suspends a writer while a slow reader lets the write buffer
 * grow over its high water mark and resumes it when the buffer is down to the low one; {@code
 * writeEof}, {@code writelines}, {@code close}/{@code waitClosed}, and failures at {@code drain}.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamWriterTest {
    static final String HOST = "127.0.0.1";

    @AllEngines
    void drainSuspendsWhileTheReaderIsSlowAndResumesWhenItReads(CoroutineEngine engine) {
        long total = 64L << 20; // far more than the socket buffers of both ends hold
        List<String> steps = new ArrayList<>();
        long[] seen = new long[3];
        long received = Async.run(engine, () -> {
            AsyncEvent go = new AsyncEvent();
            LoopFuture<Long> counted = Async.loop().createFuture();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        go.await();
                        long n = 0;
                        byte[] chunk;
                        while ((chunk = reader.read(1 << 20)).length > 0) {
                            n += chunk.length;
                        }
                        counted.setResult(n);
                        writer.close();
                    },
                    HOST,
                    0);
            StreamPair client = Streams.openConnection(HOST, port(server));
            Transport transport = client.writer().transport();
            long[] written = {0};
            Task<Void> writing = Async.createTask(() -> {
                byte[] chunk = new byte[64 * 1024];
                while (written[0] < total) {
                    client.writer().write(chunk);
                    written[0] += chunk.length;
                    seen[0] = Math.max(seen[0], transport.getWriteBufferSize());
                    client.writer().drain();
                }
                client.writer().writeEof();
                return null;
            });

            long before;
            do { // until the writer stops making progress: it is suspended in drain()
                before = written[0];
                Async.sleep(Duration.ofMillis(30));
            } while (written[0] != before);
            steps.add("the writer waits in drain() after " + (written[0] < total ? "part" : "all") + " of the data");
            seen[1] = transport.getWriteBufferSize();

            go.set();
            Async.await(writing);
            steps.add("the writer finished");
            long n = Async.await(counted);
            seen[2] = n;
            client.writer().close();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return n;
        });

        assertThat(received).isEqualTo(total);
        assertThat(steps).containsExactly("the writer waits in drain() after part of the data", "the writer finished");
        assertThat(seen[1])
                .as("buffered while suspended: over the high water mark")
                .isGreaterThan(64 * 1024);
        assertThat(seen[0]).as("memory stays bounded by the water marks").isLessThanOrEqualTo(64 * 1024 + 64 * 1024);
    }

    @AllEngines
    void drainReturnsAtOnceUnderTheHighWaterMark(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server server = Streams.startServer(StreamsTest::echo, HOST, 0);
            StreamPair client = Streams.openConnection(HOST, port(server));

            client.writer().writelines(List.of(b("one\n"), b("two\n")));
            client.writer().drain();

            assertThat(s(client.reader().readline())).isEqualTo("one\n");
            assertThat(s(client.reader().readline())).isEqualTo("two\n");
            client.writer().close();
            assertThat(client.writer().isClosing()).isTrue();
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @AllEngines
    void afterAPeerResetDrainAndReadsThrowAnIOException(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        reader.readline();
                        writer.transport().abort();
                    },
                    HOST,
                    0);
            StreamPair client = Streams.openConnection(HOST, port(server));
            client.writer().write(b("hello\n"));

            Throwable atRead = catchThrowable(() -> client.reader().read(-1));
            Throwable atDrain = catchThrowable(client.writer()::drain);
            Throwable atWaitClosed = catchThrowable(client.writer()::waitClosed);

            assertThat(atRead).isInstanceOf(IOException.class);
            assertThat(atDrain).isSameAs(atRead);
            assertThat(atWaitClosed).isSameAs(atRead);
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @AllEngines
    void aRequestEndedByWriteEofGetsItsAnswer(CoroutineEngine engine) {
        String answer = Async.run(engine, () -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        byte[] request = reader.read(-1);
                        writer.write(b("you said " + s(request)));
                        writer.close();
                    },
                    HOST,
                    0);
            StreamPair client = Streams.openConnection(HOST, port(server));
            assertThat(client.writer().canWriteEof()).isTrue();

            client.writer().write(b("please"));
            client.writer().writeEof();
            String got = s(client.reader().read(-1));
            client.writer().close(); // end of stream leaves the connection half-open, as asyncio's streams do
            client.writer().waitClosed();
            server.close();
            server.waitClosed();
            return got;
        });

        assertThat(answer).isEqualTo("you said please");
    }
}
