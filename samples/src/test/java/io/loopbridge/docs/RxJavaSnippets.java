package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.rxjava.RxBridge;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The snippets of docs/rxjava.md. */
class RxJavaSnippets extends SnippetTest {
    @Test
    void single() {
        // tag::single[]
        Single<String> greeting = RxBridge.single(
                () -> { // cold: runs once per subscription
                    Async.sleep(Duration.ofMillis(10));
                    return "hello " + RxBridge.await(Single.just("Grace").delay(5, TimeUnit.MILLISECONDS));
                });
        System.out.println(greeting.blockingGet());
        // end::single[]
        assertThat(printed()).containsExactly("hello Grace");
    }

    @Test
    void flowable() {
        // tag::flowable[]
        Flowable<Integer> pages = RxBridge.flowable(
                y -> { // an async generator as a Flowable
                    for (int page = 1; page <= 3; page++) {
                        Async.sleep(Duration.ofMillis(5));
                        y.yield(page); // waits for demand
                    }
                });
        System.out.println(pages.toList().blockingGet());
        // end::flowable[]
        assertThat(printed()).containsExactly("[1, 2, 3]");
    }

    @Test
    void await() {
        // tag::await[]
        Async.run(() -> {
            String s = RxBridge.await(Single.just("single"));
            String m = RxBridge.await(Maybe.<String>empty()); // null when empty
            RxBridge.await(Completable.timer(5, TimeUnit.MILLISECONDS)); // waits, returns nothing
            System.out.println(s + " " + m);
            try (LoopSubscriber<Integer> items = RxBridge.iterate(Flowable.range(1, 3), 2)) {
                for (int i : items) {
                    System.out.println("item " + i);
                }
            }
            return null;
        });
        // end::await[]
        assertThat(printed()).containsExactly("single null", "item 1", "item 2", "item 3");
    }

    @Test
    void mapAsync() {
        // tag::mapAsync[]
        List<String> users = Flowable.range(1, 4)
                .compose(RxBridge.mapAsync(
                        2,
                        id -> { // a coroutine per item, 2 at a time, in order
                            Async.sleep(Duration.ofMillis(5));
                            return "user " + id;
                        }))
                .toList()
                .blockingGet();
        System.out.println(users);
        // end::mapAsync[]
        assertThat(printed()).containsExactly("[user 1, user 2, user 3, user 4]");
    }

    @Test
    void scheduler() {
        // tag::scheduler[]
        Async.run(() -> {
            EventLoop loop = Async.loop();
            boolean onLoopThread = RxBridge.await(Single.just(1)
                    .subscribeOn(Schedulers.computation())
                    .observeOn(RxBridge.scheduler(loop)) // what follows runs on the loop's thread
                    .map(ignored -> loop.inLoop()));
            System.out.println("on the loop: " + onLoopThread);
            return null;
        });
        // end::scheduler[]
        assertThat(printed()).containsExactly("on the loop: true");
    }
}
