package io.loopbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails a test class that leaves a {@code loopbridge-*} thread (loop group, executor) alive. */
public final class NoLoopbridgeThreadsLeft implements AfterAllCallback {

    /** The names of the live threads that loopbridge started. */
    public static List<String> liveLoopbridgeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("loopbridge-"))
                .sorted()
                .toList();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(liveLoopbridgeThreads())
                        .as("loopbridge threads left by %s", context.getDisplayName())
                        .isEmpty());
    }
}
