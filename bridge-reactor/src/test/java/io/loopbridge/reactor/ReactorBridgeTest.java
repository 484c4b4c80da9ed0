package io.loopbridge.reactor;

import static io.loopbridge.reactor.testing.BackgroundLoop.PATIENCE;
import static io.loopbridge.reactor.testing.BackgroundLoop.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.internal.SharedLoop;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactor.internal.ReactorSubscriberFactory;
import io.loopbridge.reactor.testing.AllEngines;
import io.loopbridge.reactor.testing.BackgroundLoop;
import io.loopbridge.reactor.testing.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * {@link ReactorBridge}: coroutines as cold {@code Mono}s and {@code Flux}es, and Reactor types read
 * from coroutines. Tests whose test thread blocks (StepVerifier) run the coroutines on a {@link
 * BackgroundLoop}; tests that read Reactor types from a coroutine run inside {@code Async.run}. The
 * steps of a coroutine go into {@link #steps}, so a test can assert their exact order. Every test
 * runs on each coroutine engine the JVM offers. {@code await(Mono)} has its own {@link
 * MonoAwaitTest}, the scheduler its {@link LoopSchedulerTest} and context propagation its {@link
 * ContextBridgeTest}.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class ReactorBridgeTest {
    /** Longer than any test may take: reaching it means a cancellation went missing. */
    static final Duration FOREVER = Duration.ofSeconds(30);

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

    /** Sleeps "forever", logging its cancellation and its finally. */
    Coroutine<String> sleeper() {
        return () -> {
            steps.add("sleeping");
            try {
                Async.sleep(FOREVER);
                return "woke";
            } catch (CancellationException e) {
                steps.add("cancelled");
                throw e;
            } finally {
                steps.add("finally");
            }
        };
    }

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

    void awaitSteps(String... expected) {
        eventually().untilAsserted(() -> assertThat(steps).containsExactly(expected));
    }

    @Nested
    class MonoFromCoroutine {
        @AllEngines
        void isColdEachSubscriptionRunsTheCoroutineAgain(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                AtomicInteger runs = new AtomicInteger();
                Mono<Integer> mono = ReactorBridge.mono(bg.loop(), runs::incrementAndGet);
                bg.call(() -> null);
                assertThat(runs).hasValue(0);

                StepVerifier.create(mono).expectNext(1).expectComplete().verify(PATIENCE);
                StepVerifier.create(mono).expectNext(2).expectComplete().verify(PATIENCE);
            }
        }

        @AllEngines
        void theCoroutineRunsOnTheLoopAndMayAwait(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                Mono<String> mono = ReactorBridge.mono(bg.loop(), () -> {
                    boolean before = bg.loop().inLoop();
                    Async.sleep(Duration.ofMillis(1));
                    return before + "/" + bg.loop().inLoop();
                });
                StepVerifier.create(mono)
                        .expectNext("true/true")
                        .expectComplete()
                        .verify(PATIENCE);
            }
        }

        @AllEngines
        void aNullResultCompletesEmpty(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                StepVerifier.create(ReactorBridge.mono(bg.loop(), () -> null))
                        .expectComplete()
                        .verify(PATIENCE);
            }
        }

        @AllEngines
        void cancellingCancelsTheTaskAndItsFinallyRuns(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                StepVerifier.create(ReactorBridge.mono(bg.loop(), sleeper()))
                        .expectSubscription()
                        .then(() -> awaitSteps("sleeping"))
                        .thenCancel()
                        .verify(PATIENCE);

                awaitSteps("sleeping", "cancelled", "finally");
                bg.awaitNoLiveTasks();
                assertThat(bg.reported).isEmpty();
            }
        }

        @AllEngines
        void aFailureIsSignalledAsItIs(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                IllegalStateException boom = new IllegalStateException("boom");
                StepVerifier.create(ReactorBridge.mono(bg.loop(), () -> {
                            Async.sleep(Duration.ofMillis(1));
                            throw boom;
                        }))
                        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                        .verify(PATIENCE);

                StepVerifier.create(ReactorBridge.mono(bg.loop(), () -> {
                            throw new IOException("checked");
                        }))
                        .expectErrorSatisfies(e ->
                                assertThat(e).isInstanceOf(IOException.class).hasMessage("checked"))
                        .verify(PATIENCE);

                bg.awaitNoLiveTasks();
                assertThat(bg.reported)
                        .as("a failure delivered to the subscriber is not reported")
                        .isEmpty();
            }
        }

        @Test
        void argumentsAreChecked() {
            EventLoop loop = new EventLoop();
            try {
                assertThatNullPointerException()
                        .isThrownBy(() -> ReactorBridge.mono(null, () -> 1))
                        .withMessage("loop");
                assertThatNullPointerException()
                        .isThrownBy(() -> ReactorBridge.mono(loop, null))
                        .withMessage("coroutine");
            } finally {
                loop.close();
            }
        }

        /** The scenario on each engine, smaller: on the threads engine each coroutine has a thread. */
        @AllEngines
        void coroutinesThroughFlatMapAllCompleteAndLeaveNoTask(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                List<Integer> items = Flux.range(1, 2_000)
                        .flatMap(
                                i -> ReactorBridge.mono(bg.loop(), () -> {
                                    Async.sleep(Duration.ofMillis(1));
                                    return i;
                                }),
                                256)
                        .collectList()
                        .block(PATIENCE);

                assertThat(items.stream().sorted().toList())
                        .isEqualTo(IntStream.rangeClosed(1, 2_000).boxed().toList());
                assertThat(bg.liveTasks()).isEmpty();
                assertThat(bg.reported).isEmpty();
            }
        }

        /** The issue's own scenario, as written there: 10 000 coroutines, 256 at a time, on the shared loop. */
        @Test
        void tenThousandCoroutinesThroughFlatMapOnTheSharedLoop() {
            List<Integer> items = Flux.range(1, 10_000)
                    .flatMap(
                            i -> ReactorBridge.mono(() -> {
                                Async.sleep(Duration.ofMillis(1));
                                return i;
                            }),
                            256)
                    .collectList()
                    .block(PATIENCE);

            assertThat(items.stream().sorted().toList())
                    .isEqualTo(IntStream.rangeClosed(1, 10_000).boxed().toList());
            EventLoop shared = SharedLoop.get();
            CompletableFuture<List<Task<?>>> left = new CompletableFuture<>();
            shared.callSoonThreadsafe(() -> left.complete(shared.allTasks()));
            assertThat(left.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                            .join())
                    .isEmpty();
        }
    }

    @Nested
    class FluxFromGenerator {
        @AllEngines
        void isColdEachSubscriptionRunsTheBodyAgain(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                AtomicInteger runs = new AtomicInteger();
                Flux<String> flux = ReactorBridge.flux(bg.loop(), y -> {
                    y.yield("run " + runs.incrementAndGet());
                    Async.sleep(Duration.ofMillis(1));
                    y.yield("on loop " + bg.loop().inLoop());
                });
                bg.call(() -> null);
                assertThat(runs).hasValue(0);

                StepVerifier.create(flux)
                        .expectNext("run 1", "on loop true")
                        .expectComplete()
                        .verify(PATIENCE);
                StepVerifier.create(flux)
                        .expectNext("run 2", "on loop true")
                        .expectComplete()
                        .verify(PATIENCE);
            }
        }

        @AllEngines
        void theGeneratorYieldsExactlyWhatWasRequestedAndCancelClosesIt(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                StepVerifier.create(ReactorBridge.flux(bg.loop(), counting(1_000)), 0)
                        .expectSubscription()
                        .then(() -> awaitSteps("yield 1"))
                        .thenRequest(3)
                        .expectNext(1, 2, 3)
                        .then(() -> {
                            awaitSteps(
                                    "yield 1", "yielded 1", "yield 2", "yielded 2", "yield 3", "yielded 3", "yield 4");
                            bg.call(() -> null); // two more laps: the generator stays parked at yield 4
                            bg.call(() -> null);
                            assertThat(steps).hasSize(7);
                        })
                        .thenRequest(2)
                        .expectNext(4, 5)
                        .then(() -> awaitSteps(
                                "yield 1",
                                "yielded 1",
                                "yield 2",
                                "yielded 2",
                                "yield 3",
                                "yielded 3",
                                "yield 4",
                                "yielded 4",
                                "yield 5",
                                "yielded 5",
                                "yield 6"))
                        .thenCancel()
                        .verify(PATIENCE);

                awaitSteps(
                        "yield 1",
                        "yielded 1",
                        "yield 2",
                        "yielded 2",
                        "yield 3",
                        "yielded 3",
                        "yield 4",
                        "yielded 4",
                        "yield 5",
                        "yielded 5",
                        "yield 6",
                        "finally");
                bg.awaitNoLiveTasks();
            }
        }

        @AllEngines
        void returningCompletesAndAFailureFollowsTheItems(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                StepVerifier.create(ReactorBridge.flux(bg.loop(), counting(3)))
                        .expectNext(1, 2, 3)
                        .expectComplete()
                        .verify(PATIENCE);
                assertThat(steps).endsWith("return", "finally");

                IllegalStateException boom = new IllegalStateException("boom");
                StepVerifier.create(ReactorBridge.<Integer>flux(bg.loop(), y -> {
                            y.yield(1);
                            Async.sleep(Duration.ofMillis(1));
                            throw boom;
                        }))
                        .expectNext(1)
                        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                        .verify(PATIENCE);
                assertThat(bg.reported).isEmpty();
            }
        }

        /** Reactor's take cancels from inside onNext: the generator closes, and its finally may still await. */
        @AllEngines
        void takeClosesTheGeneratorWhoseFinallyMayAwait(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                Flux<Integer> flux = ReactorBridge.flux(bg.loop(), y -> {
                    try {
                        for (int i = 1; ; i++) {
                            y.yield(i);
                        }
                    } finally {
                        steps.add("closing");
                        Async.sleep(Duration.ofMillis(1));
                        steps.add("closed");
                    }
                });
                StepVerifier.create(flux.take(2))
                        .expectNext(1, 2)
                        .expectComplete()
                        .verify(PATIENCE);

                awaitSteps("closing", "closed");
                bg.awaitNoLiveTasks();
                assertThat(bg.reported).isEmpty();
            }
        }

        @Test
        void argumentsAreChecked() {
            EventLoop loop = new EventLoop();
            try {
                assertThatNullPointerException()
                        .isThrownBy(() -> ReactorBridge.flux(null, y -> {}))
                        .withMessage("loop");
                assertThatNullPointerException()
                        .isThrownBy(() -> ReactorBridge.flux(loop, null))
                        .withMessage("body");
            } finally {
                loop.close();
            }
        }
    }

    @Nested
    class ToMono {
        @AllEngines
        void signalsTheOutcomeOfTheAwaitable(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                LoopFuture<String> later = bg.call(() -> bg.loop().createFuture());
                StepVerifier.create(ReactorBridge.toMono(later))
                        .expectSubscription()
                        .expectNoEvent(Duration.ofMillis(20))
                        .then(() -> bg.call(() -> {
                            later.setResult("done");
                            return null;
                        }))
                        .expectNext("done")
                        .expectComplete()
                        .verify(PATIENCE);

                Task<String> task = bg.call(() -> bg.loop().createTask(() -> {
                    Async.sleep(Duration.ofMillis(1));
                    return "task";
                }));
                StepVerifier.create(ReactorBridge.toMono(task))
                        .expectNext("task")
                        .expectComplete()
                        .verify(PATIENCE);
                StepVerifier.create(ReactorBridge.toMono(task))
                        .as("a done awaitable, again")
                        .expectNext("task")
                        .expectComplete()
                        .verify(PATIENCE);
            }
        }

        @AllEngines
        void nullIsEmptyAndFailuresAndCancellationAreErrors(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                LoopFuture<String> empty = bg.call(() -> {
                    LoopFuture<String> f = bg.loop().createFuture();
                    f.setResult(null);
                    return f;
                });
                StepVerifier.create(ReactorBridge.toMono(empty))
                        .expectComplete()
                        .verify(PATIENCE);

                IllegalStateException boom = new IllegalStateException("boom");
                LoopFuture<String> failed = bg.call(() -> {
                    LoopFuture<String> f = bg.loop().createFuture();
                    f.setException(boom);
                    return f;
                });
                StepVerifier.create(ReactorBridge.toMono(failed))
                        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                        .verify(PATIENCE);

                LoopFuture<String> cancelled = bg.call(() -> {
                    LoopFuture<String> f = bg.loop().createFuture();
                    f.cancel();
                    return f;
                });
                StepVerifier.create(ReactorBridge.toMono(cancelled))
                        .expectError(CancellationException.class)
                        .verify(PATIENCE);
            }
        }

        @AllEngines
        void cancellingTheSubscriptionLeavesTheAwaitableRunning(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                Task<String> task = bg.call(() -> bg.loop().createTask(sleeper()));
                StepVerifier.create(ReactorBridge.toMono(task))
                        .expectSubscription()
                        .then(() -> awaitSteps("sleeping"))
                        .thenCancel()
                        .verify(PATIENCE);

                bg.call(() -> null);
                assertThat(task.isDone()).isFalse();
                assertThat(steps).containsExactly("sleeping");
                bg.call(task::cancel);
                awaitSteps("sleeping", "cancelled", "finally");
            }
        }
    }

    @Nested
    class ToFlux {
        @AllEngines
        void aLoopClosedUnderItEndsTheFluxWithAnErrorAndReportsNothingElse(CoroutineEngine engine) {
            EventLoop loop = new EventLoop(engine);
            List<Object> reports = new ArrayList<>();
            loop.setExceptionHandler((l, ctx) -> reports.add(ctx.get("message") + ": " + ctx.get("exception")));
            AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                y.yield(1);
                Async.sleep(Duration.ofHours(1));
            });
            List<Object> got = new ArrayList<>();
            ReactorBridge.toFlux(loop, gen).subscribe(got::add, got::add);
            loop.runUntilComplete(loop.createTask(() -> {
                for (int i = 0; i < 5; i++) {
                    Async.sleep(Duration.ZERO);
                }
                return null;
            }));

            loop.close();

            assertThat(reports).isEmpty();
            assertThat(got).hasSize(2).first().isEqualTo(1);
            assertThat(got.get(1)).isInstanceOf(Throwable.class);
            assertThat(((Throwable) got.get(1))).hasMessageContaining("event loop closed");
        }

        @AllEngines
        void emitsTheItemsOfTheGeneratorWhichRunsOnce(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    for (int i = 1; i <= 3; i++) {
                        Async.sleep(Duration.ofMillis(1));
                        y.yield(i);
                    }
                });
                Flux<Integer> flux = ReactorBridge.toFlux(bg.loop(), gen);
                StepVerifier.create(flux).expectNext(1, 2, 3).expectComplete().verify(PATIENCE);
                assertThat(gen.isDone()).isTrue();
                StepVerifier.create(flux)
                        .as("a second subscription is refused, as by Reactor's one-shot sources (Flux.fromStream)")
                        .expectErrorSatisfies(e -> assertThat(e)
                                .isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("one subscriber"))
                        .verify(PATIENCE);
            }
        }

        /**
         * retry and repeat re-subscribe: a one-shot source must fail them rather than complete empty, which
         * would swallow the error retry was meant to handle; a second subscriber must not share the items.
         */
        @AllEngines
        void resubscribingFailsInsteadOfCompletingEmptyOrSharingTheItems(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                IllegalStateException boom = new IllegalStateException("boom");
                AsyncGenerator<String, Void> failing = AsyncGenerator.of(y -> {
                    y.yield("a");
                    throw boom;
                });
                StepVerifier.create(ReactorBridge.toFlux(bg.loop(), failing).retry(1))
                        .expectNext("a")
                        .expectErrorSatisfies(e -> assertThat(e)
                                .isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("one subscriber"))
                        .verify(PATIENCE);

                Flux<Integer> shared = ReactorBridge.toFlux(bg.loop(), AsyncGenerator.of(counting(4)));
                StepVerifier.create(shared, 1)
                        .expectNext(1)
                        .then(() -> StepVerifier.create(shared)
                                .as("a second subscriber while the first holds the generator")
                                .expectError(IllegalStateException.class)
                                .verify(PATIENCE))
                        .thenRequest(3)
                        .expectNext(2, 3, 4)
                        .expectComplete()
                        .verify(PATIENCE);
                bg.awaitNoLiveTasks();
            }
        }

        @AllEngines
        void takeClosesTheGenerator(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(counting(10));
                StepVerifier.create(ReactorBridge.toFlux(bg.loop(), gen).take(2))
                        .expectNext(1, 2)
                        .expectComplete()
                        .verify(PATIENCE);

                awaitSteps("yield 1", "yielded 1", "yield 2", "finally");
                assertThat(gen.isDone()).isTrue();
                bg.awaitNoLiveTasks();
                assertThat(bg.reported).isEmpty();
            }
        }

        @AllEngines
        void cancellingWhileTheGeneratorAwaitsClosesIt(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                AsyncGenerator<String, Void> gen = AsyncGenerator.of(y -> {
                    y.yield("first");
                    try {
                        steps.add("sleeping");
                        Async.sleep(FOREVER);
                        y.yield("never");
                    } finally {
                        steps.add("finally");
                    }
                });
                StepVerifier.create(ReactorBridge.toFlux(bg.loop(), gen))
                        .expectNext("first")
                        .then(() -> awaitSteps("sleeping"))
                        .thenCancel()
                        .verify(PATIENCE);

                awaitSteps("sleeping", "finally");
                bg.awaitNoLiveTasks();
                assertThat(bg.reported).isEmpty();
            }
        }

        @AllEngines
        void aFailureOfTheGeneratorIsAnError(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                IllegalStateException boom = new IllegalStateException("boom");
                AsyncGenerator<String, Void> gen = AsyncGenerator.of(y -> {
                    y.yield("a");
                    throw boom;
                });
                StepVerifier.create(ReactorBridge.toFlux(bg.loop(), gen))
                        .expectNext("a")
                        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                        .verify(PATIENCE);
            }
        }

        @Test
        void argumentsAreChecked() {
            assertThatNullPointerException()
                    .isThrownBy(() -> ReactorBridge.toFlux(null))
                    .withMessage("generator");
            assertThatNullPointerException()
                    .isThrownBy(() -> ReactorBridge.toMono(null))
                    .withMessage("awaitable");
        }
    }

    @Nested
    class MapAsync {
        @AllEngines
        void resultsComeInUpstreamOrderWhateverOrderTheyFinishIn(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                Flux<String> mapped = Flux.range(1, 8).transform(ReactorBridge.mapAsync(bg.loop(), 4, i -> {
                    Async.sleep(Duration.ofMillis(4L * (9 - i))); // later items finish first
                    steps.add("done " + i);
                    return "r" + i;
                }));
                StepVerifier.create(mapped)
                        .expectNext("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8")
                        .expectComplete()
                        .verify(PATIENCE);
                assertThat(steps)
                        .as("finished out of order")
                        .isNotEqualTo(IntStream.rangeClosed(1, 8)
                                .mapToObj(i -> "done " + i)
                                .toList());
            }
        }

        @AllEngines
        void atMostConcurrencyCoroutinesRunAtOnce(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                AtomicInteger running = new AtomicInteger();
                AtomicInteger most = new AtomicInteger();
                Flux<Integer> mapped = Flux.range(1, 30).transform(ReactorBridge.mapAsync(bg.loop(), 3, i -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Async.sleep(Duration.ofMillis(2));
                        return i * 10;
                    } finally {
                        running.decrementAndGet();
                    }
                }));
                StepVerifier.create(mapped).expectNextCount(30).expectComplete().verify(PATIENCE);
                assertThat(most).hasValue(3);
            }
        }

        @AllEngines
        void aFailureCancelsTheCoroutinesInFlight(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                IllegalStateException boom = new IllegalStateException("boom");
                Flux<Integer> mapped = Flux.range(1, 10).transform(ReactorBridge.mapAsync(bg.loop(), 4, i -> {
                    if (i == 2) {
                        Async.sleep(Duration.ofMillis(5));
                        throw boom;
                    }
                    Async.sleep(FOREVER);
                    return i;
                }));
                StepVerifier.create(mapped)
                        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                        .verify(PATIENCE);
                bg.awaitNoLiveTasks();
            }
        }

        @AllEngines
        void cancellingCancelsTheCoroutinesInFlight(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                Flux<String> mapped = Flux.range(1, 10)
                        .transform(ReactorBridge.mapAsync(
                                bg.loop(), 2, i -> sleeper().call()));
                StepVerifier.create(mapped)
                        .expectSubscription()
                        .then(() -> awaitSteps("sleeping", "sleeping"))
                        .thenCancel()
                        .verify(PATIENCE);

                awaitSteps("sleeping", "sleeping", "cancelled", "finally", "cancelled", "finally");
                bg.awaitNoLiveTasks();
            }
        }

        @Test
        void argumentsAreChecked() {
            EventLoop loop = new EventLoop();
            try {
                assertThatIllegalArgumentException()
                        .isThrownBy(() -> ReactorBridge.mapAsync(loop, 0, i -> i))
                        .withMessage("concurrency must be at least 1, got 0");
                assertThatNullPointerException()
                        .isThrownBy(() -> ReactorBridge.mapAsync(null, 1, i -> i))
                        .withMessage("loop");
                assertThatNullPointerException()
                        .isThrownBy(() -> ReactorBridge.mapAsync(loop, 1, null))
                        .withMessage("fn");
            } finally {
                loop.close();
            }
        }
    }

    @Nested
    class AwaitFlux {
        @AllEngines
        void awaitFirstTakesOneItemAndCancels(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Flux<Integer> flux = Flux.range(1, 100).doOnCancel(() -> steps.add("cancel"));
                assertThat(ReactorBridge.awaitFirst(flux)).isEqualTo(1);
                assertThat(steps).containsExactly("cancel");
                assertThatThrownBy(() -> ReactorBridge.awaitFirst(Flux.empty()))
                        .isInstanceOf(NoSuchElementException.class);
            });
        }

        @AllEngines
        void awaitFirstOrDefaultAndOrNull(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThat(ReactorBridge.awaitFirstOrDefault(Flux.just(1, 2), 7))
                        .isEqualTo(1);
                assertThat(ReactorBridge.awaitFirstOrDefault(Flux.<Integer>empty(), 7))
                        .isEqualTo(7);
                assertThat(ReactorBridge.awaitFirstOrNull(Flux.just("a"))).isEqualTo("a");
                assertThat(ReactorBridge.awaitFirstOrNull(Flux.<String>empty())).isNull();
            });
        }

        @AllEngines
        void awaitLastWaitsForCompletion(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThat(ReactorBridge.awaitLast(Flux.range(1, 1_000))).isEqualTo(1_000);
                assertThatThrownBy(() -> ReactorBridge.awaitLast(Flux.empty()))
                        .isInstanceOf(NoSuchElementException.class);
            });
        }

        @AllEngines
        void awaitSingleWantsExactlyOne(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThat(ReactorBridge.awaitSingle(Flux.just("only"))).isEqualTo("only");
                assertThatThrownBy(() -> ReactorBridge.awaitSingle(Flux.empty()))
                        .isInstanceOf(NoSuchElementException.class);
                Flux<Integer> two = Flux.range(1, 100).doOnCancel(() -> steps.add("cancel"));
                assertThatIllegalArgumentException().isThrownBy(() -> ReactorBridge.awaitSingle(two));
                assertThat(steps).containsExactly("cancel");

                assertThat(ReactorBridge.awaitSingleOrNull(Flux.just("only"))).isEqualTo("only");
                assertThat(ReactorBridge.awaitSingleOrNull(Flux.<String>empty()))
                        .isNull();
                assertThatIllegalArgumentException().isThrownBy(() -> ReactorBridge.awaitSingleOrNull(Flux.just(1, 2)));
            });
        }

        @AllEngines
        void itemsFromAnotherThreadAreReadOnTheLoopAndErrorsRethrown(CoroutineEngine engine) {
            onEngine(engine, () -> {
                EventLoop loop = Async.loop();
                Flux<String> elsewhere = Flux.range(1, 50)
                        .publishOn(Schedulers.parallel())
                        .map(i -> i + " on " + Thread.currentThread().getName());
                String last = ReactorBridge.awaitLast(elsewhere);
                assertThat(last).startsWith("50 on parallel-");
                assertThat(loop.inLoop()).isTrue();

                IllegalStateException boom = new IllegalStateException("boom");
                Flux<Integer> failing = Flux.concat(
                        Flux.just(1), Mono.delay(Duration.ofMillis(1)).then(Mono.error(boom)));
                assertThat(catchThrowable(() -> ReactorBridge.awaitLast(failing)))
                        .isSameAs(boom);
            });
        }

        @AllEngines
        void cancellingTheCoroutineCancelsTheSubscription(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Task<Integer> t = Async.createTask(
                        () -> ReactorBridge.awaitFirst(Flux.<Integer>never().doOnCancel(() -> steps.add("cancel"))));
                Async.sleep(Duration.ofMillis(1));
                t.cancel();
                assertThatThrownBy(() -> Async.await(t)).isInstanceOf(CancellationException.class);
                assertThat(steps).containsExactly("cancel");
            });
        }

        @Test
        void outsideACoroutineTheyThrow() {
            assertThatIllegalStateException().isThrownBy(() -> ReactorBridge.awaitFirst(Flux.just(1)));
            assertThatNullPointerException()
                    .isThrownBy(() -> ReactorBridge.awaitLast(null))
                    .withMessage("flux");
        }
    }

    @Nested
    class Iterate {
        @AllEngines
        void requestsPrefetchThenThreeQuartersOfItAtATime(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Long> requests = new ArrayList<>();
                List<Integer> items = new ArrayList<>();
                // hide(): not a synchronous source, which would be pulled without requests (below)
                try (var it = ReactorBridge.iterate(Flux.range(1, 1_000).hide().doOnRequest(requests::add), 8)) {
                    for (int i : it) {
                        items.add(i);
                        if (i == 20) {
                            break;
                        }
                    }
                }
                assertThat(items).isEqualTo(IntStream.rangeClosed(1, 20).boxed().toList());
                assertThat(requests).as("8, then 6 after each 6 consumed").containsExactly(8L, 6L, 6L, 6L);
            });
        }

        @AllEngines
        void closingEarlyCancelsAndUpstreamErrorsAreRethrown(CoroutineEngine engine) {
            onEngine(engine, () -> {
                try (var it = ReactorBridge.iterate(Flux.range(1, 1_000).doOnCancel(() -> steps.add("cancel")), 4)) {
                    for (int i : it) {
                        if (i == 3) {
                            break;
                        }
                    }
                }
                assertThat(steps).containsExactly("cancel");

                IllegalStateException boom = new IllegalStateException("boom");
                List<Integer> seen = new ArrayList<>();
                Throwable thrown = catchThrowable(() -> {
                    try (var it = ReactorBridge.iterate(
                            Flux.concat(Flux.just(1, 2), Flux.error(boom)).subscribeOn(Schedulers.parallel()), 4)) {
                        for (int i : it) {
                            seen.add(i);
                        }
                    }
                });
                assertThat(thrown).isSameAs(boom);
                assertThat(seen).containsExactly(1, 2);
            });
        }

        @AllEngines
        void aSynchronousSourceIsPulledAsItIsReadWithoutRequests(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Long> requests = new ArrayList<>();
                Flux<Integer> source = Flux.range(1, 1_000)
                        .doOnRequest(requests::add)
                        .doOnNext(i -> steps.add("produced " + i))
                        .doOnCancel(() -> steps.add("cancel"));
                try (var it = ReactorBridge.iterate(source, 8)) {
                    for (int i : it) {
                        steps.add("read " + i);
                        if (i == 3) {
                            break;
                        }
                    }
                }
                assertThat(requests).as("SYNC fusion: no request").isEmpty();
                assertThat(steps)
                        .containsExactly(
                                "produced 1", "read 1", "produced 2", "read 2", "produced 3", "read 3", "cancel");
                int last = ReactorBridge.awaitLast(Flux.range(1, 1_000).map(i -> i * 2));
                assertThat(last).isEqualTo(2_000);
            });
        }

        @AllEngines
        void rangeAndArraySourcesAreAskedWhetherTheyHaveMoreAndPolledByNext(CoroutineEngine engine) {
            onEngine(engine, () -> {
                try (var it = ReactorBridge.iterate(Flux.range(1, 3), 8)) {
                    List<Integer> all = new ArrayList<>();
                    it.forEachRemaining(all::add);
                    assertThat(all).containsExactly(1, 2, 3);
                    assertThat(it.hasNext()).isFalse();
                    assertThat(it.isDone()).isTrue();
                }
                try (var it = ReactorBridge.iterate(Flux.just("a", "b"), 8)) {
                    assertThat(it.next()).as("next() without hasNext()").isEqualTo("a");
                    assertThat(it.hasNext()).isTrue();
                    assertThat(it.hasNext()).as("asking again takes nothing").isTrue();
                    assertThat(it.next()).isEqualTo("b");
                    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
                }
                try (var it = ReactorBridge.iterate(Flux.just("a", "b", "c"), 8)) {
                    assertThat(it.next()).isEqualTo("a");
                } // closed with items left: cancelled, nothing else read
            });
        }

        @AllEngines
        void theForEachIteratorOfAFusedSourceSharesItsPlaceWithTheSubscriber(CoroutineEngine engine) {
            onEngine(engine, () -> {
                for (Flux<Integer> source :
                        List.of(Flux.range(1, 5), Flux.range(1, 5).map(i -> i))) {
                    try (var it = ReactorBridge.iterate(source, 8)) {
                        assertThat(it.next()).isEqualTo(1);
                        assertThat(it.hasNext()).isTrue();
                        List<Integer> rest = new ArrayList<>();
                        for (int i : it) {
                            rest.add(i);
                            if (i == 3) {
                                break;
                            }
                        }
                        assertThat(it.next()).as("the loop left off at 3").isEqualTo(4);
                        it.forEach(rest::add);
                        assertThat(rest).containsExactly(2, 3, 5);
                        assertThat(it.iterator().hasNext()).isFalse();
                        assertThat(it.isDone()).isTrue();
                    }
                }
            });
        }

        @AllEngines
        void closingTheSubscriberInsideForEachStopsThePullingAndCancels(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Flux<Integer> source = Flux.range(1, 1_000)
                        .doOnNext(i -> steps.add("produced " + i))
                        .doOnCancel(() -> steps.add("cancel"));
                try (var it = ReactorBridge.iterate(source, 8)) {
                    it.forEach(i -> {
                        steps.add("read " + i);
                        if (i == 2) {
                            it.close();
                        }
                    });
                    assertThat(it.hasNext()).isFalse();
                }
                assertThat(steps).containsExactly("produced 1", "read 1", "produced 2", "read 2", "cancel");
            });
        }

        @AllEngines
        void aFailureOfAFusedSourceIsRethrownByForEachAndCancelsIt(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IllegalStateException boom = new IllegalStateException("boom");
                Flux<Integer> failing = Flux.range(1, 10)
                        .doOnCancel(() -> steps.add("cancel"))
                        .map(i -> {
                            if (i == 3) {
                                throw boom;
                            }
                            return i;
                        });
                List<Integer> seen = new ArrayList<>();
                try (var it = ReactorBridge.iterate(failing, 4)) {
                    assertThat(catchThrowable(() -> it.forEach(seen::add))).isSameAs(boom);
                    assertThat(catchThrowable(() -> it.forEach(seen::add)))
                            .as("the error stays")
                            .isSameAs(boom);
                    assertThat(catchThrowable(it::next)).isSameAs(boom);
                }
                assertThat(seen).containsExactly(1, 2);
                assertThat(steps).containsExactly("cancel");
            });
        }

        @AllEngines
        void aFailureOfAFusedSourceIsRethrownWhereItIsReadAndCancelsIt(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IllegalStateException boom = new IllegalStateException("boom");
                Flux<Integer> failing = Flux.range(1, 10)
                        .doOnCancel(() -> steps.add("cancel"))
                        .map(i -> {
                            if (i == 3) {
                                throw boom;
                            }
                            return i;
                        });
                List<Integer> seen = new ArrayList<>();
                try (var it = ReactorBridge.iterate(failing, 4)) {
                    assertThat(catchThrowable(() -> {
                                for (int i : it) {
                                    seen.add(i);
                                }
                            }))
                            .isSameAs(boom);
                    assertThat(catchThrowable(it::hasNext))
                            .as("the error stays")
                            .isSameAs(boom);
                }
                assertThat(seen).containsExactly(1, 2);
                assertThat(steps).containsExactly("cancel");
            });
        }

        @AllEngines
        void subscribedOffTheLoopAFusedSourceMustAcceptAThreadBarrier(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Long> requests = new CopyOnWriteArrayList<>();
                // map refuses fusion across threads: its function must run where onNext would have
                Flux<Integer> mapped = Flux.range(1, 5).map(i -> i * 10).doOnRequest(requests::add);
                var items = new ReactorSubscriberFactory.CoreLoopSubscriber<Integer>(
                        Async.loop(), 8, reactor.util.context.Context.empty());
                Async.await(CompletableFuture.runAsync(() -> mapped.subscribe(items)));
                List<Integer> seen = new ArrayList<>();
                try (items) {
                    items.forEachRemaining(seen::add);
                }
                assertThat(seen).containsExactly(10, 20, 30, 40, 50);
                assertThat(requests).as("not fused: requested").containsExactly(8L);
            });
        }

        @AllEngines
        void aBadPrefetchIsRejected(CoroutineEngine engine) {
            onEngine(
                    engine,
                    () -> assertThatIllegalArgumentException()
                            .isThrownBy(() -> ReactorBridge.iterate(Flux.just(1), 0))
                            .withMessage("prefetch must be at least 1, got 0"));
        }
    }

    @Nested
    class WithoutALoop {
        @AllEngines
        void insideACoroutineTheyUseTheRunningLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                EventLoop loop = Async.loop();
                EventLoop viaMono = ReactorBridge.await(ReactorBridge.mono(EventLoop::running));
                EventLoop viaFlux =
                        ReactorBridge.awaitSingle(ReactorBridge.<EventLoop>flux(y -> y.yield(EventLoop.running())));
                EventLoop viaToFlux = ReactorBridge.awaitSingle(
                        ReactorBridge.toFlux(AsyncGenerator.<EventLoop, Void>of(y -> y.yield(EventLoop.running()))));
                EventLoop viaMapAsync = ReactorBridge.awaitSingle(Flux.just(1)
                        .transform(ReactorBridge.<Integer, EventLoop>mapAsync(2, i -> EventLoop.running())));
                assertThat(List.of(viaMono, viaFlux, viaToFlux, viaMapAsync)).containsOnly(loop);
            });
        }

        @Test
        void outsideTheyUseTheSharedDaemonLoop() {
            EventLoop used = ReactorBridge.mono(EventLoop::running).block(PATIENCE);
            assertThat(used).isNotNull().isSameAs(SharedLoop.get());
            EventLoop viaFlux = ReactorBridge.<EventLoop>flux(y -> y.yield(EventLoop.running()))
                    .blockLast(PATIENCE);
            EventLoop viaToFlux = ReactorBridge.toFlux(
                            AsyncGenerator.<EventLoop, Void>of(y -> y.yield(EventLoop.running())))
                    .blockLast(PATIENCE);
            EventLoop viaMapAsync = Flux.just(1)
                    .transform(ReactorBridge.<Integer, EventLoop>mapAsync(2, i -> EventLoop.running()))
                    .blockLast(PATIENCE);
            assertThat(List.of(viaFlux, viaToFlux, viaMapAsync)).containsOnly(used);

            assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(t -> t.getName().equals("loopbridge-shared"))
                    .singleElement()
                    .satisfies(t -> assertThat(t.isDaemon()).isTrue());
        }
    }

    /** Reactor's own error handling on a bridged Mono cancels the coroutine's task cleanly. */
    @Nested
    class ReactorErrorHandling {
        @AllEngines
        void timeoutCancelsTheTask(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                StepVerifier.withVirtualTime(
                                () -> ReactorBridge.mono(bg.loop(), sleeper()).timeout(Duration.ofHours(1)))
                        .expectSubscription()
                        .then(() -> awaitSteps("sleeping"))
                        .thenAwait(Duration.ofHours(1))
                        .expectError(TimeoutException.class)
                        .verify(PATIENCE);

                awaitSteps("sleeping", "cancelled", "finally");
                bg.awaitNoLiveTasks();
                assertThat(bg.reported).isEmpty();
            }
        }

        /**
         * Reactor's virtual time times what surrounds a bridged Flux; the generator still runs on the
         * loop. Items come from the loop thread, so the test waits for each to reach {@code
         * delayElements} before it moves virtual time.
         */
        @AllEngines
        void aBridgedFluxUnderReactorsVirtualTime(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                List<String> arrived = new CopyOnWriteArrayList<>();
                StepVerifier.withVirtualTime(() -> ReactorBridge.flux(bg.loop(), counting(3))
                                .map(i -> i + (bg.loop().inLoop() ? " from the loop" : " elsewhere"))
                                .doOnNext(arrived::add)
                                .delayElements(Duration.ofMinutes(1)))
                        .expectSubscription()
                        .then(() -> eventually().until(() -> arrived.size() == 1))
                        .expectNoEvent(Duration.ofSeconds(59))
                        .thenAwait(Duration.ofSeconds(1))
                        .expectNext("1 from the loop")
                        .then(() -> eventually().until(() -> arrived.size() == 2))
                        .thenAwait(Duration.ofMinutes(1))
                        .expectNext("2 from the loop")
                        .then(() -> eventually().until(() -> arrived.size() == 3))
                        .thenAwait(Duration.ofMinutes(1))
                        .expectNext("3 from the loop")
                        .expectComplete()
                        .verify(PATIENCE);
                awaitSteps("yield 1", "yielded 1", "yield 2", "yielded 2", "yield 3", "yielded 3", "return", "finally");
                bg.awaitNoLiveTasks();
            }
        }

        @AllEngines
        void retryRunsTheCoroutineAgain(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                AtomicInteger attempts = new AtomicInteger();
                Mono<String> flaky = ReactorBridge.mono(bg.loop(), () -> {
                    Async.sleep(Duration.ofMillis(1));
                    if (attempts.incrementAndGet() < 3) {
                        throw new IOException("attempt " + attempts.get());
                    }
                    return "attempt " + attempts.get();
                });
                StepVerifier.create(flaky.retry(2))
                        .expectNext("attempt 3")
                        .expectComplete()
                        .verify(PATIENCE);

                AtomicInteger failures = new AtomicInteger();
                Mono<String> failing = ReactorBridge.mono(bg.loop(), () -> {
                    throw new IOException("failure " + failures.incrementAndGet());
                });
                StepVerifier.create(failing.retry(1))
                        .expectErrorMessage("failure 2")
                        .verify(PATIENCE);

                bg.awaitNoLiveTasks();
                assertThat(bg.reported).isEmpty();
            }
        }

        @AllEngines
        void onErrorResumeAndAFailingSiblingLeaveNoTask(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                Mono<String> failing = ReactorBridge.mono(bg.loop(), () -> {
                    Async.sleep(Duration.ofMillis(1));
                    throw new IllegalStateException("boom");
                });
                StepVerifier.create(failing.onErrorResume(e -> Mono.just("fallback after " + e.getMessage())))
                        .expectNext("fallback after boom")
                        .expectComplete()
                        .verify(PATIENCE);

                StepVerifier.create(Mono.zip(
                                ReactorBridge.mono(bg.loop(), sleeper()),
                                Mono.delay(Duration.ofMillis(20)).then(Mono.error(new IOException("sibling")))))
                        .expectErrorMessage("sibling")
                        .verify(PATIENCE);

                bg.awaitNoLiveTasks();
                assertThat(steps).containsExactly("sleeping", "cancelled", "finally");
                assertThat(bg.reported).isEmpty();
            }
        }
    }

    /** What fails once the subscriber has left is Reactor's dropped error, not the loop's to report. */
    @Nested
    class DroppedErrors {
        final List<Throwable> dropped = new java.util.concurrent.CopyOnWriteArrayList<>();

        @AllEngines
        void aMonoCoroutineFailingAfterTheCancelGoesToOnErrorDropped(CoroutineEngine engine) {
            Hooks.onErrorDropped(dropped::add);
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                IllegalStateException late = new IllegalStateException("cleanup failed");
                Mono<String> mono = ReactorBridge.mono(bg.loop(), () -> {
                    try {
                        return sleeper().call();
                    } catch (CancellationException e) {
                        throw late;
                    }
                });
                StepVerifier.create(mono)
                        .expectSubscription()
                        .then(() -> awaitSteps("sleeping"))
                        .thenCancel()
                        .verify(PATIENCE);

                eventually().untilAsserted(() -> assertThat(dropped).containsExactly(late));
                bg.awaitNoLiveTasks();
                assertThat(bg.reported).isEmpty();
            } finally {
                Hooks.resetOnErrorDropped();
            }
        }

        @AllEngines
        void aFluxGeneratorFailingAfterTheCancelGoesToOnErrorDropped(CoroutineEngine engine) {
            Hooks.onErrorDropped(dropped::add);
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                IOException late = new IOException("close failed");
                Flux<Integer> flux = ReactorBridge.flux(bg.loop(), y -> {
                    try {
                        for (int i = 1; ; i++) {
                            y.yield(i);
                        }
                    } finally {
                        throw late;
                    }
                });
                StepVerifier.create(flux.take(2))
                        .expectNext(1, 2)
                        .expectComplete()
                        .verify(PATIENCE);

                eventually().untilAsserted(() -> assertThat(dropped).containsExactly(late));
                bg.awaitNoLiveTasks();
                assertThat(bg.reported).isEmpty();
            } finally {
                Hooks.resetOnErrorDropped();
            }
        }

        /**
         * The cancel comes from another thread while the loop is busy, and the coroutine fails after the
         * cancel was asked but before it reached the loop: nobody can receive the failure any more.
         */
        @AllEngines
        void aMonoFailingWhileItsCancelIsOnTheWayGoesToOnErrorDroppedOnce(CoroutineEngine engine) {
            assertAFailureWhileTheCancelIsOnTheWayIsDroppedOnce(engine, ReactorBridge::mono);
        }

        @AllEngines
        void aFluxGeneratorFailingWhileItsCancelIsOnTheWayGoesToOnErrorDroppedOnce(CoroutineEngine engine) {
            assertAFailureWhileTheCancelIsOnTheWayIsDroppedOnce(
                    engine,
                    (loop, body) -> ReactorBridge.<Integer>flux(loop, y -> {
                        y.yield(1);
                        body.call();
                    }));
        }

        /** {@code bridge} makes a publisher of {@code body} on the loop: a mono, or a flux around it. */
        private void assertAFailureWhileTheCancelIsOnTheWayIsDroppedOnce(
                CoroutineEngine engine,
                java.util.function.BiFunction<EventLoop, Coroutine<Void>, org.reactivestreams.Publisher<?>> bridge) {
            Hooks.onErrorDropped(dropped::add);
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                IllegalStateException late = new IllegalStateException("failed as the cancel came");
                LoopFuture<Void> gate = bg.call(() -> bg.loop().<Void>createFuture());
                List<Throwable> signalled = new CopyOnWriteArrayList<>();
                Disposable subscription = Flux.from(bridge.apply(bg.loop(), () -> {
                            steps.add("waiting");
                            Async.await(gate);
                            throw late;
                        }))
                        .subscribe(v -> {}, signalled::add);
                awaitSteps("waiting");
                bg.call(() -> {
                    cancelFromAnotherThread(subscription); // its hop is queued behind this callback
                    gate.setResult(null); // the coroutine fails on this lap, before the cancel arrives
                    return null;
                });
                assertDroppedOnce(bg, late);
                assertThat(signalled).isEmpty();
            } finally {
                Hooks.resetOnErrorDropped();
            }
        }

        @AllEngines
        void aFluxGeneratorFailingInItsCancellationGoesToOnErrorDroppedOnce(CoroutineEngine engine) {
            Hooks.onErrorDropped(dropped::add);
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                IllegalStateException late = new IllegalStateException("cleanup failed");
                Flux<Integer> flux = ReactorBridge.flux(bg.loop(), y -> {
                    y.yield(1);
                    try {
                        sleeper().call();
                    } catch (CancellationException e) {
                        throw late;
                    }
                });
                StepVerifier.create(flux)
                        .expectNext(1)
                        .then(() -> awaitSteps("sleeping"))
                        .thenCancel()
                        .verify(PATIENCE);
                assertDroppedOnce(bg, late);
            } finally {
                Hooks.resetOnErrorDropped();
            }
        }

        /** Disposes {@code subscription} on another thread, spinning (not blocking) the loop's until it is done. */
        void cancelFromAnotherThread(Disposable subscription) {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            new Thread(() -> {
                        subscription.dispose();
                        done.set(true);
                    })
                    .start();
            while (!done.get()) {
                // spins, calling nothing BlockHound counts as blocking
            }
        }

        /** {@code late} went to Hooks.onErrorDropped, once: not twice, not to the loop's handler, even later. */
        void assertDroppedOnce(BackgroundLoop bg, Throwable late) {
            eventually().untilAsserted(() -> assertThat(dropped).containsExactly(late));
            bg.awaitNoLiveTasks();
            bg.call(() -> null); // a lap for any callback the tasks' ends scheduled
            assertThat(dropped).containsExactly(late);
            assertThat(bg.reported).as("the loop's exception handler").isEmpty();
        }

        @AllEngines
        void aFailureBeforeAnyCancelIsSignalledNotDropped(CoroutineEngine engine) {
            Hooks.onErrorDropped(dropped::add);
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                StepVerifier.create(ReactorBridge.mono(bg.loop(), () -> {
                            throw new IOException("early");
                        }))
                        .expectErrorMessage("early")
                        .verify(PATIENCE);
                assertThat(dropped).isEmpty();
            } finally {
                Hooks.resetOnErrorDropped();
            }
        }
    }

    /** Reactor refuses to block a thread it knows must not block: a loop in debug mode. */
    @Nested
    class Blocking {
        @AllEngines
        void blockOnADebugLoopThrows(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThat(ReactorBridge.await(Mono.just(1))).isEqualTo(1); // the bridge is in use
                Async.loop().setDebug(true);
                assertThatIllegalStateException()
                        .isThrownBy(() -> Mono.delay(Duration.ofMillis(1)).block())
                        .withMessageContaining("block()/blockFirst()/blockLast() are blocking");
                assertThatIllegalStateException().isThrownBy(() -> Flux.just(1).blockLast());
            });
        }

        @AllEngines
        void blockInALoopCallbackOfADebugLoopThrowsToo(CoroutineEngine engine) {
            try (BackgroundLoop bg = new BackgroundLoop(engine)) {
                ReactorBridge.scheduler(bg.loop()); // the bridge is in use
                Throwable thrown = bg.call(() -> {
                    bg.loop().setDebug(true);
                    // not Mono.just(1) or Mono.fromCallable: their block() returns without waiting
                    return catchThrowable(() -> Mono.delay(Duration.ofMillis(1)).block());
                });
                assertThat(thrown).isInstanceOf(IllegalStateException.class);
            }
        }

        /**
         * A bridged Mono or Flux of this loop, subscribed on its thread, needs that thread to run: block()
         * there would wait forever, so Reactor's block() fails at once, debug mode or not.
         */
        @AllEngines
        @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the guard it hangs
        void blockingOnABridgedSourceOfTheSameLoopFailsInsteadOfDeadlocking(CoroutineEngine engine) {
            onEngine(engine, () -> {
                EventLoop loop = Async.loop();
                assertThat(loop.isDebug()).isFalse();
                LoopFuture<String> ready = loop.createFuture();
                ready.setResult("ready");
                assertThat(ReactorBridge.toMono(ready).block())
                        .as("an outcome already there needs no wait")
                        .isEqualTo("ready");

                assertThatIllegalStateException()
                        .isThrownBy(() -> ReactorBridge.mono(() -> "never").block())
                        .withMessageContaining("block()/blockFirst()/blockLast() are blocking");
                assertThatIllegalStateException()
                        .isThrownBy(() -> ReactorBridge.flux(loop, counting(3)).blockFirst());
                LoopFuture<String> pending = loop.createFuture();
                assertThatIllegalStateException()
                        .isThrownBy(() -> ReactorBridge.toMono(pending).block());
                assertThatIllegalStateException()
                        .isThrownBy(() -> Flux.just(1)
                                .transform(ReactorBridge.mapAsync(loop, 1, i -> i))
                                .blockLast());

                assertThat(ReactorBridge.await(ReactorBridge.mono(() -> "awaited")))
                        .as("await is the way to wait")
                        .isEqualTo("awaited");
                pending.setResult("set");
                String after = null;
                for (int i = 0; i < 1000 && after == null; i++) {
                    Async.sleep(Duration.ofMillis(1)); // the refused subscriptions stay subscribed: let them end
                    try {
                        after = ReactorBridge.toMono(ready).block();
                    } catch (IllegalStateException stillRunning) {
                        // a refused source has not ended yet
                    }
                }
                assertThat(after)
                        .as("once the bridged sources are over, block() is no longer refused")
                        .isEqualTo("ready");
            });
        }

        /**
         * The guard's count is the loop's own counter, not an entry in a map every thread locks: a
         * bridged subscription made on the loop's thread adds to it until it ends, whatever thread
         * ends it, and another loop's count does not move.
         */
        @AllEngines
        void theLoopOwnsTheCountOfItsPendingBridgedSubscriptions(CoroutineEngine engine) {
            try (BackgroundLoop other = new BackgroundLoop(engine)) {
                onEngine(engine, () -> {
                    EventLoop loop = Async.loop();
                    AtomicInteger pending = LoopAccess.get().pendingOnOwnThread(loop);
                    AtomicInteger elsewhere = LoopAccess.get().pendingOnOwnThread(other.loop());
                    LoopFuture<String> gate = loop.createFuture();
                    Disposable toMono = ReactorBridge.toMono(gate).subscribe();
                    Disposable flux = ReactorBridge.<Integer>flux(loop, y -> Async.sleep(Duration.ofDays(1)))
                            .subscribe();
                    assertThat(pending)
                            .as("both subscribed on the loop's thread")
                            .hasValue(2);
                    gate.setResult("open");
                    Async.sleep(Duration.ZERO);
                    assertThat(toMono.isDisposed()).isTrue();
                    Async.await(loop.runInExecutor(ReactorBridge.boundedElastic(), () -> {
                        flux.dispose(); // ended from another thread
                        return null;
                    }));
                    assertThat(pending).hasValue(0);
                    assertThat(elsewhere).hasValue(0);
                });
            }
        }

        @AllEngines
        void outsideDebugModeBlockIsNotPrevented(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThat(ReactorBridge.await(Mono.just(1))).isEqualTo(1);
                assertThat(Async.loop().isDebug()).isFalse();
                assertThat(Mono.delay(Duration.ofMillis(1)).block()).isZero();
            });
            assertThat(Mono.just(3).delayElement(Duration.ofMillis(1)).block())
                    .as("a plain thread may block")
                    .isEqualTo(3);
        }
    }
}
