package io.loopbridge.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * {@link StreamReader} against a model: a stream of bytes cut into arbitrary chunks, fed one per
 * loop lap, then the end of the stream, while a coroutine runs arbitrary {@code readline}, {@code
 * readuntil}, {@code readexactly} and {@code read} calls with an arbitrary limit. What each call
 * returns or throws must be what the model computes from the whole stream, whatever the chunking
 * (the model is the asyncio rule: a separator found within the limit is returned with it; one
 * beyond it, or none in more than limit bytes, is a {@link LimitOverrunException}; the stream
 * ending first is an {@link IncompleteReadException} with all that was left), no byte may be lost
 * or doubled, no other exception may escape and no call may hang.
 *
 * <p>Where asyncio's own result depends on the chunking, the model checks only what does not:
 * {@code read(n)} returns a non-empty prefix of at most {@code n} bytes, and after {@code
 * readline}'s overrun (which drops what had arrived of the long line) the run ends.
 */
class StreamReaderFuzzTest {
    static final int READLINE = 0;
    static final int READUNTIL = 1;
    static final int READEXACTLY = 2;
    static final int READ = 3;

    record Op(int kind, byte[] separator, int n) {}

    @FuzzTest(maxDuration = "20s")
    void readsAgreeWithTheModelOnAnyChunking(FuzzedDataProvider data) {
        int limit = data.consumeInt(1, 48);
        int count = data.consumeInt(1, 10);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = data.consumeInt(0, 3);
            byte[] sep = data.consumeBytes(data.consumeInt(1, 3));
            if (sep.length == 0) {
                sep = new byte[] {'\n'};
            }
            ops.add(new Op(kind, sep, data.consumeInt(0, 80)));
        }
        long chunking = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();
        check(limit, ops, stream, new Random(chunking));
    }

    static void check(int limit, List<Op> ops, byte[] stream, Random chunking) {
        List<Integer> readLengths = new ArrayList<>();
        List<String> actual = run(limit, ops, stream, chunking, readLengths);
        List<String> expected = model(limit, ops, stream, readLengths);
        assertThat(actual)
                .as("limit %d, ops %s, stream %s", limit, ops, Arrays.toString(stream))
                .isEqualTo(expected);
    }

    /**
     * What each call must give, computed on the whole stream. How much each {@code read(n)} returns
     * depends on the chunking: {@link #run} checks those bytes against the stream and tells the
     * model how many there were ({@code readLengths}).
     */
    static List<String> model(int limit, List<Op> ops, byte[] s, List<Integer> readLengths) {
        int reads = 0;
        List<String> out = new ArrayList<>();
        int pos = 0;
        for (Op op : ops) {
            int left = s.length - pos;
            switch (op.kind) {
                case READLINE:
                case READUNTIL: {
                    byte[] sep = op.kind == READLINE ? new byte[] {'\n'} : op.separator;
                    int at = indexOf(s, sep, pos);
                    if (at >= 0 && at - pos <= limit) {
                        out.add("bytes " + hex(s, pos, at + sep.length));
                        pos = at + sep.length;
                    } else if (at >= 0 || left - sep.length + 1 > limit && left >= sep.length) {
                        out.add("overrun");
                        if (op.kind == READLINE) {
                            return out; // what readline dropped depends on what had arrived
                        }
                    } else if (op.kind == READLINE) {
                        out.add("bytes " + hex(s, pos, s.length));
                        pos = s.length;
                    } else {
                        out.add("incomplete " + hex(s, pos, s.length));
                        pos = s.length;
                    }
                    break;
                }
                case READEXACTLY:
                    if (left >= op.n) {
                        out.add("bytes " + hex(s, pos, pos + op.n));
                        pos += op.n;
                    } else {
                        out.add("incomplete " + hex(s, pos, s.length));
                        pos = s.length;
                    }
                    break;
                default:
                    out.add("read");
                    if (reads < readLengths.size()) {
                        pos += readLengths.get(reads++);
                    }
                    break;
            }
        }
        return out;
    }

    static List<String> run(int limit, List<Op> ops, byte[] stream, Random chunking, List<Integer> readLengths) {
        EventLoop loop = new EventLoop(CoroutineEngine.THREADS);
        StreamReader reader = new StreamReader(limit);
        try {
            Task<List<String>> reads = loop.createTask(() -> {
                List<String> out = new ArrayList<>();
                int pos = 0;
                for (Op op : ops) {
                    try {
                        byte[] got;
                        switch (op.kind) {
                            case READLINE:
                                got = reader.readline();
                                break;
                            case READUNTIL:
                                got = reader.readuntil(op.separator);
                                break;
                            case READEXACTLY:
                                got = reader.readexactly(op.n);
                                break;
                            default: {
                                int n = Math.max(1, op.n);
                                got = reader.read(n);
                                int left = stream.length - pos;
                                assertThat(got.length)
                                        .as("read(%d) with %d left", n, left)
                                        .isBetween(Math.min(1, left), Math.min(n, left));
                                assertThat(hex(got, 0, got.length)).isEqualTo(hex(stream, pos, pos + got.length));
                                readLengths.add(got.length);
                                pos += got.length;
                                out.add("read");
                                continue;
                            }
                        }
                        out.add("bytes " + hex(got, 0, got.length));
                        pos += got.length;
                    } catch (LimitOverrunException e) {
                        out.add("overrun");
                        if (op.kind == READLINE) {
                            return out;
                        }
                    } catch (IncompleteReadException e) {
                        out.add("incomplete " + hex(e.partial(), 0, e.partial().length));
                        pos += e.partial().length;
                    }
                }
                return out;
            });
            feed(loop, reader, stream, chunking, reads);
            return loop.runUntilComplete(reads);
        } catch (CancellationException hang) {
            throw new AssertionError("a read hung after the end of the stream: limit " + limit + ", ops " + ops
                    + ", stream " + Arrays.toString(stream));
        } finally {
            loop.close();
        }
    }

    /** Feeds one chunk per lap, then the end of the stream; a reader still waiting 5 s later hung. */
    static void feed(EventLoop loop, StreamReader reader, byte[] stream, Random chunking, Task<?> reads) {
        int[] at = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (at[0] < stream.length) {
                int n = Math.min(stream.length - at[0], 1 + chunking.nextInt(chunking.nextBoolean() ? 4 : 64));
                reader.feedData(stream, at[0], n);
                at[0] += n;
                loop.callSoon(next[0]);
            } else {
                reader.feedEof();
                loop.callLater(Duration.ofSeconds(5), reads::cancel);
            }
        };
        loop.callSoon(next[0]);
    }

    static int indexOf(byte[] s, byte[] sep, int from) {
        outer:
        for (int i = from; i + sep.length <= s.length; i++) {
            for (int j = 0; j < sep.length; j++) {
                if (s[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String hex(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
