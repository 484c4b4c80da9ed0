package io.loopbridge.rxjava;

import static io.loopbridge.rxjava.RxTesting.FOREVER;
import static io.loopbridge.rxjava.RxTesting.captureLoopErrors;
import static io.loopbridge.rxjava.RxTesting.onEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.SharedLoop;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.rxjava.RxTesting.LoopThread;
import io.loopbridge.rxjava.RxTesting.NoThreadsLeft;
import io.loopbridge.rxjava.RxTesting.RxJavaErrors;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.UndeliverableException;
import io.reactivex.rxjava3.observers.TestObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code RxBridge.single/maybe/completable} (a new task per subscription) and {@code
 * toSingle/toMaybe/toCompletable} (an awaitable's outcome). Most tests drive a virtual-time loop
 * from the test thread, so every step happens when the test says so; each runs on every engine.
 */
@ExtendWith({NoThreadsLeft.class, RxJavaErrors.class})
class SingleMaybeCompletableTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    /** Sleeps for {@code delay} of loop time, logging its cancellation and its finally, then returns {@code value}. */
    <T> Coroutine<T> sleepThen(Duration delay, T value) {
        return () -> {
            steps.add("sleeping");
            try {
                Async.sleep(delay);
                steps.add("woke");
                return value;
            } catch (CancellationException e) {
                steps.add("cancelled");
                throw e;
            } finally {
                steps.add("finally");
            }
        };
    }

    @Nested
    class SingleFromCoroutine {
        @AllEngines
        void emitsTheResultFromTheLoopOnceTheTaskReturns(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                AtomicReference<EventLoop> signalledOn = new AtomicReference<>();
                TestObserver<String> to = RxBridge.single(loop, sleepThen(Duration.ofSeconds(1), "done"))
                        .doOnSuccess(v -> signalledOn.set(EventLoop.running()))
                        .test();
                to.assertNoValues();
                assertThat(to.hasSubscription()).isTrue();
                assertThat(steps).isEmpty(); // nothing runs until the loop does

                loop.runUntilIdle();
                to.assertNoValues().assertNotComplete();
                assertThat(steps).containsExactly("sleeping");

                loop.advanceTime(Duration.ofSeconds(1));
                to.assertResult("done");
                assertThat(steps).containsExactly("sleeping", "woke", "finally");
                assertThat(signalledOn).hasValue(loop);
            }
        }

        @AllEngines
        void isColdEachSubscriptionRunsANewTask(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                AtomicInteger runs = new AtomicInteger();
                Single<Integer> single = RxBridge.single(loop, runs::incrementAndGet);
                loop.runUntilIdle();
                assertThat(runs).hasValue(0);

                TestObserver<Integer> first = single.test();
                TestObserver<Integer> second = single.test();
                loop.runUntilIdle();
                first.assertResult(1);
                second.assertResult(2);
            }
        }

        @AllEngines
        void aFailureIsOnErrorAsItIs(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Object> to = RxBridge.single(loop, () -> {
                            throw new IOException("disk on fire");
                        })
                        .test();
                loop.runUntilIdle();
                to.assertError(e -> e instanceof IOException && e.getMessage().equals("disk on fire"));
            }
        }

        @AllEngines
        void aNullResultFailsWithNullPointerExceptionNamingMaybe(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Object> to = RxBridge.single(loop, () -> null).test();
                loop.runUntilIdle();
                to.assertError(e -> e instanceof NullPointerException
                        && e.getMessage().contains("a Single needs a value (RxBridge.maybe allows none)"));
            }
        }

        @AllEngines
        void disposingCancelsTheTaskSilently(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestObserver<String> to =
                        RxBridge.single(loop, sleepThen(FOREVER, "never")).test();
                loop.runUntilIdle();
                assertThat(steps).containsExactly("sleeping");
                assertThat(to.isDisposed()).isFalse();

                to.dispose();
                assertThat(to.isDisposed()).isTrue();
                loop.runUntilIdle();
                assertThat(steps).containsExactly("sleeping", "cancelled", "finally");
                to.assertEmpty();
                assertThat(loopErrors).isEmpty();
                assertThat(loop.allTasks()).isEmpty();
            }
        }

        @AllEngines
        void disposingBeforeTheLoopRunsStartsNoTask(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                AtomicInteger runs = new AtomicInteger();
                RxBridge.single(loop, runs::incrementAndGet).test().dispose();
                loop.runUntilIdle();
                assertThat(runs).hasValue(0);
                assertThat(loop.allTasks()).isEmpty();
            }
        }

        @AllEngines
        void theDisposableIsDisposedAfterDisposeAndAfterTheResult(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Disposable> disposables = new ArrayList<>();
                List<String> got = new ArrayList<>();
                RxBridge.single(loop, () -> "v").subscribe(new SingleObserver<String>() {
                    @Override
                    public void onSubscribe(Disposable d) {
                        disposables.add(d);
                    }

                    @Override
                    public void onSuccess(String v) {
                        got.add(v);
                    }

                    @Override
                    public void onError(Throwable e) {
                        got.add("error " + e);
                    }
                });
                assertThat(disposables).hasSize(1); // onSubscribe comes on the subscribing thread
                assertThat(disposables.get(0).isDisposed()).isFalse();
                loop.runUntilIdle();
                assertThat(got).containsExactly("v");
                assertThat(disposables.get(0).isDisposed()).isTrue();
            }
        }

        @AllEngines
        void withoutALoopInsideACoroutineItRunsOnTheRunningLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                EventLoop mine = Async.loop();
                assertThat(RxBridge.await(RxBridge.single(EventLoop::running))).isSameAs(mine);
            });
        }

        @Test
        void withoutALoopOutsideACoroutineItRunsOnTheSharedLoop() {
            EventLoop ranOn = RxBridge.single(EventLoop::running)
                    .timeout(10, TimeUnit.SECONDS)
                    .blockingGet();
            assertThat(ranOn).isSameAs(SharedLoop.get());
        }

        @AllEngines
        void onAClosedLoopItFailsAtOnce(CoroutineEngine engine) {
            TestEventLoop loop = new TestEventLoop(engine);
            loop.close();
            RxBridge.single(loop, () -> 1)
                    .test()
                    .assertError(e ->
                            e instanceof IllegalStateException && e.getMessage().startsWith("Event loop is closed"));
        }

        @AllEngines
        void anObserverThatThrowsIsReportedNotLost(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                RxBridge.single(loop, () -> "v").subscribe(new SingleObserver<String>() {
                    @Override
                    public void onSubscribe(Disposable d) {}

                    @Override
                    public void onSuccess(String v) {
                        throw new RuntimeException("observer bug");
                    }

                    @Override
                    public void onError(Throwable e) {}
                });
                loop.runUntilIdle();
                assertThat(loopErrors).singleElement().satisfies(ctx -> {
                    assertThat((String) ctx.get("message")).contains("threw from onSuccess");
                    assertThat((Throwable) ctx.get("exception")).hasMessage("observer bug");
                });
                assertThat(RxJavaErrors.take())
                        .singleElement()
                        .isInstanceOf(UndeliverableException.class)
                        .extracting(Throwable::getCause)
                        .hasFieldOrPropertyWithValue("message", "observer bug");
            }
        }

        @Test
        void nullArgumentsAreNamed() {
            assertThatNullPointerException()
                    .isThrownBy(() -> RxBridge.single(null, () -> 1))
                    .withMessage("loop is null");
            assertThatNullPointerException()
                    .isThrownBy(() -> RxBridge.single(SharedLoop.get(), null))
                    .withMessage("coroutine is null");
        }
    }

    @Nested
    class FlatMapSingle {
        /** The issue's own example: 10 000 bridged singles, 256 at a time, on the shared loop. */
        @Test
        void tenThousandSinglesThroughFlatMapSingleOnTheSharedLoop() {
            List<Integer> items = Flowable.range(1, 10_000)
                    .flatMapSingle(
                            i -> RxBridge.single(() -> {
                                Async.sleep(Duration.ofMillis(i % 3));
                                return i;
                            }),
                            false,
                            256)
                    .toList()
                    .timeout(60, TimeUnit.SECONDS)
                    .blockingGet();
            assertThat(items)
                    .hasSize(10_000)
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.rangeClosed(1, 10_000).boxed().collect(Collectors.toList()));
            Single<Integer> liveTasks =
                    RxBridge.single(SharedLoop.get(), () -> Async.allTasks().size());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(liveTasks.blockingGet())
                            .as("live tasks on the shared loop besides the one counting them")
                            .isEqualTo(1));
        }

        @AllEngines
        void tenThousandSinglesThroughFlatMapSingleOnEachEngine(CoroutineEngine engine) throws Exception {
            try (LoopThread lt = new LoopThread(engine)) {
                Flowable.range(1, 10_000)
                        .flatMapSingle(
                                i -> RxBridge.single(lt.loop, () -> {
                                    Async.sleep(Duration.ofMillis(i % 2));
                                    return i;
                                }),
                                false,
                                256)
                        .reduce(0L, Long::sum)
                        .test()
                        .awaitDone(60, TimeUnit.SECONDS)
                        .assertResult(10_000L * 10_001 / 2);
                lt.awaitNoLiveTasks();
                assertThat(lt.loopErrors).isEmpty();
            }
        }
    }

    @Nested
    class MaybeFromCoroutine {
        @AllEngines
        void aValueIsOnSuccessAndNullCompletesEmpty(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<String> value = RxBridge.maybe(loop, sleepThen(Duration.ofSeconds(1), "v"))
                        .test();
                TestObserver<String> empty =
                        RxBridge.maybe(loop, () -> (String) null).test();
                loop.runUntilIdle();
                empty.assertResult();
                value.assertEmpty();
                loop.advanceTime(Duration.ofSeconds(1));
                value.assertResult("v");
            }
        }

        @AllEngines
        void aFailureIsOnError(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Object> to = RxBridge.maybe(loop, () -> {
                            throw new IllegalArgumentException("bad");
                        })
                        .test();
                loop.runUntilIdle();
                to.assertError(IllegalArgumentException.class)
                        .assertError(e -> e.getMessage().equals("bad"));
            }
        }

        @AllEngines
        void disposingCancelsTheTaskSilently(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestObserver<String> to =
                        RxBridge.maybe(loop, sleepThen(FOREVER, "never")).test();
                loop.runUntilIdle();
                to.dispose();
                loop.runUntilIdle();
                assertThat(steps).containsExactly("sleeping", "cancelled", "finally");
                to.assertEmpty();
                assertThat(to.isDisposed()).isTrue();
                assertThat(loopErrors).isEmpty();
            }
        }

        @AllEngines
        void withoutALoopInsideACoroutineItRunsOnTheRunningLoop(CoroutineEngine engine) {
            onEngine(
                    engine,
                    () -> assertThat(RxBridge.await(RxBridge.maybe(EventLoop::running)))
                            .isSameAs(Async.loop()));
        }
    }

    @Nested
    class CompletableFromCoroutine {
        @AllEngines
        void completesWhenTheTaskReturnsIgnoringItsResult(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Void> to = RxBridge.completable(loop, sleepThen(Duration.ofSeconds(2), "ignored"))
                        .test();
                loop.advanceTime(Duration.ofSeconds(1));
                to.assertNotComplete();
                loop.advanceTime(Duration.ofSeconds(1));
                to.assertResult();
                assertThat(steps).containsExactly("sleeping", "woke", "finally");
            }
        }

        @AllEngines
        void aFailureIsOnError(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                TestObserver<Void> to = RxBridge.completable(loop, () -> {
                            throw new IOException("nope");
                        })
                        .test();
                loop.runUntilIdle();
                to.assertError(IOException.class);
            }
        }

        @AllEngines
        void disposingCancelsTheTaskSilently(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                TestObserver<Void> to =
                        RxBridge.completable(loop, sleepThen(FOREVER, "never")).test();
                loop.runUntilIdle();
                to.dispose();
                loop.runUntilIdle();
                assertThat(steps).containsExactly("sleeping", "cancelled", "finally");
                to.assertEmpty();
                assertThat(loopErrors).isEmpty();
            }
        }

        @AllEngines
        void withoutALoopInsideACoroutineItRunsOnTheRunningLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicReference<EventLoop> ranOn = new AtomicReference<>();
                RxBridge.await(RxBridge.completable(() -> {
                    ranOn.set(EventLoop.running());
                    return null;
                }));
                assertThat(ranOn).hasValue(Async.loop());
            });
        }
    }

    @Nested
    class FromAwaitable {
        @AllEngines
        void toSingleEmitsTheTasksResultAndDisposingLeavesItRunning(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                Task<String> task = loop.createTask(sleepThen(Duration.ofSeconds(1), "shared"));
                TestObserver<String> disposed = RxBridge.toSingle(task).test();
                TestObserver<String> kept = RxBridge.toSingle(task).test();
                loop.runUntilIdle();
                disposed.dispose();
                loop.advanceTime(Duration.ofSeconds(1));
                assertThat(task.result()).isEqualTo("shared");
                kept.assertResult("shared");
                disposed.assertEmpty();
                assertThat(steps).containsExactly("sleeping", "woke", "finally");
            }
        }

        @AllEngines
        void toSingleOfADoneFutureSignalsOnTheNextLap(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                LoopFuture<Integer> f = loop.createFuture();
                f.setResult(42);
                TestObserver<Integer> to = RxBridge.toSingle(f).test();
                to.assertEmpty();
                loop.runUntilIdle();
                to.assertResult(42);
            }
        }

        @AllEngines
        void toSingleOfNullFailsAndToMaybeOfNullIsEmpty(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                LoopFuture<String> f = loop.createFuture();
                TestObserver<String> single = RxBridge.toSingle(f).test();
                TestObserver<String> maybe = RxBridge.toMaybe(f).test();
                loop.runUntilIdle();
                f.setResult(null);
                loop.runUntilIdle();
                single.assertError(NullPointerException.class);
                maybe.assertResult();
            }
        }

        @AllEngines
        void toMaybeEmitsAValue(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                LoopFuture<String> f = loop.createFuture();
                TestObserver<String> to = RxBridge.toMaybe(f).test();
                loop.runUntilIdle();
                f.setResult("x");
                loop.runUntilIdle();
                to.assertResult("x");
            }
        }

        @AllEngines
        void toCompletableCompletesOrFailsWithTheAwaitable(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                LoopFuture<String> ok = loop.createFuture();
                LoopFuture<String> failed = loop.createFuture();
                TestObserver<Void> okObserver = RxBridge.toCompletable(ok).test();
                TestObserver<Void> failedObserver =
                        RxBridge.toCompletable(failed).test();
                loop.runUntilIdle();
                ok.setResult("ignored");
                failed.setException(new IOException("lost"));
                loop.runUntilIdle();
                okObserver.assertResult();
                failedObserver.assertError(IOException.class);
            }
        }

        @AllEngines
        void aCancelledAwaitableIsACancellationError(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                LoopFuture<String> f = loop.createFuture();
                TestObserver<String> to = RxBridge.toSingle(f).test();
                loop.runUntilIdle();
                f.cancel();
                loop.runUntilIdle();
                to.assertError(e ->
                        e instanceof CancellationException && e.getMessage().contains("was cancelled"));
            }
        }

        @AllEngines
        void aFailureAfterDisposeStaysWithTheAwaitablesOwner(CoroutineEngine engine) {
            try (TestEventLoop loop = new TestEventLoop(engine)) {
                List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
                LoopFuture<String> f = loop.createFuture();
                TestObserver<String> to = RxBridge.toSingle(f).test();
                loop.runUntilIdle();
                to.dispose();
                loop.runUntilIdle();
                f.setException(new IOException("the owner's problem"));
                loop.runUntilIdle();
                to.assertEmpty();
                assertThat(loopErrors).isEmpty();
                assertThat(f.exception()).hasMessage("the owner's problem");
            }
        }
    }
}
