package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.reactive.ReactiveFlow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

/** The snippets of docs/reactive.md. */
class ReactiveSnippets extends SnippetTest {
    @Test
    void publisher() {
        // tag::publisher[]
        Async.run(() -> {
            EventLoop loop = Async.loop();
            Publisher<Integer> squares = Reactive.publisher(loop, y -> {
                for (int i = 1; i <= 4; i++) {
                    Async.sleep(Duration.ofMillis(1)); // any await between items
                    y.yield(i * i); // an onNext; waits while there is no demand
                }
            });
            List<Integer> all = Reactive.toList(squares); // subscribes and suspends until onComplete
            System.out.println(all);
            return null;
        });
        // end::publisher[]
        assertThat(printed()).containsExactly("[1, 4, 9, 16]");
    }

    @Test
    void iterate() {
        // tag::iterate[]
        Async.run(() -> {
            Publisher<Integer> numbers = Reactive.publisher(Async.loop(), y -> {
                for (int i = 1; ; i++) {
                    y.yield(i); // endless: the consumer decides when to stop
                }
            });
            try (LoopSubscriber<Integer> items = Reactive.iterate(numbers, 16)) { // requests 16 at a time
                for (int n : items) {
                    if (n > 3) {
                        break; // closing the subscriber cancels
                    }
                    System.out.println(n);
                }
            }
            return null;
        });
        // end::iterate[]
        assertThat(printed()).containsExactly("1", "2", "3");
    }

    @Test
    void mapAsync() {
        // tag::mapAsync[]
        Async.run(() -> {
            Publisher<Integer> ids = Reactive.publisher(Async.loop(), y -> {
                for (int id = 1; id <= 5; id++) {
                    y.yield(id);
                }
            });
            Publisher<String> users = Reactive.mapAsync(
                    ids,
                    Async.loop(),
                    3,
                    id -> { // 3 coroutines at a time
                        Async.sleep(Duration.ofMillis(10 - 2 * id)); // later ids finish first ...
                        return "user " + id;
                    });
            System.out.println(Reactive.toList(users)); // ... yet come out in upstream order
            return null;
        });
        // end::mapAsync[]
        assertThat(printed()).containsExactly("[user 1, user 2, user 3, user 4, user 5]");
    }

    @Test
    void awaitFirst() {
        // tag::awaitFirst[]
        Async.run(() -> {
            Publisher<String> one = Reactive.fromCoroutine(Async.loop(), () -> {
                Async.sleep(Duration.ofMillis(5));
                return "answer";
            });
            System.out.println(Reactive.awaitSingle(one)); // like kotlinx awaitSingle(), without a thread
            return null;
        });
        // end::awaitFirst[]
        assertThat(printed()).containsExactly("answer");
    }

    @Test
    void flow() {
        // tag::flow[]
        Async.run(() -> {
            Flow.Publisher<String> words = ReactiveFlow.publisher(Async.loop(), y -> {
                y.yield("java.util.concurrent.Flow");
                y.yield("works too");
            });
            System.out.println(String.join(" ", ReactiveFlow.toList(words)));
            return null;
        });
        // end::flow[]
        assertThat(printed()).containsExactly("java.util.concurrent.Flow works too");
    }
}
