package io.loopbridge.reactive;

import static io.loopbridge.reactive.RecordingSubscriber.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code Reactive.publisher} read from another thread (hand-off mode): once a request comes from a
 * thread other than the loop's, items go through a queue and are delivered by whoever is free to,
 * the loop or the requester inside its {@code request} call, as {@code Flux.generate} emits in
 * {@code request}. Signals stay serialized and in order; a subscriber's exception still goes to the
 * loop's exception handler; cancel still closes the generator. Every test runs on each coroutine
 * engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class PublisherFromAsyncGeneratorTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    interface Body {
        void run() throws Exception;
    }

    static void onEngine(CoroutineEngine engine, Body body) {
        Async.run(engine, () -> {
            body.run();
            return null;
        });
    }

    /** Yields 1..n and logs its return and its finally. */
    AsyncGenerator.Body<Integer, Void> counting(int n) {
        return y -> {
            try {
                for (int i = 1; i <= n; i++) {
                    y.yield(i);
                }
                steps.add("return");
            } finally {
                steps.add("finally");
            }
        };
    }

    /** Records each signal with the name of the thread it came on; a latch per item. */
    static final class ThreadRecorder implements Subscriber<Integer> {
        final List<String> signals = new CopyOnWriteArrayList<>();
        final CompletableFuture<Subscription> subscribed = new CompletableFuture<>();
        final CompletableFuture<Void> terminated = new CompletableFuture<>();
        final CountDownLatch first = new CountDownLatch(1);
        volatile RuntimeException throwOnItem;
        private volatile boolean inSignal;

        @Override
        public void onSubscribe(Subscription s) {
            subscribed.complete(s);
        }

        @Override
        public void onNext(Integer item) {
            enter("onNext " + item);
            first.countDown();
            RuntimeException boom = throwOnItem;
            inSignal = false;
            if (boom != null && item == 2) {
                throw boom;
            }
        }

        @Override
        public void onError(Throwable t) {
            enter("onError " + t.getClass().getSimpleName());
            inSignal = false;
            terminated.complete(null);
        }

        @Override
        public void onComplete() {
            enter("onComplete");
            inSignal = false;
            terminated.complete(null);
        }

        private void enter(String signal) {
            if (inSignal) {
                signals.add("overlapping " + signal); // §1.3
            }
            inSignal = true;
            signals.add(signal + " on " + Thread.currentThread().getName());
        }

        List<String> names() {
            return signals.stream().map(s -> s.replaceAll(" on .*", "")).collect(Collectors.toList());
        }
    }

    /** A subscription of {@code body} on the running loop, with a demand spin long enough for any machine. */
    static PublisherFromAsyncGenerator.Emission<Integer> subscribeWithPatientSpin(
            AsyncGenerator.Body<Integer, Void> body, Subscriber<Integer> subscriber) {
        PublisherFromAsyncGenerator.Emission<Integer> e =
                new PublisherFromAsyncGenerator.Emission<>(Async.loop(), body, subscriber);
        e.spinNanos = PATIENCE.toNanos();
        e.start();
        return e;
    }

    /**
     * On the requester's thread: waits until the loop has delivered item 1 and let go of the
     * delivery, so the next request takes it and the items it asks for come in its own call.
     */
    static void awaitLetGo(PublisherFromAsyncGenerator.Emission<Integer> e) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (e.isDelivering()) {
            assertThat(System.nanoTime() - deadline)
                    .as("the loop lets go of the delivery")
                    .isNegative();
            Thread.onSpinWait();
        }
    }

    /** Inside a coroutine: waits for {@code thread} without a timer (a timer would stop the body's spin). */
    static void awaitEnd(CompletableFuture<Void> thread) {
        Async.await(LoopFuture.from(Async.loop(), thread));
    }

    static CompletableFuture<Void> onThread(String name, Body body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        body.run();
                        done.complete(null);
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                },
                name);
        t.start();
        return done;
    }

    @AllEngines
    void aRequesterOnAnotherThreadReceivesTheItemsItAskedForInsideItsRequest(CoroutineEngine engine) {
        onEngine(engine, () -> {
            ThreadRecorder r = new ThreadRecorder();
            PublisherFromAsyncGenerator.Emission<Integer> e = subscribeWithPatientSpin(counting(5), r);
            List<Integer> seenWhenRequestReturned = new ArrayList<>();
            awaitEnd(onThread("requester", () -> {
                Subscription s = r.subscribed.join();
                s.request(1); // from another thread: the next yield switches to hand-off mode
                assertThat(r.first.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .isTrue();
                awaitLetGo(e);
                s.request(3);
                seenWhenRequestReturned.add(r.signals.size());
                s.request(10);
                r.terminated.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }));
            assertThat(seenWhenRequestReturned)
                    .as("items 2..4 arrived inside request(3)")
                    .containsExactly(4);
            assertThat(r.signals.subList(1, 4))
                    .containsExactly("onNext 2 on requester", "onNext 3 on requester", "onNext 4 on requester");
            assertThat(r.names())
                    .containsExactly("onNext 1", "onNext 2", "onNext 3", "onNext 4", "onNext 5", "onComplete");
            assertThat(steps).containsExactly("return", "finally");
        });
    }

    @AllEngines
    void aSubscriberThatThrowsFromAnItemItsRequesterDeliversIsCancelledAndReportedOnTheLoop(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
            List<Boolean> reportedOnLoop = new CopyOnWriteArrayList<>();
            loop.setExceptionHandler((l, ctx) -> {
                errors.add(ctx);
                reportedOnLoop.add(l.inLoop());
            });
            ThreadRecorder r = new ThreadRecorder();
            IllegalStateException boom = new IllegalStateException("boom");
            r.throwOnItem = boom;
            PublisherFromAsyncGenerator.Emission<Integer> e = subscribeWithPatientSpin(counting(1_000), r);
            awaitEnd(onThread("requester", () -> {
                Subscription s = r.subscribed.join();
                s.request(1);
                assertThat(r.first.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .isTrue();
                awaitLetGo(e);
                s.request(5);
            }));
            RecordingSubscriber.eventually("the generator is closed", () -> steps.contains("finally"));
            RecordingSubscriber.eventually("the failure is reported", () -> !errors.isEmpty());
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).get("exception")).isSameAs(boom);
            assertThat((String) errors.get(0).get("message")).contains("§2.13");
            assertThat(reportedOnLoop).containsExactly(true);
            assertThat(r.names()).containsExactly("onNext 1", "onNext 2");
            assertThat(steps).containsExactly("finally");
        });
    }

    @AllEngines
    void aCancelFromTheRequestersThreadClosesTheGeneratorAndEndsTheSignals(CoroutineEngine engine) {
        onEngine(engine, () -> {
            ThreadRecorder r = new ThreadRecorder();
            PublisherFromAsyncGenerator.Emission<Integer> e = subscribeWithPatientSpin(counting(1_000), r);
            awaitEnd(onThread("requester", () -> {
                Subscription s = r.subscribed.join();
                s.request(1);
                assertThat(r.first.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .isTrue();
                awaitLetGo(e);
                s.request(3);
                s.cancel();
                s.request(100); // §3.6: no effect after cancel
            }));
            RecordingSubscriber.eventually("the generator is closed", () -> steps.contains("finally"));
            RecordingSubscriber.settle();
            assertThat(r.names()).containsExactly("onNext 1", "onNext 2", "onNext 3", "onNext 4");
            assertThat(steps).containsExactly("finally");
        });
    }

    @AllEngines
    void aPublishOnSubscriberGetsEveryItemInOrderAndTheCompletion(CoroutineEngine engine) {
        Scheduler single = Schedulers.newSingle("publishOn");
        try {
            onEngine(engine, () -> {
                int n = 20_000;
                for (int prefetch : new int[] {1, 16, 256}) {
                    List<Integer> seen = Reactive.toList(
                            Flux.from(Reactive.publisher(Async.loop(), counting(n)))
                                    .publishOn(single, prefetch),
                            n);
                    assertThat(seen)
                            .as("prefetch %d", prefetch)
                            .isEqualTo(IntStream.rangeClosed(1, n).boxed().collect(Collectors.toList()));
                }
                List<Integer> firstTen = Reactive.toList(
                        Flux.from(Reactive.publisher(Async.loop(), counting(n)))
                                .publishOn(single, 4)
                                .take(10),
                        n);
                assertThat(firstTen).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
                RecordingSubscriber.eventually(
                        "every generator is closed",
                        () -> steps.stream().filter("finally"::equals).count() == 4);
                assertThat(steps.stream().filter("return"::equals).count()).isEqualTo(3);
            });
        } finally {
            single.dispose();
        }
    }

    @AllEngines
    void withTheSpinOffItemsStillArriveInOrderFromTheLoop(CoroutineEngine engine) {
        onEngine(engine, () -> {
            ThreadRecorder r = new ThreadRecorder();
            PublisherFromAsyncGenerator.Emission<Integer> e =
                    new PublisherFromAsyncGenerator.Emission<>(Async.loop(), counting(300), r);
            e.spinNanos = 0;
            e.start();
            awaitEnd(onThread("requester", () -> {
                Subscription s = r.subscribed.join();
                for (int i = 0; i < 300; i++) {
                    s.request(1);
                }
                s.request(1);
                r.terminated.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }));
            List<String> expected =
                    IntStream.rangeClosed(1, 300).mapToObj(i -> "onNext " + i).collect(Collectors.toList());
            expected.add("onComplete");
            assertThat(r.names()).isEqualTo(expected);
            assertThat(r.signals).allMatch(s -> !s.contains("on requester"), "delivered on the loop");
        });
    }
}
