package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Subprocess}: a child's stdin, stdout and stderr as streams of the loop, its exit code,
 * {@code communicate}, and flow control through the pipe threads. Uses POSIX tools ({@code cat},
 * {@code sh}, {@code head}, {@code sleep}).
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessTest {

    @AllEngines
    void catAnswersLineByLineAndEndsWhenItsInputIsClosed(CoroutineEngine engine) {
        List<String> steps = Async.run(engine, () -> {
            Subprocess cat = Subprocess.exec("cat");
            List<String> got = new ArrayList<>();
            for (String line : List.of("one\n", "two\n")) {
                cat.stdin().write(b(line));
                cat.stdin().drain();
                got.add(s(cat.stdout().readline()));
            }
            cat.stdin().close();
            got.add("rest: '" + s(cat.stdout().read(-1)) + "'");
            got.add("exit " + cat.waitFor());
            cat.stdin().waitClosed();
            got.add("exitCode " + cat.exitCode().getAsInt());
            return got;
        });

        assertThat(steps).containsExactly("one\n", "two\n", "rest: ''", "exit 0", "exitCode 0");
    }

    @AllEngines
    void stdoutStderrAndTheExitCodeAreTheChilds(CoroutineEngine engine) {
        Subprocess.Output out = Async.run(
                engine,
                () -> Subprocess.exec("sh", "-c", "echo out; echo err >&2; exit 3")
                        .communicate(null));

        assertThat(s(out.stdout())).isEqualTo("out\n");
        assertThat(s(out.stderr())).isEqualTo("err\n");
        assertThat(out.exitCode()).isEqualTo(3);
    }

    @AllEngines
    void communicateFeedsTheInputAndCollectsTheOutput(CoroutineEngine engine) {
        Subprocess.Output out =
                Async.run(engine, () -> Subprocess.exec("tr", "a-z", "A-Z").communicate(b("hello, pipes")));

        assertThat(s(out.stdout())).isEqualTo("HELLO, PIPES");
        assertThat(out.exitCode()).isZero();
    }

    @AllEngines
    void aLargeOutputFlowsThroughASmallReaderLimit(CoroutineEngine engine) {
        int size = 3_000_000;
        int read = Async.run(engine, () -> {
            Subprocess head =
                    Subprocess.exec(new ProcessBuilder("head", "-c", String.valueOf(size), "/dev/zero"), 4096);
            int n = 0;
            byte[] chunk;
            while ((chunk = head.stdout().read(1000)).length > 0) {
                n += chunk.length;
                assertThat(head.stdout().buffered())
                        .as("the pipe thread pauses over twice the limit")
                        .isLessThanOrEqualTo(2 * 4096 + 2 * 64 * 1024);
            }
            assertThat(head.waitFor()).isZero();
            head.stdin().close();
            head.stderr().read(-1);
            return n;
        });

        assertThat(read).isEqualTo(size);
    }

    @AllEngines
    void aKilledChildEndsAndItsStreamsEnd(CoroutineEngine engine) {
        Async.run(engine, () -> {
            Subprocess sleeper = Subprocess.exec("sleep", "30");
            assertThat(sleeper.exitCode()).isEmpty();

            sleeper.kill();

            assertThat(sleeper.waitFor()).isNotZero();
            assertThat(sleeper.stdout().read(-1)).isEmpty();
            assertThat(sleeper.stderr().read(-1)).isEmpty();
            sleeper.stdin().close();
            return null;
        });
    }

    @AllEngines
    void aProgramThatDoesNotExistCannotStart(CoroutineEngine engine) {
        Throwable thrown = Async.run(engine, () -> catchThrowable(() -> Subprocess.exec("/no/such/program")));

        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("/no/such/program");
    }
}
