package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactor.ReactorBridge;
import io.loopbridge.task.Task;
import io.loopbridge.task.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The snippets of docs/migration.md. */
class MigrationSnippets extends SnippetTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    // tag::legacy[]
    /** A callback API: the answer comes later, on one of the library's own threads. */
    interface Weather {
        void forecast(String city, BiConsumer<String, Throwable> callback);
    }
    // end::legacy[]

    final Weather weather = (city, callback) -> pool.execute(() -> {
        if (city.isEmpty()) {
            callback.accept(null, new IllegalArgumentException("no city"));
        } else {
            callback.accept(city + ": sunny", null);
        }
    });

    @Test
    void callbacks() throws InterruptedException {
        // tag::callbacks[]
        CountDownLatch done = new CountDownLatch(1);
        weather.forecast(
                "Oslo",
                (oslo, e1) -> // each step nests one level deeper
                weather.forecast("Lima", (lima, e2) -> {
                    System.out.println(oslo + ", " + lima); // and errors need handling at every level
                    done.countDown();
                }));
        done.await();
        // end::callbacks[]
        assertThat(printed()).containsExactly("Oslo: sunny, Lima: sunny");
    }

    // tag::wrap[]
    /** The callback API as a future of the running loop: the one place that knows about threads. */
    static LoopFuture<String> forecast(Weather weather, String city) {
        EventLoop loop = Async.loop();
        LoopFuture<String> result = loop.createFuture();
        weather.forecast(
                city,
                (value, error) -> loop.callSoonThreadsafe(
                        () -> { // hop onto the loop
                            if (error != null) {
                                result.setException(error);
                            } else {
                                result.setResult(value);
                            }
                        }));
        return result;
    }
    // end::wrap[]

    @Test
    void coroutine() {
        // tag::coroutine[]
        String both = Async.run(() -> {
            String oslo = Async.await(forecast(weather, "Oslo")); // straight-line code
            String lima = Async.await(forecast(weather, "Lima"));
            try {
                Async.await(forecast(weather, ""));
            } catch (IllegalArgumentException e) { // errors are plain exceptions
                System.out.println("failed: " + e.getMessage());
            }
            return oslo + ", " + lima;
        });
        System.out.println(both);
        // end::coroutine[]
        assertThat(printed()).containsExactly("failed: no city", "Oslo: sunny, Lima: sunny");
    }

    @Test
    void flux() {
        // tag::flux[]
        Flux<String> forecasts = ReactorBridge.flux(y -> {
            for (String city : List.of("Oslo", "Lima", "Pune")) {
                y.yield(Async.await(forecast(weather, city))); // one request per demanded item
            }
        });
        System.out.println(forecasts.collectList().block());
        // end::flux[]
        assertThat(printed()).containsExactly("[Oslo: sunny, Lima: sunny, Pune: sunny]");
    }

    CompletableFuture<String> findUser(int id) {
        return CompletableFuture.supplyAsync(() -> "user" + id, pool);
    }

    CompletableFuture<List<String>> ordersOf(String user) {
        return CompletableFuture.supplyAsync(() -> List.of(user + "-a", user + "-b"), pool);
    }

    @Test
    void completableFutureChain() {
        // tag::cfChain[]
        String summary = findUser(7)
                .thenCompose(user -> ordersOf(user).thenApply(orders -> user + " has " + orders.size() + " orders"))
                .exceptionally(e -> "lookup failed: " + e.getMessage())
                .join();
        System.out.println(summary);
        // end::cfChain[]
        assertThat(printed()).containsExactly("user7 has 2 orders");
    }

    @Test
    void completableFutureCoroutine() {
        // tag::cfCoroutine[]
        String summary = Async.run(() -> {
            try {
                String user = Async.await(findUser(7)); // any CompletionStage
                List<String> orders = Async.await(ordersOf(user));
                return user + " has " + orders.size() + " orders";
            } catch (RuntimeException e) {
                return "lookup failed: " + e.getMessage();
            }
        });
        System.out.println(summary);
        // end::cfCoroutine[]
        assertThat(printed()).containsExactly("user7 has 2 orders");
    }

    @Test
    void completableFutureAllOf() {
        // tag::cfAllOf[]
        List<String> users = Async.run(() -> {
            Task<String> a;
            Task<String> b;
            try (TaskGroup tg = new TaskGroup()) { // allOf, but a failure cancels the rest
                a = tg.createTask(() -> Async.await(findUser(1)));
                b = tg.createTask(() -> Async.await(findUser(2)));
            } // waits for both
            return List.of(a.result(), b.result());
        });
        System.out.println(users);
        // end::cfAllOf[]
        assertThat(printed()).containsExactly("[user1, user2]");
    }

    @Test
    void cfBack() {
        // tag::cfBack[]
        CompletableFuture<String> forCallers = ReactorBridge.mono(() -> {
                    Async.sleep(Duration.ofMillis(5));
                    return "computed by a coroutine";
                })
                .toFuture(); // for APIs that want a CompletableFuture
        System.out.println(forCallers.join());
        // end::cfBack[]
        assertThat(printed()).containsExactly("computed by a coroutine");
    }

    record Profile(String name) {}

    Mono<Profile> findProfile(long id) {
        return Mono.just(new Profile("profile " + id)).delayElement(Duration.ofMillis(2));
    }

    @Test
    void kotlinxMono() {
        // tag::kotlinxMono[]
        Mono<String> user = ReactorBridge.mono(
                () -> { // mono { ... }
                    Profile p = ReactorBridge.await(findProfile(42)); // findProfile(42).awaitSingle()
                    Async.sleep(Duration.ofMillis(10)); // delay(10)
                    return p.name().toUpperCase();
                });
        System.out.println(user.block());
        // end::kotlinxMono[]
        assertThat(printed()).containsExactly("PROFILE 42");
    }

    @Test
    void kotlinxFlux() {
        // tag::kotlinxFlux[]
        Flux<Profile> profiles = ReactorBridge.flux(
                y -> { // flux { ... }
                    for (long id = 1; id <= 3; id++) {
                        y.yield(ReactorBridge.await(findProfile(id))); // send(...): waits for demand
                    }
                });
        Mono<List<String>> names = ReactorBridge.mono(() -> {
            List<String> seen = new ArrayList<>();
            for (Profile p : ReactorBridge.iterate(profiles, 8)) { // profiles.asFlow().collect { ... }
                seen.add(p.name());
            }
            return seen;
        });
        System.out.println(names.block());
        // end::kotlinxFlux[]
        assertThat(printed()).containsExactly("[profile 1, profile 2, profile 3]");
    }
}
