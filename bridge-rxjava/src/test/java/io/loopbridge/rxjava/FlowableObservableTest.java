package io.loopbridge.rxjava;

import static io.loopbridge.rxjava.RxTesting.FOREVER;
import static io.loopbridge.rxjava.RxTesting.captureLoopErrors;
import static io.loopbridge.rxjava.RxTesting.onEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.loopbridge.Async;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.internal.SharedLoop;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.rxjava.RxTesting.NoThreadsLeft;
import io.loopbridge.rxjava.RxTesting.RxJavaErrors;
import io.loopbridge.task.CoroutineEngine;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.UndeliverableException;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code RxBridge.flowable} (backpressured: a yield waits for demand), {@code RxBridge.observable}
 * (no backpressure: a yield never waits) and {@code RxBridge.mapAsync}. The generator's steps and
 * the signals downstream go into one log, so each test asserts their exact interleaving.
 */
@ExtendWith({NoThreadsLeft.class, RxJavaErrors.class})
class FlowableObservableTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    /** Yields 1..n, logging before and after each yield, its return and its finally. */
    AsyncGenerator.Body<Integer, Void> counting(int n) {
        return y -> {
            try {
                for (int i = 1; i <= n; i++) {
                    steps.add("yield " + i);
                    y.yield(i);
                    steps.add("yielded " + i);
                }
                steps.add("return");
            } finally {
                steps.add("finally");
            }
        };
    }

    /** Yields 1..n, sleeping a second of loop time before each. */
    AsyncGenerator.Body<Integer, Void> ticking(int n) {
        return y -> {
            try {
                for (int i = 1; i <= n; i++) {
                    Async.sleep(Duration.ofSeconds(1));
                    y.yield(i);
                }
            } catch (CancellationException e) {
                steps.add("cancelled");
                throw e;
            } finally {
                steps.add("finally");
            }
        };
    }

    @Nested
    class FlowableFromGenerator {
        @AllEngines
        void aYieldReturnsAtOnceWhileThereIsDemandAndWaitsAtZero(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestSubscriber<Integer> ts = RxBridge.flowable(loop, counting(3))
                        .doOnNext(i -> steps.add("onNext " + i))
                        .test(0);
                loop.runUntilIdle();
                assertThat(steps).containsExactly("yield 1");

                ts.request(2);
                loop.runUntilIdle();
                assertThat(steps)
                        .containsExactly(
                                "yield 1", "onNext 1", "yielded 1", "yield 2", "onNext 2", "yielded 2", "yield 3");
                ts.assertValues(1, 2).assertNotComplete();

                ts.request(1);
                loop.runUntilIdle();
                ts.assertResult(1, 2, 3);
                assertThat(steps).endsWith("onNext 3", "yielded 3", "return", "finally");
            }
        }

        @AllEngines
        void isColdEachSubscriptionRunsTheGeneratorAgain(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                AtomicInteger runs = new AtomicInteger();
                Flowable<Integer> f = RxBridge.flowable(loop, y -> y.yield(runs.incrementAndGet()));
                TestSubscriber<Integer> first = f.test();
                TestSubscriber<Integer> second = f.test();
                loop.runUntilIdle();
                first.assertResult(1);
                second.assertResult(2);
            }
        }

        @AllEngines
        void aGeneratorThatAwaitsEmitsAsLoopTimePasses(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestSubscriber<Integer> ts = RxBridge.flowable(loop, ticking(3)).test();
                loop.advanceTime(Duration.ofSeconds(2));
                ts.assertValues(1, 2).assertNotComplete();
                loop.advanceTime(Duration.ofSeconds(1));
                ts.assertResult(1, 2, 3);
            }
        }

        @AllEngines
        void aFailureIsOnError(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestSubscriber<Integer> ts = RxBridge.<Integer>flowable(loop, y -> {
                            y.yield(1);
                            throw new IOException("broken pipe");
                        })
                        .test();
                loop.runUntilIdle();
                ts.assertValues(1).assertError(IOException.class);
            }
        }

        @AllEngines
        void cancellingAtAYieldClosesTheGenerator(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestSubscriber<Integer> ts =
                        RxBridge.flowable(loop, counting(5)).test(1);
                loop.runUntilIdle();
                assertThat(steps).containsExactly("yield 1", "yielded 1", "yield 2");
                ts.cancel();
                loop.runUntilIdle();
                assertThat(steps).containsExactly("yield 1", "yielded 1", "yield 2", "finally");
                ts.assertValues(1).assertNotComplete().assertNoErrors();
                assertThat(loopErrors).isEmpty();
                assertThat(loop.allTasks()).isEmpty();
            }
        }

        @AllEngines
        void cancellingWhileTheGeneratorAwaitsCancelsTheAwait(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestSubscriber<Integer> ts = RxBridge.flowable(loop, ticking(5)).test();
                loop.advanceTime(Duration.ofMillis(1500));
                ts.assertValues(1);
                ts.cancel();
                loop.runUntilIdle();
                assertThat(steps).containsExactly("cancelled", "finally");
                assertThat(loopErrors).isEmpty();
                assertThat(loop.allTasks()).isEmpty();
            }
        }

        @AllEngines
        void takeCancelsFromInsideOnNext(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestSubscriber<Integer> ts =
                        RxBridge.flowable(loop, counting(10)).take(2).test();
                loop.runUntilIdle();
                ts.assertResult(1, 2);
                assertThat(steps).containsExactly("yield 1", "yielded 1", "yield 2", "finally");
            }
        }

        @AllEngines
        void withoutALoopInsideACoroutineItRunsOnTheRunningLoop(CoroutineEngine engine) {
            onEngine(
                    engine,
                    () -> assertThat(RxBridge.awaitFirst(
                                    RxBridge.<EventLoop>flowable(y -> y.yield(EventLoop.running()))))
                            .isSameAs(Async.loop()));
        }

        @Test
        void withoutALoopOutsideACoroutineItRunsOnTheSharedLoop() {
            EventLoop ranOn = RxBridge.<EventLoop>flowable(y -> y.yield(EventLoop.running()))
                    .timeout(10, TimeUnit.SECONDS)
                    .blockingFirst();
            assertThat(ranOn).isSameAs(SharedLoop.get());
        }
    }

    @Nested
    class ObservableFromGenerator {
        @AllEngines
        void aYieldNeverWaitsTheGeneratorRunsStraightThrough(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Integer> to = RxBridge.observable(loop, counting(3))
                        .doOnNext(i -> steps.add("onNext " + i))
                        .test();
                loop.runUntilIdle();
                to.assertResult(1, 2, 3);
                assertThat(steps)
                        .containsExactly(
                                "yield 1",
                                "onNext 1",
                                "yielded 1",
                                "yield 2",
                                "onNext 2",
                                "yielded 2",
                                "yield 3",
                                "onNext 3",
                                "yielded 3",
                                "return",
                                "finally");
            }
        }

        @AllEngines
        void aLongGeneratorNeedsNoDemand(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Integer> to = RxBridge.<Integer>observable(loop, y -> {
                            for (int i = 0; i < 10_000; i++) {
                                y.yield(i);
                            }
                        })
                        .test();
                loop.runUntilIdle();
                to.assertValueCount(10_000).assertComplete();
            }
        }

        @AllEngines
        void theGeneratorIsPacedByTheLoopWhereItAwaits(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Integer> to = RxBridge.observable(loop, ticking(3)).test();
                loop.advanceTime(Duration.ofSeconds(1));
                to.assertValues(1);
                loop.advanceTime(Duration.ofSeconds(2));
                to.assertResult(1, 2, 3);
            }
        }

        @AllEngines
        void aFailureIsOnError(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Integer> to = RxBridge.<Integer>observable(loop, y -> {
                            y.yield(7);
                            throw new IOException("gone");
                        })
                        .test();
                loop.runUntilIdle();
                to.assertValues(7).assertError(IOException.class);
            }
        }

        @AllEngines
        void disposingWhileTheGeneratorAwaitsClosesIt(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestObserver<Integer> to = RxBridge.observable(loop, ticking(5)).test();
                loop.advanceTime(Duration.ofMillis(1500));
                to.assertValues(1);
                assertThat(to.isDisposed()).isFalse();
                to.dispose();
                assertThat(to.isDisposed()).isTrue();
                loop.runUntilIdle();
                assertThat(steps).containsExactly("cancelled", "finally");
                assertThat(loopErrors).isEmpty();
                assertThat(loop.allTasks()).isEmpty();
            }
        }

        @AllEngines
        void takeDisposesFromInsideOnNext(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Integer> to =
                        RxBridge.observable(loop, counting(10)).take(2).test();
                loop.runUntilIdle();
                to.assertResult(1, 2);
                assertThat(steps).containsExactly("yield 1", "yielded 1", "yield 2", "finally");
            }
        }

        @AllEngines
        void theDisposableReflectsDisposeAndTermination(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Disposable> disposables = new ArrayList<>();
                Observer<Integer> keep = new Observer<>() {
                    @Override
                    public void onSubscribe(Disposable d) {
                        disposables.add(d);
                    }

                    @Override
                    public void onNext(Integer t) {}

                    @Override
                    public void onError(Throwable e) {}

                    @Override
                    public void onComplete() {}
                };
                RxBridge.observable(loop, counting(2)).subscribe(keep);
                RxBridge.observable(loop, ticking(2)).subscribe(keep);
                loop.runUntilIdle();
                assertThat(disposables).hasSize(2);
                assertThat(disposables.get(0).isDisposed())
                        .as("after onComplete")
                        .isTrue();
                assertThat(disposables.get(1).isDisposed()).as("while running").isFalse();
                disposables.get(1).dispose();
                assertThat(disposables.get(1).isDisposed()).isTrue();
                loop.runUntilIdle();
                assertThat(steps)
                        .containsExactly(
                                "yield 1",
                                "yielded 1",
                                "yield 2",
                                "yielded 2",
                                "return",
                                "finally",
                                "cancelled",
                                "finally");
            }
        }

        @AllEngines
        void withoutALoopInsideACoroutineItRunsOnTheRunningLoop(CoroutineEngine engine) {
            onEngine(
                    engine,
                    () -> assertThat(RxBridge.awaitFirst(
                                    RxBridge.<EventLoop>observable(y -> y.yield(EventLoop.running()))))
                            .isSameAs(Async.loop()));
        }

        @Test
        void withoutALoopOutsideACoroutineItRunsOnTheSharedLoop() {
            EventLoop ranOn = RxBridge.<EventLoop>observable(y -> y.yield(EventLoop.running()))
                    .timeout(10, TimeUnit.SECONDS)
                    .blockingFirst();
            assertThat(ranOn).isSameAs(SharedLoop.get());
        }
    }

    @Nested
    class GeneratorFailingAfterItsSubscriberLeft {
        /** Turns its cancellation into a failure: it fails after the cancel. */
        AsyncGenerator.Body<Integer, Void> failingCleanup() {
            return y -> {
                y.yield(1);
                try {
                    Async.sleep(FOREVER);
                } catch (CancellationException e) {
                    throw new RuntimeException("cleanup failed");
                }
            };
        }

        @AllEngines
        void aFlowablesFailureGoesToTheLoopAndToRxJavaPlugins(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestSubscriber<Integer> ts =
                        RxBridge.flowable(loop, failingCleanup()).test();
                loop.runUntilIdle();
                ts.cancel();
                loop.runUntilIdle();
                ts.assertValues(1).assertNoErrors();
                assertThat(loopErrors).singleElement().satisfies(ctx -> {
                    assertThat((String) ctx.get("message"))
                            .contains("RxBridge.flowable")
                            .contains("failed after its subscriber left");
                    assertThat((Throwable) ctx.get("exception")).hasMessage("cleanup failed");
                });
                assertThat(RxJavaErrors.take())
                        .singleElement()
                        .isInstanceOf(UndeliverableException.class)
                        .extracting(Throwable::getCause)
                        .hasFieldOrPropertyWithValue("message", "cleanup failed");
            }
        }

        @AllEngines
        void anObservablesFailureGoesToTheLoopAndToRxJavaPlugins(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestObserver<Integer> to =
                        RxBridge.observable(loop, failingCleanup()).test();
                loop.runUntilIdle();
                to.dispose();
                loop.runUntilIdle();
                to.assertValues(1).assertNoErrors();
                assertThat(loopErrors)
                        .singleElement()
                        .satisfies(ctx ->
                                assertThat((Throwable) ctx.get("exception")).hasMessage("cleanup failed"));
                assertThat(RxJavaErrors.take()).singleElement().isInstanceOf(UndeliverableException.class);
            }
        }

        @AllEngines
        void aFailureBeforeTheCancelIsAnOrdinaryOnError(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestSubscriber<Integer> ts = RxBridge.<Integer>flowable(loop, y -> {
                            throw new IllegalStateException("early");
                        })
                        .test();
                loop.runUntilIdle();
                ts.assertError(IllegalStateException.class);
                assertThat(loopErrors).isEmpty();
            }
        }
    }

    @Nested
    class MapAsync {
        @AllEngines
        void runsACoroutinePerItemAtMostConcurrencyAtATimeInUpstreamOrder(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                AtomicInteger inFlight = new AtomicInteger();
                AtomicInteger mostInFlight = new AtomicInteger();
                TestSubscriber<Integer> ts = Flowable.range(1, 10)
                        .compose(RxBridge.mapAsync(loop, 3, (Integer i) -> {
                            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            try {
                                Async.sleep(Duration.ofSeconds(11 - i)); // later items finish first
                                return i * 10;
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        }))
                        .test();
                loop.advanceTime(Duration.ofSeconds(60));
                ts.assertResult(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
                assertThat(mostInFlight).hasValue(3);
            }
        }

        @AllEngines
        void itsOutputIsBackpressured(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestSubscriber<Integer> ts = Flowable.range(1, 5)
                        .compose(RxBridge.mapAsync(loop, 2, (Integer i) -> i + 100))
                        .test(2);
                loop.runUntilIdle();
                ts.assertValues(101, 102).assertNotComplete();
                ts.request(3);
                loop.runUntilIdle();
                ts.assertResult(101, 102, 103, 104, 105);
            }
        }

        @AllEngines
        void cancellingCancelsEveryTaskInFlight(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestSubscriber<Integer> ts = Flowable.range(1, 10)
                        .compose(RxBridge.mapAsync(loop, 4, (Integer i) -> {
                            try {
                                Async.sleep(FOREVER);
                                return i;
                            } catch (CancellationException e) {
                                steps.add("cancelled " + i);
                                throw e;
                            }
                        }))
                        .test();
                loop.runUntilIdle();
                ts.cancel();
                loop.runUntilIdle();
                assertThat(steps).containsExactlyInAnyOrder("cancelled 1", "cancelled 2", "cancelled 3", "cancelled 4");
                assertThat(loop.allTasks()).isEmpty();
                assertThat(loopErrors).isEmpty();
            }
        }

        @AllEngines
        void aFailedCoroutineFailsTheStream(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestSubscriber<Integer> ts = Flowable.range(1, 10)
                        .compose(RxBridge.mapAsync(loop, 2, (Integer i) -> {
                            if (i == 3) {
                                throw new IOException("item 3");
                            }
                            return i;
                        }))
                        .test();
                loop.runUntilIdle();
                ts.assertValues(1, 2).assertError(IOException.class);
            }
        }

        @AllEngines
        void withoutALoopInsideACoroutineItRunsOnTheRunningLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Integer> out = RxBridge.awaitLast(Flowable.range(1, 100)
                        .compose(RxBridge.mapAsync(8, i -> {
                            Async.sleep(Duration.ZERO);
                            return i;
                        }))
                        .toList()
                        .toFlowable());
                assertThat(out).isEqualTo(IntStream.rangeClosed(1, 100).boxed().collect(Collectors.toList()));
            });
        }

        @Test
        void concurrencyMustBePositive() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> RxBridge.mapAsync(SharedLoop.get(), 0, (Integer i) -> i))
                    .withMessage("concurrency must be at least 1, got 0");
        }
    }
}
