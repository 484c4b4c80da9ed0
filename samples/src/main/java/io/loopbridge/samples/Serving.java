package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.io.Server;
import io.loopbridge.task.Coroutine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The serving mode of the server samples ({@code --port P}): a new loop on the calling thread runs
 * what the sample started until Ctrl-C. Ctrl-C runs the JVM's shutdown hooks; the one installed
 * here asks the loop to stop the service (listening stops, connections are closed and waited for)
 * and gives it a few seconds before the JVM exits. Interrupting the thread does not stop a loop.
 */
final class Serving {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private Serving() {}

    /** What a server sample started: the port it listens on, and how it stops. */
    interface Service {
        /** The port of the server the sample is about. */
        int port();

        /** A coroutine of the service's loop: closes the servers and their connections, and waits for them. */
        void stop() throws Exception;
    }

    /** {@code server} as a service: stopping it closes it and its connections, and waits for them. */
    static Service of(Server server) {
        int port = server.sockets().get(0).getPort();
        return new Service() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() {
                server.close();
                server.closeClients();
                server.waitClosed();
            }
        };
    }

    /** Runs {@code start} on a new loop on this thread, tells {@code started}, and serves until Ctrl-C. */
    static void untilInterrupted(Coroutine<? extends Service> start, Consumer<? super Service> started) {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.complete(null);
                    try {
                        stopped.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "samples-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            until(stop, start, started);
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running, and returns now that the service has stopped
            }
        }
    }

    /**
     * Runs {@code start} on a new loop on this thread, tells {@code started}, serves until {@code
     * stop} completes (from any thread), then stops the service and closes the loop.
     */
    static void until(CompletionStage<?> stop, Coroutine<? extends Service> start, Consumer<? super Service> started) {
        Async.run(() -> {
            Service service = start.call();
            try {
                started.accept(service);
                Async.await(stop);
            } finally {
                service.stop();
            }
            return null;
        });
    }
}
