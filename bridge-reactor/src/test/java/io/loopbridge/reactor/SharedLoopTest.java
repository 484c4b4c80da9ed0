package io.loopbridge.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.internal.SharedLoop;
import io.loopbridge.loop.EventLoop;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shared loop behind the overloads without a loop (issue 7, deliverable 4), in a JVM of its own
 * so that nothing else has started it: no {@code loopbridge-shared} thread until the first bridged
 * call; then one daemon thread, so an application whose {@code main} returns exits without closing
 * anything; and at JVM shutdown the loop is stopped and closed.
 */
class SharedLoopTest {
    @Test
    void startedOnFirstUseOnADaemonThreadAndClosedAtJvmShutdown() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-exports")) {
                command.add(arg); // the same coroutine engine as this JVM
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();

        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            child.destroyForcibly();
        }
        assertThat(exited)
                .as("the JVM exits once main returns; output:%n%s", output)
                .isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(l -> l.startsWith("child: ")).toList())
                .containsExactly(
                        "child: before the first use: no shared loop thread",
                        "child: mono on the shared loop: 42",
                        "child: after the first use: 1 thread loopbridge-shared, daemon true",
                        "child: at JVM shutdown the shared loop is closed: true");
    }

    /** The application: uses a loop-less overload once, then returns from {@code main}. */
    static final class Child {
        public static void main(String[] args) {
            System.out.println("child: before the first use: "
                    + (sharedThreads().isEmpty() ? "no shared loop thread" : sharedThreads()));

            Integer value = ReactorBridge.mono(() -> {
                        Async.sleep(Duration.ofMillis(1));
                        return 42;
                    })
                    .block(Duration.ofSeconds(30));
            System.out.println("child: mono on the shared loop: " + value);

            List<Thread> threads = sharedThreads();
            System.out.println("child: after the first use: " + threads.size() + " thread loopbridge-shared, daemon "
                    + threads.stream().allMatch(Thread::isDaemon));

            EventLoop shared = SharedLoop.get();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // shutdown hooks run concurrently: give the shared loop's own hook time to close it
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!shared.isClosed() && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                System.out.println("child: at JVM shutdown the shared loop is closed: " + shared.isClosed());
            }));
        }

        static List<Thread> sharedThreads() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("loopbridge-shared"))
                    .toList();
        }
    }
}
