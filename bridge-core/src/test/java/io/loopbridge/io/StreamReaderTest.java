package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link StreamReader}, read like asyncio's {@code StreamReader} tests: the reader is fed by hand
 * (as a protocol would feed it) and read by a coroutine. Every test runs on each coroutine engine.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class StreamReaderTest {
    final List<String> steps = new ArrayList<>();

    /** Feeds {@code chunks} one per loop lap, after the reader has had a chance to wait. */
    static void feedLater(StreamReader reader, String... chunks) {
        Async.createTask(() -> {
            for (String chunk : chunks) {
                Async.sleep(Duration.ZERO);
                reader.feedData(b(chunk));
            }
            return null;
        });
    }

    @Nested
    class Readline {

        @AllEngines
        void returnsLinesWithTheirNewlineThenTheRestThenEmpty(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                reader.feedData(b("one\ntwo\nthree"));
                reader.feedEof();

                assertThat(s(reader.readline())).isEqualTo("one\n");
                assertThat(s(reader.readline())).isEqualTo("two\n");
                assertThat(s(reader.readline())).isEqualTo("three");
                assertThat(reader.atEof()).isTrue();
                assertThat(reader.readline()).isEmpty();
                return null;
            });
        }

        @AllEngines
        void waitsUntilTheNewlineArrives(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                feedLater(reader, "hel", "lo wor", "ld\nnext");

                assertThat(s(reader.readline())).isEqualTo("hello world\n");
                assertThat(reader.buffered()).isEqualTo(4);
                return null;
            });
        }

        @AllEngines
        void aLineOverTheLimitIsDroppedUpToItsNewlineAndTheReaderGoesOn(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader(8);
                reader.feedData(b("0123456789\nshort\n"));

                Throwable thrown = catchThrowable(reader::readline);

                assertThat(thrown)
                        .isInstanceOf(LimitOverrunException.class)
                        .hasMessage("Separator is found, but chunk is longer than limit");
                assertThat(((LimitOverrunException) thrown).consumed()).isEqualTo(10);
                assertThat(s(reader.readline())).isEqualTo("short\n");
                return null;
            });
        }

        @AllEngines
        void aLineOverTheLimitWithoutItsNewlineYetClearsTheBufferAsAsyncioDoes(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader(8);
                reader.feedData(b("0123456789abc"));

                Throwable thrown = catchThrowable(reader::readline);
                assertThat(thrown)
                        .isInstanceOf(LimitOverrunException.class)
                        .hasMessage("Separator is not found, and chunk exceed the limit");
                assertThat(reader.buffered()).isZero();

                // the rest of the long line is what the next readline sees: the caller decides to skip it
                reader.feedData(b("tail\nnext\n"));
                assertThat(s(reader.readline())).isEqualTo("tail\n");
                assertThat(s(reader.readline())).isEqualTo("next\n");
                return null;
            });
        }

        @AllEngines
        void aLineOfExactlyTheLimitIsAccepted(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader(8);
                reader.feedData(b("01234567\n"));

                assertThat(s(reader.readline())).isEqualTo("01234567\n");
                return null;
            });
        }

        @AllEngines
        void aTimedOutReadlineLosesNothing(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                reader.feedData(b("par"));

                Throwable thrown = catchThrowable(() -> Async.waitFor(reader::readline, Duration.ofMillis(20)));
                assertThat(thrown).isInstanceOf(AsyncTimeoutException.class);

                reader.feedData(b("tial\n"));
                assertThat(s(reader.readline())).isEqualTo("partial\n");
                return null;
            });
        }
    }

    @Nested
    class Readuntil {

        @AllEngines
        void findsASeparatorThatArrivesInPieces(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                feedLater(reader, "GET / HTTP/1.0\r", "\n\r", "\nbody");

                assertThat(s(reader.readuntil(b("\r\n\r\n")))).isEqualTo("GET / HTTP/1.0\r\n\r\n");
                assertThat(s(reader.read(100))).isEqualTo("body");
                return null;
            });
        }

        @AllEngines
        void atEndOfStreamThrowsIncompleteReadWithThePartialBytes(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                reader.feedData(b("no separator"));
                reader.feedEof();

                Throwable thrown = catchThrowable(() -> reader.readuntil(b("\n\n")));

                assertThat(thrown)
                        .isInstanceOf(IncompleteReadException.class)
                        .hasMessage("12 bytes read on a total of undefined expected bytes");
                assertThat(s(((IncompleteReadException) thrown).partial())).isEqualTo("no separator");
                assertThat(((IncompleteReadException) thrown).expected()).isEqualTo(-1);
                assertThat(reader.atEof()).isTrue();
                return null;
            });
        }

        @AllEngines
        void overTheLimitLeavesTheBufferSoTheCallerCanReadWhatWasConsumed(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader(4);
                reader.feedData(b("abcdefgh;rest"));

                LimitOverrunException e = (LimitOverrunException) catchThrowable(() -> reader.readuntil(b(";")));

                assertThat(e.consumed()).isEqualTo(8);
                assertThat(reader.buffered()).isEqualTo(13);
                assertThat(s(reader.readexactly(e.consumed() + 1))).isEqualTo("abcdefgh;");
                return null;
            });
        }

        @Test
        void anEmptySeparatorIsRejected() {
            Async.run(() -> {
                StreamReader reader = new StreamReader();
                assertThatIllegalArgumentException()
                        .isThrownBy(() -> reader.readuntil(new byte[0]))
                        .withMessage("separator must not be empty");
                return null;
            });
        }
    }

    @Nested
    class ReadexactlyAndRead {

        @AllEngines
        void readexactlyWaitsForAllTheBytes(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                feedLater(reader, "ab", "cd", "efg");

                assertThat(s(reader.readexactly(6))).isEqualTo("abcdef");
                assertThat(s(reader.readexactly(1))).isEqualTo("g");
                assertThat(reader.readexactly(0)).isEmpty();
                return null;
            });
        }

        @AllEngines
        void readexactlyAtEndOfStreamThrowsIncompleteReadWithThePartialBytes(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                reader.feedData(b("abc"));
                Async.createTask(() -> {
                    Async.sleep(Duration.ZERO);
                    reader.feedEof();
                    return null;
                });

                IncompleteReadException e = (IncompleteReadException) catchThrowable(() -> reader.readexactly(10));

                assertThat(s(e.partial())).isEqualTo("abc");
                assertThat(e.expected()).isEqualTo(10);
                assertThat(e).hasMessage("3 bytes read on a total of 10 expected bytes");
                assertThat(reader.atEof()).isTrue();
                return null;
            });
        }

        @AllEngines
        void readReturnsWhatIsBufferedUpToN(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                feedLater(reader, "hello");

                assertThat(s(reader.read(3))).isEqualTo("hel");
                assertThat(s(reader.read(100))).isEqualTo("lo");
                return null;
            });
        }

        @AllEngines
        void readMinusOneReadsUntilEndOfStream(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader(4);
                Async.createTask(() -> {
                    for (String chunk : List.of("one ", "two ", "three")) {
                        Async.sleep(Duration.ZERO);
                        reader.feedData(b(chunk));
                    }
                    reader.feedEof();
                    return null;
                });

                assertThat(s(reader.read(-1))).isEqualTo("one two three");
                assertThat(reader.read(10)).isEmpty();
                return null;
            });
        }

        @Test
        void aNegativeReadexactlyIsRejected() {
            Async.run(() -> {
                assertThatIllegalArgumentException()
                        .isThrownBy(() -> new StreamReader().readexactly(-1))
                        .withMessageContaining("-1");
                return null;
            });
        }
    }

    @Nested
    class FailuresAndMisuse {

        @AllEngines
        void aFailureWakesTheWaitingReadAndEveryLaterRead(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                SocketException reset = new SocketException("Connection reset");
                Async.createTask(() -> {
                    Async.sleep(Duration.ZERO);
                    reader.setException(reset);
                    return null;
                });

                assertThat(catchThrowable(reader::readline)).isSameAs(reset);
                assertThat(catchThrowable(() -> reader.read(1))).isSameAs(reset);
                assertThat(reader.exception()).isSameAs(reset);
                return null;
            });
        }

        @AllEngines
        void aSecondCoroutineWaitingForDataIsRejected(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader();
                Task<byte[]> first = Async.createTask(reader::readline);
                Async.sleep(Duration.ZERO);

                Throwable second = catchThrowable(() -> reader.read(1));

                assertThat(second)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("read() called while another coroutine is already waiting for incoming data");
                reader.feedData(b("x\n"));
                assertThat(s(Async.await(first))).isEqualTo("x\n");
                return null;
            });
        }

        @Test
        void readingOutsideACoroutineSaysWhatToDo() {
            StreamReader reader = new StreamReader();

            assertThat(catchThrowable(reader::readline))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be called inside a coroutine");
        }

        @Test
        void theLimitMustBePositive() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new StreamReader(0))
                    .withMessage("limit must be positive: 0");
        }
    }

    @Nested
    class FlowControl {

        @AllEngines
        void pausesTheTransportOverTwiceTheLimitAndResumesAtTheLimit(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader(4);
                RecordingTransport transport = new RecordingTransport(steps);
                reader.setTransport(transport);

                reader.feedData(b("12345678"));
                steps.add("fed 8");
                reader.feedData(b("9"));
                steps.add("fed 9");
                reader.read(3);
                steps.add("6 left");
                reader.read(2);
                steps.add("4 left");

                assertThat(steps)
                        .containsExactly("fed 8", "pauseReading", "fed 9", "6 left", "resumeReading", "4 left");
                return null;
            });
        }

        @AllEngines
        void aReaderThatWantsMoreThanIsBufferedResumesThePausedTransport(CoroutineEngine engine) {
            Async.run(engine, () -> {
                StreamReader reader = new StreamReader(2);
                RecordingTransport transport = new RecordingTransport(steps);
                reader.setTransport(transport);
                reader.feedData(b("abcde"));
                feedLater(reader, "f");

                assertThat(s(reader.readexactly(6))).isEqualTo("abcdef");
                // resumed to get the sixth byte, paused again by it (6 > 2 x 2), resumed once it was read
                assertThat(steps).containsExactly("pauseReading", "resumeReading", "pauseReading", "resumeReading");
                return null;
            });
        }
    }

    /** Records pause/resume; the rest is not used by a reader. */
    static final class RecordingTransport implements Transport {
        final List<String> steps;

        RecordingTransport(List<String> steps) {
            this.steps = steps;
        }

        @Override
        public void pauseReading() {
            steps.add("pauseReading");
        }

        @Override
        public void resumeReading() {
            steps.add("resumeReading");
        }

        @Override
        public void write(byte[] data) {}

        @Override
        public void write(byte[] data, int offset, int length) {}

        @Override
        public void writeEof() {}

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void close() {}

        @Override
        public void abort() {}

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public boolean isReading() {
            return true;
        }

        @Override
        public long getWriteBufferSize() {
            return 0;
        }

        @Override
        public long getWriteBufferHighWaterMark() {
            return 0;
        }

        @Override
        public long getWriteBufferLowWaterMark() {
            return 0;
        }

        @Override
        public void setWriteBufferLimits(long high, long low) {}

        @Override
        public Object getExtraInfo(String name) {
            return null;
        }

        @Override
        public Protocol getProtocol() {
            return null;
        }

        @Override
        public void setProtocol(Protocol protocol) {}
    }
}
