package io.loopbridge.loop;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.internal.IoCallback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The loop's I/O path: channels registered with {@link EventLoop#selector()} and an {@link IoCallback}. */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class EventLoopSelectorTest {
    private final EventLoop loop = new EventLoop();
    private final List<String> steps = new ArrayList<>();
    private Pipe pipe;
    private Thread loopThread;

    @BeforeEach
    void openPipe() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
    }

    @AfterEach
    void closeEverything() throws Exception {
        if (loopThread != null && loopThread.isAlive() && !loop.isClosed()) {
            loop.callSoonThreadsafe(loop::stop);
            loopThread.join(5_000);
        }
        if (!loop.isRunning()) {
            loop.close();
        }
        pipe.source().close();
        pipe.sink().close();
    }

    private SelectionKey onReadable(Pipe pipe, IoCallback callback) throws ClosedChannelException {
        return pipe.source().register(loop.selector(), SelectionKey.OP_READ, callback);
    }

    private static void write(Pipe pipe, String text) {
        try {
            pipe.sink().write(ByteBuffer.wrap(text.getBytes(US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Pipe pipe) {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        try {
            pipe.source().read(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String(buffer.array(), 0, buffer.position(), US_ASCII);
    }

    /** Returns the thread the loop's callbacks run on (a virtual one on the virtual coroutine engine). */
    private Thread runInBackgroundUntilBlockedInSelect() {
        CompletableFuture<Thread> runner = new CompletableFuture<>();
        loop.callSoon(() -> runner.complete(Thread.currentThread()));
        loopThread = new Thread(loop::runForever, "event-loop-selector-test");
        loopThread.setDaemon(true);
        loopThread.start();
        Thread thread = runner.orTimeout(5, TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> blockedInSelect(thread));
        return thread;
    }

    private static boolean blockedInSelect(Thread thread) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("doSelect"));
    }

    @Test
    void readinessIsDeliveredAsACallbackOnTheLoopThread() throws Exception {
        onReadable(pipe, (key, readyOps) -> {
            steps.add("readable=" + ((readyOps & SelectionKey.OP_READ) != 0) + " on the loop thread=" + loop.inLoop());
            steps.add("read '" + read(pipe) + "'");
            loop.stop();
        });
        Thread writer = new Thread(() -> write(pipe, "hello"), "writer");
        loop.callSoon(() -> {
            steps.add("start the writer");
            writer.start();
        });
        loop.callLater(Duration.ofSeconds(10), loop::stop);

        loop.runForever();
        writer.join();

        assertThat(steps).containsExactly("start the writer", "readable=true on the loop thread=true", "read 'hello'");
    }

    @Test
    void aKeyCancelledByAnEarlierCallbackOfTheSameLapIsNotDelivered() throws Exception {
        Pipe other = Pipe.open();
        try {
            other.source().configureBlocking(false);
            SelectionKey[] keys = new SelectionKey[2];
            keys[0] = onReadable(pipe, (key, ops) -> {
                steps.add("first pipe");
                keys[1].cancel();
            });
            keys[1] = onReadable(other, (key, ops) -> {
                steps.add("second pipe");
                keys[0].cancel();
            });
            write(pipe, "a");
            write(other, "b");

            loop.runOnce();

            assertThat(steps).hasSize(1);
        } finally {
            other.source().close();
            other.sink().close();
        }
    }

    @Test
    void callSoonThreadsafeWakesALoopBlockedInSelect() throws Exception {
        onReadable(pipe, (key, ops) -> steps.add("never readable"));
        runInBackgroundUntilBlockedInSelect();

        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(5_000);

        assertThat(loopThread.isAlive()).as("the loop thread woke up and ended").isFalse();
        assertThat(steps).isEmpty();
    }

    @Test
    void anIdleLoopBlockedInSelectUsesNoCpu() throws Exception {
        onReadable(pipe, (key, ops) -> steps.add("never readable"));
        Thread runner = runInBackgroundUntilBlockedInSelect();

        assertThat(CpuMeter.cpuTimeUsedBy(runner, Duration.ofMillis(300))).isLessThan(Duration.ofMillis(50));
    }

    @Test
    void closeReleasesTheSelector() {
        Selector selector = loop.selector();

        loop.close();

        assertThat(selector.isOpen()).isFalse();
        assertThatIllegalStateException().isThrownBy(loop::selector).withMessageContaining("closed");
    }
}
