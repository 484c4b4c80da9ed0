package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactor.ReactorBridge;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Migrating a legacy callback API in four steps, each usable on its own, each printing the same
 * result: (1) the callbacks as they are; (2) a {@link LoopFuture} completed from the callback with
 * {@code callSoonThreadsafe}; (3) a coroutine that awaits that future and reads top to bottom; (4)
 * the coroutine exposed as a {@code Flux} for Reactor code. Each step asks for the forecasts of
 * two cities and reports the warmer one, then asks for a city the service does not know.
 */
public final class Migrate implements Sample {
    @Override
    public String name() {
        return "migrate";
    }

    @Override
    public String description() {
        return "a callback API migrated step by step: callbacks, LoopFuture, coroutine, Flux";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        Duration latency = Delays.fromArgs(args, Duration.ofMillis(200));
        try (WeatherClient client = new WeatherClient(latency)) {
            out.println("-- 1. callbacks: the legacy API answers on a thread of its own");
            withCallbacks(client, out);

            out.println("-- 2. a LoopFuture completed from the callback with callSoonThreadsafe");
            withFutures(client, out);

            out.println("-- 3. a coroutine awaiting the future: straight-line code, try/catch for errors");
            Async.run(() -> {
                try {
                    Forecast oslo = forecast(client, "Oslo");
                    Forecast bergen = forecast(client, "Bergen");
                    out.println(warmer(oslo, bergen));
                } catch (IllegalArgumentException e) {
                    out.println("failed: " + e.getMessage());
                }
                try {
                    out.println(forecast(client, "Atlantis"));
                } catch (IllegalArgumentException e) {
                    out.println("failed: " + e.getMessage());
                }
                return null;
            });

            out.println("-- 4. the coroutine as a Flux, for Reactor code that knows nothing of loops");
            String warmer = forecasts(client, "Oslo", "Bergen")
                    .collectList()
                    .map(both -> warmer(both.get(0), both.get(1)))
                    .onErrorResume(IllegalArgumentException.class, e -> Mono.just("failed: " + e.getMessage()))
                    .block();
            out.println(warmer);
            String unknown = forecasts(client, "Atlantis")
                    .map(Forecast::toString)
                    .onErrorResume(IllegalArgumentException.class, e -> Mono.just("failed: " + e.getMessage()))
                    .blockLast();
            out.println(unknown);
        }
    }

    // ---------------------------------------------------------------- step 1: callbacks

    /** Nested callbacks: the second request starts inside the first one's callback. */
    static void withCallbacks(WeatherClient client, PrintStream out) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        client.fetch("Oslo", (oslo, error) -> {
            if (error != null) {
                out.println("failed: " + error.getMessage());
                done.countDown();
                return;
            }
            client.fetch("Bergen", (bergen, error2) -> {
                out.println(error2 != null ? "failed: " + error2.getMessage() : warmer(oslo, bergen));
                done.countDown();
            });
        });
        done.await(); // a caller without callbacks of its own has to block for the answer

        CountDownLatch unknown = new CountDownLatch(1);
        client.fetch("Atlantis", (forecast, error) -> {
            out.println(error != null ? "failed: " + error.getMessage() : forecast.toString());
            unknown.countDown();
        });
        unknown.await();
    }

    // ---------------------------------------------------------------- step 2: a future

    /**
     * The whole adapter: a future of the loop, completed on the loop when the callback fires on
     * the client's thread. Nothing else of the loop may be touched from that thread.
     */
    static LoopFuture<Forecast> fetch(EventLoop loop, WeatherClient client, String city) {
        LoopFuture<Forecast> future = loop.createFuture();
        client.fetch(
                city,
                (forecast, error) -> loop.callSoonThreadsafe(() -> {
                    if (future.isDone()) {
                        return; // cancelled meanwhile: nobody wants the answer
                    }
                    if (error != null) {
                        future.setException(error);
                    } else {
                        future.setResult(forecast);
                    }
                }));
        return future;
    }

    /** Futures compose without nesting: both requests run at once and gather waits for both. */
    static void withFutures(WeatherClient client, PrintStream out) {
        EventLoop loop = new EventLoop();
        try {
            try {
                List<Forecast> both =
                        loop.runUntilComplete(Async.gather(fetch(loop, client, "Oslo"), fetch(loop, client, "Bergen")));
                out.println(warmer(both.get(0), both.get(1)));
            } catch (IllegalArgumentException e) {
                out.println("failed: " + e.getMessage());
            }
            try {
                out.println(loop.runUntilComplete(fetch(loop, client, "Atlantis")));
            } catch (IllegalArgumentException e) {
                out.println("failed: " + e.getMessage());
            }
        } finally {
            loop.close();
        }
    }

    // ---------------------------------------------------------------- step 3: a coroutine

    /** The migrated API: a coroutine that suspends, rather than blocks, until the answer is there. */
    static Forecast forecast(WeatherClient client, String city) {
        return Async.await(fetch(Async.loop(), client, city));
    }

    // ---------------------------------------------------------------- step 4: a Flux

    /** The forecasts of {@code cities} in order, one request at a time as demand arrives. */
    static Flux<Forecast> forecasts(WeatherClient client, String... cities) {
        return ReactorBridge.flux(y -> {
            for (String city : cities) {
                y.yield(forecast(client, city));
            }
        });
    }

    // ---------------------------------------------------------------- the legacy service

    static String warmer(Forecast a, Forecast b) {
        Forecast w = a.celsius() >= b.celsius() ? a : b;
        return "warmer: " + w;
    }

    record Forecast(String city, int celsius, String sky) {
        @Override
        public String toString() {
            return city + ", " + celsius + " C, " + sky;
        }
    }

    /** A legacy client: every answer comes later, on the client's own thread. */
    static final class WeatherClient implements AutoCloseable {
        /** Called once with the forecast, or with the error. */
        @FunctionalInterface
        interface Callback {
            void done(Forecast forecast, Exception error);
        }

        private static final Map<String, Forecast> FORECASTS = Map.of(
                "Oslo", new Forecast("Oslo", 12, "light rain"),
                "Bergen", new Forecast("Bergen", 14, "showers"));

        private final Duration latency;
        private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weather-client");
            t.setDaemon(true);
            return t;
        });

        WeatherClient(Duration latency) {
            this.latency = latency;
        }

        void fetch(String city, Callback callback) {
            io.schedule(
                    () -> {
                        Forecast f = FORECASTS.get(city);
                        if (f == null) {
                            callback.done(null, new IllegalArgumentException("unknown city: " + city));
                        } else {
                            callback.done(f, null);
                        }
                    },
                    latency.toNanos(),
                    TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            io.shutdownNow();
        }
    }
}
