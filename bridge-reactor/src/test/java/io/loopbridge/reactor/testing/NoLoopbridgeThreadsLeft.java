package io.loopbridge.reactor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a {@code loopbridge-*} thread alive, except the shared loop's
 * ({@code loopbridge-shared}), which lives until the JVM exits by design.
 */
public final class NoLoopbridgeThreadsLeft implements AfterAllCallback {
    static final String SHARED_LOOP_THREAD = "loopbridge-shared";

    /** The names of the live threads that loopbridge started, the shared loop's excepted. */
    public static List<String> liveLoopbridgeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("loopbridge-") && !name.equals(SHARED_LOOP_THREAD))
                .sorted()
                .toList();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        await().atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(liveLoopbridgeThreads())
                        .as("loopbridge threads left by %s", context.getDisplayName())
                        .isEmpty());
    }
}
