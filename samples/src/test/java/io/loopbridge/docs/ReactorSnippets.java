package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.context.ContextVar;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactor.ReactorBridge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/** The snippets of docs/reactor.md. */
class ReactorSnippets extends SnippetTest {
    @Test
    void mono() {
        // tag::mono[]
        Mono<String> greeting = ReactorBridge.mono(
                () -> { // cold: runs once per subscription
                    Async.sleep(Duration.ofMillis(10)); // suspends the coroutine, not a thread
                    String name = ReactorBridge.await(Mono.just("Ada").delayElement(Duration.ofMillis(5)));
                    return "hello " + name;
                });
        System.out.println(greeting.block()); // any Reactor code can use it
        // end::mono[]
        assertThat(printed()).containsExactly("hello Ada");
    }

    @Test
    void flux() {
        // tag::flux[]
        Flux<Integer> pages = ReactorBridge.flux(
                y -> { // an async generator as a Flux
                    for (int page = 1; page <= 3; page++) {
                        Async.sleep(Duration.ofMillis(5));
                        y.yield(page); // waits for demand: no overflow strategy
                    }
                });
        List<Integer> firstTwo = pages.take(2).collectList().block(); // take(2) cancels the generator
        System.out.println(firstTwo);
        // end::flux[]
        assertThat(printed()).containsExactly("[1, 2]");
    }

    @Test
    void awaitAndIterate() {
        // tag::awaitAndIterate[]
        Async.run(() -> {
            Integer one = ReactorBridge.await(Mono.just(1)); // awaitSingle
            Integer first = ReactorBridge.awaitFirst(Flux.just(2, 3)); // awaitFirst
            System.out.println(one + " " + first);
            try (LoopSubscriber<Long> ticks =
                    ReactorBridge.iterate(Flux.interval(Duration.ofMillis(1)).take(3), 8)) {
                for (long tick : ticks) { // suspends between items
                    System.out.println("tick " + tick);
                }
            }
            return null;
        });
        // end::awaitAndIterate[]
        assertThat(printed()).containsExactly("1 2", "tick 0", "tick 1", "tick 2");
    }

    @Test
    void mapAsync() {
        // tag::mapAsync[]
        List<String> users = Flux.range(1, 4)
                .transform(ReactorBridge.mapAsync(
                        2,
                        id -> { // a coroutine per item, 2 at a time, in order
                            Async.sleep(Duration.ofMillis(5));
                            return "user " + id;
                        }))
                .collectList()
                .block();
        System.out.println(users);
        // end::mapAsync[]
        assertThat(printed()).containsExactly("[user 1, user 2, user 3, user 4]");
    }

    // tag::bind[]
    static final ContextVar<String> TRACE_ID = ContextVar.withDefault("traceId", "none");

    static {
        ReactorBridge.bind(TRACE_ID, "traceId"); // once, at start-up
    }
    // end::bind[]

    @Test
    void context() {
        // tag::context[]
        Mono<String> handler = ReactorBridge.mono(() -> "trace " + TRACE_ID.get());
        System.out.println(handler.contextWrite(Context.of("traceId", "t-42")).block());
        // end::context[]
        assertThat(printed()).containsExactly("trace t-42");
    }

    @Test
    void scheduler() {
        // tag::scheduler[]
        Async.run(() -> {
            EventLoop loop = Async.loop();
            Scheduler onLoop = ReactorBridge.scheduler(loop);
            boolean onLoopThread = ReactorBridge.await(Mono.just(1)
                    .subscribeOn(Schedulers.parallel())
                    .publishOn(onLoop) // what follows runs on the loop's thread
                    .map(ignored -> loop.inLoop()));
            System.out.println("on the loop: " + onLoopThread);
            return null;
        });
        // end::scheduler[]
        assertThat(printed()).containsExactly("on the loop: true");
    }
}
