package io.loopbridge.reactive;

import static io.loopbridge.reactive.RecordingSubscriber.PATIENCE;
import static io.loopbridge.reactive.RecordingSubscriber.eventually;
import static io.loopbridge.reactive.RecordingSubscriber.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ReactiveFlow}: the {@link Reactive} functions over {@link java.util.concurrent.Flow} types —
 * a JDK {@link SubmissionPublisher} read by a coroutine, a coroutine publisher read by a plain
 * {@code Flow.Subscriber}, and the awaits. Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class ReactiveFlowTest {
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

    static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    /** Yields 1..n and logs its return and finally. */
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

    /** A JDK-only subscriber: requests {@code batch} at a time, logs its signals and where they ran. */
    static final class FlowRecorder<T> implements Flow.Subscriber<T> {
        final EventLoop loop;
        final int batch;
        final List<T> items = new CopyOnWriteArrayList<>();
        final List<String> offLoop = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> terminated = new CompletableFuture<>();
        volatile Flow.Subscription subscription;
        private int leftInBatch;

        FlowRecorder(EventLoop loop, int batch) {
            this.loop = loop;
            this.batch = batch;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            check();
            subscription = s;
            if (batch > 0) {
                leftInBatch = batch;
                s.request(batch);
            }
        }

        @Override
        public void onNext(T item) {
            check();
            items.add(item);
            if (batch > 0 && --leftInBatch == 0) {
                leftInBatch = batch;
                subscription.request(batch);
            }
        }

        @Override
        public void onError(Throwable t) {
            check();
            terminated.complete(t);
        }

        @Override
        public void onComplete() {
            check();
            terminated.complete(null);
        }

        private void check() {
            if (!loop.inLoop()) {
                offLoop.add(Thread.currentThread().getName());
            }
        }

        Throwable awaitTerminal() {
            return Async.waitFor(LoopFuture.from(loop, terminated), PATIENCE);
        }
    }

    @AllEngines
    void aSubmissionPublisherIsReadWithForEach(CoroutineEngine engine) {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            onEngine(engine, () -> {
                List<Integer> seen = new ArrayList<>();
                try (SubmissionPublisher<Integer> sp = new SubmissionPublisher<>(executor, 16)) {
                    LoopSubscriber<Integer> items = ReactiveFlow.iterate(sp, 8);
                    Thread producer = new Thread(
                            () -> {
                                for (int i = 1; i <= 1000; i++) {
                                    sp.submit(i); // blocks while the coroutine's 8-item buffer is full
                                }
                                sp.close();
                            },
                            "flow-producer");
                    producer.start();
                    for (int i : items) {
                        seen.add(i);
                    }
                    eventually("the producer ends", () -> !producer.isAlive());
                }
                assertThat(seen).isEqualTo(range(1, 1000));
            });
        } finally {
            executor.shutdownNow();
        }
    }

    @AllEngines
    void aSubmissionPublisherErrorIsRaisedWhereTheCoroutineIterates(CoroutineEngine engine) {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            onEngine(engine, () -> {
                IllegalStateException boom = new IllegalStateException("boom");
                SubmissionPublisher<Integer> sp = new SubmissionPublisher<>(executor, 16);
                LoopSubscriber<Integer> s = new LoopSubscriber<>(Async.loop(), 4);
                sp.subscribe(ReactiveFlow.asFlowSubscriber(s));
                List<Integer> seen = new CopyOnWriteArrayList<>();
                Thread producer = new Thread(
                        () -> {
                            sp.submit(1);
                            sp.submit(2);
                            // SubmissionPublisher may signal the error ahead of undelivered items: let them arrive
                            // first
                            while (seen.size() < 2) {
                                Thread.onSpinWait();
                            }
                            sp.closeExceptionally(boom);
                        },
                        "flow-producer");
                producer.start();
                Throwable thrown = catchThrowable(() -> {
                    for (int i : s) {
                        seen.add(i);
                    }
                });
                assertThat(seen).containsExactly(1, 2);
                assertThat(thrown).isSameAs(boom);
                eventually("the producer ends", () -> !producer.isAlive());
            });
        } finally {
            executor.shutdownNow();
        }
    }

    @AllEngines
    void aCoroutinePublisherIsReadByAFlowSubscriberOnTheLoop(CoroutineEngine engine) {
        onEngine(engine, () -> {
            FlowRecorder<Integer> r = new FlowRecorder<>(Async.loop(), 3);
            ReactiveFlow.publisher(Async.loop(), counting(10)).subscribe(r);
            assertThat(r.awaitTerminal()).isNull();
            assertThat(r.items).isEqualTo(range(1, 10));
            assertThat(r.offLoop).isEmpty();
            assertThat(steps).containsExactly("return", "finally");
        });
    }

    @AllEngines
    void aFlowCancelClosesTheGeneratorAndABadRequestIsRule39(CoroutineEngine engine) {
        onEngine(engine, () -> {
            FlowRecorder<Integer> cancelling = new FlowRecorder<>(Async.loop(), 0);
            ReactiveFlow.publisher(Async.loop(), counting(100)).subscribe(cancelling);
            cancelling.subscription.request(2);
            settle();
            cancelling.subscription.cancel();
            settle();
            assertThat(cancelling.items).containsExactly(1, 2);
            assertThat(steps).containsExactly("finally");
            assertThat(cancelling.terminated).isNotDone();

            FlowRecorder<Integer> bad = new FlowRecorder<>(Async.loop(), 0);
            ReactiveFlow.publisher(Async.loop(), counting(100)).subscribe(bad);
            bad.subscription.request(0);
            assertThat(bad.awaitTerminal())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3.9");
        });
    }

    @AllEngines
    void fromCoroutineFromAwaitableAndMapAsync(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            FlowRecorder<String> r = new FlowRecorder<>(loop, 1);
            ReactiveFlow.fromCoroutine(loop, () -> {
                        Async.sleep(Duration.ofMillis(1));
                        return "done";
                    })
                    .subscribe(r);
            assertThat(r.awaitTerminal()).isNull();
            assertThat(r.items).containsExactly("done");

            LoopFuture<String> shared = loop.createFuture();
            Flow.Publisher<String> leaveIt = ReactiveFlow.fromAwaitable(shared);
            Flow.Publisher<String> cancelIt = ReactiveFlow.fromAwaitable(shared, true);
            FlowRecorder<String> a = new FlowRecorder<>(loop, 1);
            leaveIt.subscribe(a);
            settle();
            a.subscription.cancel();
            settle();
            assertThat(shared.isCancelled()).isFalse();
            FlowRecorder<String> b = new FlowRecorder<>(loop, 1);
            cancelIt.subscribe(b);
            settle();
            b.subscription.cancel();
            settle();
            assertThat(shared.isCancelled()).isTrue();

            Flow.Publisher<Integer> doubled =
                    ReactiveFlow.mapAsync(ReactiveFlow.publisher(loop, counting(20)), loop, 3, i -> {
                        Async.sleep(Duration.ofMillis(20 - i));
                        return 2 * i;
                    });
            assertThat(ReactiveFlow.toList(doubled))
                    .isEqualTo(range(1, 20).stream().map(i -> 2 * i).collect(Collectors.toList()));
        });
    }

    @AllEngines
    void theAwaits(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            Flow.Publisher<Integer> five = ReactiveFlow.publisher(loop, counting(5));
            Flow.Publisher<Integer> none = ReactiveFlow.publisher(loop, y -> {});
            Flow.Publisher<Integer> one = ReactiveFlow.fromCoroutine(loop, () -> 42);

            assertThat(ReactiveFlow.awaitFirst(five)).isEqualTo(1);
            assertThatThrownBy(() -> ReactiveFlow.awaitFirst(none)).isInstanceOf(NoSuchElementException.class);
            assertThat(ReactiveFlow.awaitFirstOrDefault(none, 7)).isEqualTo(7);
            assertThat(ReactiveFlow.awaitFirstOrNull(none)).isNull();
            assertThat(ReactiveFlow.awaitFirstOrElse(none, () -> 9)).isEqualTo(9);
            assertThat(ReactiveFlow.awaitLast(five)).isEqualTo(5);
            assertThat(ReactiveFlow.awaitSingle(one)).isEqualTo(42);
            assertThatIllegalArgumentException().isThrownBy(() -> ReactiveFlow.awaitSingle(five));
            assertThat(ReactiveFlow.awaitSingleOrNull(none)).isNull();
            assertThat(ReactiveFlow.toList(five)).isEqualTo(range(1, 5));
            assertThatThrownBy(() -> ReactiveFlow.toList(five, 3)).isInstanceOf(IllegalStateException.class);
            assertThat(Async.await(ReactiveFlow.toFuture(one))).isEqualTo(42);

            List<Integer> viaGenerator = new ArrayList<>();
            for (int i : ReactiveFlow.toAsyncGenerator(five, 2)) {
                viaGenerator.add(i);
            }
            assertThat(viaGenerator).isEqualTo(range(1, 5));

            List<Integer> viaIterate = new ArrayList<>();
            for (int i : ReactiveFlow.iterate(five)) {
                viaIterate.add(i);
            }
            assertThat(viaIterate).isEqualTo(range(1, 5));
            settle();
            assertThat(Async.allTasks()).containsExactly(Async.currentTask());
        });
    }
}
