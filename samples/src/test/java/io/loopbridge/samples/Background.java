package io.loopbridge.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.task.Coroutine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server sample serving on a loop of its own thread, as {@code --port} runs it ({@link
 * Serving#until}), until {@link #close()}: what the tests' foreign clients (HttpClient, Python,
 * curl, plain sockets) talk to.
 */
final class Background implements AutoCloseable {
    private final CompletableFuture<Void> stop = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final Serving.Service service;

    private Background(Coroutine<? extends Serving.Service> start) throws Exception {
        CompletableFuture<Serving.Service> started = new CompletableFuture<>();
        thread = new Thread(
                () -> {
                    try {
                        Serving.until(stop, start, started::complete);
                    } catch (Throwable t) {
                        failure.set(t);
                        started.completeExceptionally(t);
                    }
                },
                "sample-server");
        thread.setDaemon(true);
        thread.start();
        service = started.get(10, TimeUnit.SECONDS);
    }

    /** Starts what {@code start} starts, on a new loop on a new thread; returns once it listens. */
    static Background serve(Coroutine<? extends Serving.Service> start) throws Exception {
        return new Background(start);
    }

    int port() {
        return service.port();
    }

    /** Stops the service, waits for its loop to close, and fails if the loop failed. */
    @Override
    public void close() {
        stop.complete(null);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the server's loop stopped", e);
        }
        assertThat(thread.isAlive()).as("the server's loop stopped within 10 s").isFalse();
        assertThat(failure.get()).as("the server's loop ended without an error").isNull();
    }
}
