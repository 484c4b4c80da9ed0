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
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * {@link Reactive}: coroutine code as cold publishers ({@code publisher}, {@code fromCoroutine},
 * {@code fromAwaitable}) and publishers read from coroutine code (the {@code await*} functions,
 * {@code toList}, {@code toFuture}, {@code toAsyncGenerator}). The steps of the publisher's body and
 * the signals its subscriber sees go into one log, so each test asserts their exact interleaving.
 * Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class ReactiveTest {
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

    <T> RecordingSubscriber<T> subscriber(long initialRequest) {
        return new RecordingSubscriber<>(Async.loop(), steps, initialRequest);
    }

    /** Collects the contexts passed to the running loop's exception handler. */
    static List<Map<String, Object>> captureLoopErrors() {
        List<Map<String, Object>> contexts = new CopyOnWriteArrayList<>();
        Async.loop().setExceptionHandler((loop, ctx) -> contexts.add(ctx));
        return contexts;
    }

    static void assertOnlyTaskLeftIsMine() {
        assertThat(Async.allTasks()).containsExactly(Async.currentTask());
    }

    @Nested
    class PublisherFromGenerator {
        @AllEngines
        void isColdEachSubscriptionRunsTheBodyAgain(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger runs = new AtomicInteger();
                Publisher<String> p = Reactive.publisher(Async.loop(), y -> {
                    runs.incrementAndGet();
                    y.yield("a");
                    y.yield("b");
                });
                settle();
                assertThat(runs).hasValue(0);

                RecordingSubscriber<String> first = RecordingSubscriber.onRunningLoop(Long.MAX_VALUE);
                RecordingSubscriber<String> second = RecordingSubscriber.onRunningLoop(Long.MAX_VALUE);
                p.subscribe(first);
                p.subscribe(second);
                assertThat(first.awaitTerminal()).isNull();
                assertThat(second.awaitTerminal()).isNull();

                assertThat(runs).hasValue(2);
                assertThat(first.items).containsExactly("a", "b");
                assertThat(second.items).containsExactly("a", "b");
            });
        }

        @AllEngines
        void yieldReturnsAtOnceWhileThereIsDemandAndWaitsAtZero(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(0);
                Reactive.publisher(Async.loop(), counting(5)).subscribe(s);
                settle();
                assertThat(steps).containsExactly("onSubscribe", "yield 1");

                s.request(2);
                settle();
                assertThat(steps)
                        .containsExactly(
                                "onSubscribe",
                                "yield 1",
                                "onNext 1",
                                "yielded 1",
                                "yield 2",
                                "onNext 2",
                                "yielded 2",
                                "yield 3");

                s.request(1);
                settle();
                assertThat(steps).endsWith("yield 3", "onNext 3", "yielded 3", "yield 4");
                assertThat(s.items).containsExactly(1, 2, 3);
                assertThat(s.isTerminated()).isFalse();
            });
        }

        @AllEngines
        void neverProducesBeyondDemand(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger produced = new AtomicInteger();
                RecordingSubscriber<Integer> s = subscriber(0);
                Reactive.<Integer>publisher(Async.loop(), y -> {
                            while (true) {
                                y.yield(produced.incrementAndGet()); // the item exists before the yield
                            }
                        })
                        .subscribe(s);
                int requested = 0;
                for (int n : new int[] {1, 3, 5, 8}) {
                    s.request(n);
                    requested += n;
                    settle();
                    assertThat(s.items).hasSize(requested);
                    // the body holds exactly one item, the one it waits to hand over
                    assertThat(produced).hasValue(requested + 1);
                }
                s.cancel();
            });
        }

        @AllEngines
        void cancelClosesTheGeneratorParkedAtAYield(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(2);
                Reactive.publisher(Async.loop(), counting(100)).subscribe(s);
                settle();
                s.cancel();
                settle();
                assertThat(steps)
                        .containsExactly(
                                "onSubscribe",
                                "yield 1",
                                "onNext 1",
                                "yielded 1",
                                "yield 2",
                                "onNext 2",
                                "yielded 2",
                                "yield 3",
                                "finally");
                assertOnlyTaskLeftIsMine();
            });
        }

        @AllEngines
        void cancelCancelsABodyParkedInAnotherAwait(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(5);
                Reactive.<Integer>publisher(Async.loop(), y -> {
                            y.yield(1);
                            sleeper().call();
                        })
                        .subscribe(s);
                settle();
                assertThat(steps).containsExactly("onSubscribe", "onNext 1", "sleeping");

                s.cancel();
                settle();
                assertThat(steps).containsExactly("onSubscribe", "onNext 1", "sleeping", "cancelled", "finally");
                assertOnlyTaskLeftIsMine();
            });
        }

        @AllEngines
        void aCancelFromInsideOnNextLetsTheFinallyBlockAwait(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(Long.MAX_VALUE);
                s.onNextDoing(i -> {
                    if (i == 2) {
                        s.cancel();
                    }
                });
                Reactive.<Integer>publisher(Async.loop(), y -> {
                            try {
                                for (int i = 1; ; i++) {
                                    y.yield(i);
                                }
                            } finally {
                                steps.add("cleaning up");
                                Async.sleep(Duration.ofMillis(1)); // an async cleanup, as aclose() allows
                                steps.add("cleaned up");
                            }
                        })
                        .subscribe(s);
                settle();
                assertThat(steps).containsExactly("onSubscribe", "onNext 1", "onNext 2", "cleaning up", "cleaned up");
                assertOnlyTaskLeftIsMine();
            });
        }

        @AllEngines
        void aFailureOfTheBodyIsOnError(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IllegalStateException boom = new IllegalStateException("boom");
                RecordingSubscriber<Integer> s = subscriber(10);
                Reactive.<Integer>publisher(Async.loop(), y -> {
                            y.yield(1);
                            throw boom;
                        })
                        .subscribe(s);
                assertThat(s.awaitTerminal()).isSameAs(boom);
                assertThat(steps).containsExactly("onSubscribe", "onNext 1", "onError IllegalStateException");

                IOException checked = new IOException("disk on fire");
                RecordingSubscriber<Integer> c = RecordingSubscriber.onRunningLoop(1);
                Reactive.<Integer>publisher(Async.loop(), y -> {
                            throw checked;
                        })
                        .subscribe(c);
                assertThat(c.awaitTerminal())
                        .as("checked exceptions are not wrapped")
                        .isSameAs(checked);
            });
        }

        @AllEngines
        void returningIsOnComplete(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(Long.MAX_VALUE);
                Reactive.publisher(Async.loop(), counting(2)).subscribe(s);
                assertThat(s.awaitTerminal()).isNull();
                assertThat(steps)
                        .containsExactly(
                                "onSubscribe",
                                "yield 1",
                                "onNext 1",
                                "yielded 1",
                                "yield 2",
                                "onNext 2",
                                "yielded 2",
                                "return",
                                "finally",
                                "onComplete");

                RecordingSubscriber<Integer> empty = RecordingSubscriber.onRunningLoop(0);
                Reactive.<Integer>publisher(Async.loop(), y -> {}).subscribe(empty);
                assertThat(empty.awaitTerminal())
                        .as("completes without any request")
                        .isNull();
            });
        }

        @AllEngines
        void subscribeAndRequestFromAnotherThreadSignalsOnTheLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                EventLoop loop = Async.loop();
                Publisher<Integer> p = Reactive.publisher(loop, counting(5));
                RecordingSubscriber<Integer> s = new RecordingSubscriber<>(loop, steps);
                Thread foreign = new Thread(
                        () -> {
                            p.subscribe(s);
                            s.subscribed.join().request(2);
                            s.request(3);
                            s.request(1);
                        },
                        "foreign-subscriber");
                foreign.start();
                assertThat(s.awaitTerminal()).isNull();
                assertThat(s.items).containsExactly(1, 2, 3, 4, 5);
                assertThat(s.offLoop).isEmpty();
                eventually("the foreign thread ends", () -> !foreign.isAlive());
            });
        }

        @AllEngines
        void stepVerifierSeesTheItemsAsRequested(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Publisher<Integer> p = Reactive.publisher(Async.loop(), counting(3));
                Async.toThread(() -> StepVerifier.create(Flux.from(p))
                        .expectNext(1, 2, 3)
                        .expectComplete()
                        .verify(PATIENCE));
                Async.toThread(() -> StepVerifier.create(Flux.from(p), 0)
                        .thenRequest(1)
                        .expectNext(1)
                        .thenRequest(2)
                        .expectNext(2, 3)
                        .expectComplete()
                        .verify(PATIENCE));
            });
        }

        @AllEngines
        void stepVerifierThenCancelClosesTheGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Publisher<Integer> p = Reactive.publisher(Async.loop(), counting(100));
                Async.toThread(() -> StepVerifier.create(Flux.from(p), 2)
                        .expectNext(1, 2)
                        .thenCancel()
                        .verify(PATIENCE));
                eventually("the generator's finally runs", () -> steps.contains("finally"));
                // the cancel may come from inside onNext 2, so the body ends at its second or third yield
                assertThat(steps)
                        .startsWith("yield 1", "yielded 1", "yield 2")
                        .endsWith("finally")
                        .doesNotContain("return", "yield 4");
            });
        }
    }

    @Nested
    class PublisherBadInput {
        @AllEngines
        void aNullItemIsOnErrorNullPointerExceptionAndClosesTheGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(Long.MAX_VALUE);
                Reactive.<Integer>publisher(Async.loop(), y -> {
                            try {
                                y.yield(1);
                                y.yield(null);
                                steps.add("after null");
                                y.yield(3);
                            } finally {
                                steps.add("finally");
                            }
                        })
                        .subscribe(s);
                assertThat(s.awaitTerminal())
                        .isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("2.13");
                settle();
                assertThat(steps).containsExactly("onSubscribe", "onNext 1", "onError NullPointerException", "finally");
            });
        }

        @AllEngines
        void requestZeroIsOnErrorRule39AndClosesTheGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(0);
                Reactive.publisher(Async.loop(), counting(10)).subscribe(s);
                settle();
                s.request(0);
                assertThat(s.awaitTerminal())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("3.9");
                settle();
                assertThat(steps)
                        .containsExactly("onSubscribe", "yield 1", "onError IllegalArgumentException", "finally");
            });
        }

        @AllEngines
        void requestMinusOneWhileTheBodyAwaitsIsOnErrorRule39AndCancelsIt(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(1);
                Reactive.<Integer>publisher(Async.loop(), y -> {
                            y.yield(1);
                            sleeper().call();
                        })
                        .subscribe(s);
                settle();
                s.request(-1);
                assertThat(s.awaitTerminal())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("3.9")
                        .hasMessageContaining("-1");
                settle();
                assertThat(steps)
                        .containsExactly(
                                "onSubscribe",
                                "onNext 1",
                                "sleeping",
                                "onError IllegalArgumentException",
                                "cancelled",
                                "finally");
            });
        }

        @AllEngines
        void demandAddsUp(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<Integer> s = subscriber(0);
                Reactive.publisher(Async.loop(), counting(10)).subscribe(s);
                s.subscribed.join().request(2);
                s.request(3);
                settle();
                assertThat(s.items).containsExactly(1, 2, 3, 4, 5);
                assertThat(steps).endsWith("yield 6");
                s.request(1);
                s.request(1);
                settle();
                assertThat(s.items).containsExactly(1, 2, 3, 4, 5, 6, 7);
                s.cancel();
            });
        }

        @AllEngines
        void demandCapsAtLongMaxValue(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Publisher<Integer> thousand = Reactive.publisher(Async.loop(), y -> {
                    for (int i = 1; i <= 1000; i++) {
                        y.yield(i);
                    }
                });
                List<Integer> expected = IntStream.rangeClosed(1, 1000).boxed().collect(Collectors.toList());
                for (long[] requests : new long[][] {
                    {Long.MAX_VALUE, Long.MAX_VALUE}, {Long.MAX_VALUE - 1, Long.MAX_VALUE}, {1, Long.MAX_VALUE}
                }) {
                    RecordingSubscriber<Integer> s = RecordingSubscriber.onRunningLoop(0);
                    thousand.subscribe(s);
                    s.subscribed.join();
                    for (long n : requests) {
                        s.request(n);
                    }
                    assertThat(s.awaitTerminal())
                            .as("requests %s", Arrays.toString(requests))
                            .isNull();
                    assertThat(s.items).isEqualTo(expected);
                }
            });
        }

        @AllEngines
        void aSubscriberThrowingFromOnNextIsCancelledAndReported(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Map<String, Object>> errors = captureLoopErrors();
                IllegalStateException bug = new IllegalStateException("subscriber bug");
                RecordingSubscriber<Integer> s = this.<Integer>thrower(bug);
                Reactive.publisher(Async.loop(), counting(5)).subscribe(s);
                settle();
                assertThat(steps)
                        .containsExactly(
                                "onSubscribe", "yield 1", "onNext 1", "yielded 1", "yield 2", "onNext 2", "finally");
                assertThat(errors).singleElement().satisfies(ctx -> {
                    assertThat(ctx.get("exception")).isSameAs(bug);
                    assertThat((String) ctx.get("message")).contains("onNext");
                });
                s.request(10);
                settle();
                assertThat(steps).as("nothing after the cancel").endsWith("finally");
                assertOnlyTaskLeftIsMine();
            });
        }

        <T> RecordingSubscriber<T> thrower(RuntimeException bug) {
            return ReactiveTest.this.<T>subscriber(Long.MAX_VALUE).onNextDoing(item -> {
                if (item.equals(2)) {
                    throw bug;
                }
            });
        }
    }

    @Nested
    class FromCoroutine {
        @AllEngines
        void isColdAndRunsTheCoroutineOncePerSubscription(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger runs = new AtomicInteger();
                Publisher<Integer> p = Reactive.fromCoroutine(Async.loop(), runs::incrementAndGet);
                settle();
                assertThat(runs).hasValue(0);
                RecordingSubscriber<Integer> a = RecordingSubscriber.onRunningLoop(1);
                RecordingSubscriber<Integer> b = RecordingSubscriber.onRunningLoop(1);
                p.subscribe(a);
                assertThat(a.awaitTerminal()).isNull();
                p.subscribe(b);
                assertThat(b.awaitTerminal()).isNull();
                assertThat(a.items).containsExactly(1);
                assertThat(b.items).containsExactly(2);
            });
        }

        @AllEngines
        void emitsItsOneItemOnlyWhenRequested(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<String> s = subscriber(0);
                Reactive.fromCoroutine(Async.loop(), () -> "v").subscribe(s);
                settle();
                assertThat(steps).containsExactly("onSubscribe");
                s.request(1);
                settle();
                assertThat(steps).containsExactly("onSubscribe", "onNext v", "onComplete");
            });
        }

        @AllEngines
        void aNullResultCompletesEmpty(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<String> s = subscriber(0);
                Reactive.<String>fromCoroutine(Async.loop(), () -> null).subscribe(s);
                assertThat(s.awaitTerminal()).isNull();
                assertThat(steps).containsExactly("onSubscribe", "onComplete");
            });
        }

        @AllEngines
        void cancelCancelsTheTask(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<String> s = subscriber(1);
                Reactive.fromCoroutine(Async.loop(), sleeper()).subscribe(s);
                settle();
                s.cancel();
                settle();
                assertThat(steps).containsExactly("onSubscribe", "sleeping", "cancelled", "finally");
                assertOnlyTaskLeftIsMine();
            });
        }

        @AllEngines
        void aFailureIsOnError(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IllegalStateException boom = new IllegalStateException("boom");
                RecordingSubscriber<String> s = subscriber(1);
                Reactive.<String>fromCoroutine(Async.loop(), () -> {
                            Async.sleep(Duration.ofMillis(1));
                            throw boom;
                        })
                        .subscribe(s);
                assertThat(s.awaitTerminal()).isSameAs(boom);
                assertThat(steps).containsExactly("onSubscribe", "onError IllegalStateException");
            });
        }

        @AllEngines
        void aNonPositiveRequestIsOnErrorRule39(CoroutineEngine engine) {
            onEngine(engine, () -> {
                RecordingSubscriber<String> s = subscriber(0);
                Reactive.fromCoroutine(Async.loop(), sleeper()).subscribe(s);
                settle();
                s.request(0);
                assertThat(s.awaitTerminal())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("3.9");
                assertThat(s.items).isEmpty();
            });
        }

        @AllEngines
        void aSubscriberThrowingFromOnNextIsReported(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Map<String, Object>> errors = captureLoopErrors();
                IllegalStateException bug = new IllegalStateException("subscriber bug");
                RecordingSubscriber<Integer> s = ReactiveTest.this
                        .<Integer>subscriber(1)
                        .onNextDoing(i -> {
                            throw bug;
                        });
                Reactive.fromCoroutine(Async.loop(), () -> 2).subscribe(s);
                settle();
                assertThat(steps).containsExactly("onSubscribe", "onNext 2");
                assertThat(errors)
                        .singleElement()
                        .satisfies(ctx -> assertThat(ctx.get("exception")).isSameAs(bug));
            });
        }
    }

    @Nested
    class FromAwaitable {
        @AllEngines
        void emitsTheOutcomeOfTheFuture(CoroutineEngine engine) {
            onEngine(engine, () -> {
                LoopFuture<String> ok = Async.loop().createFuture();
                RecordingSubscriber<String> s = subscriber(1);
                Reactive.fromAwaitable(ok).subscribe(s);
                settle();
                assertThat(steps).containsExactly("onSubscribe");
                ok.setResult("x");
                assertThat(s.awaitTerminal()).isNull();
                assertThat(steps).containsExactly("onSubscribe", "onNext x", "onComplete");

                LoopFuture<String> failed = Async.loop().createFuture();
                IllegalStateException boom = new IllegalStateException("boom");
                failed.setException(boom);
                RecordingSubscriber<String> f = RecordingSubscriber.onRunningLoop(1);
                Reactive.fromAwaitable(failed).subscribe(f);
                assertThat(f.awaitTerminal()).isSameAs(boom);

                LoopFuture<String> cancelled = Async.loop().createFuture();
                cancelled.cancel();
                RecordingSubscriber<String> c = RecordingSubscriber.onRunningLoop(1);
                Reactive.fromAwaitable(cancelled).subscribe(c);
                assertThat(c.awaitTerminal()).isInstanceOf(CancellationException.class);
            });
        }

        @AllEngines
        void cancellingTheSubscriptionLeavesASharedFutureRunning(CoroutineEngine engine) {
            onEngine(engine, () -> {
                LoopFuture<String> shared = Async.loop().createFuture();
                Publisher<String> p = Reactive.fromAwaitable(shared);
                RecordingSubscriber<String> leaver = RecordingSubscriber.onRunningLoop(1);
                RecordingSubscriber<String> stayer = RecordingSubscriber.onRunningLoop(1);
                p.subscribe(leaver);
                p.subscribe(stayer);
                settle();
                leaver.cancel();
                settle();
                assertThat(shared.isCancelled()).isFalse();
                shared.setResult("x");
                assertThat(stayer.awaitTerminal()).isNull();
                assertThat(stayer.items).containsExactly("x");
                assertThat(leaver.items).isEmpty();
                assertThat(leaver.isTerminated()).isFalse();
            });
        }

        @AllEngines
        void withCancelOnUnsubscribeTheCancelReachesTheFuture(CoroutineEngine engine) {
            onEngine(engine, () -> {
                LoopFuture<String> owned = Async.loop().createFuture();
                RecordingSubscriber<String> s = RecordingSubscriber.onRunningLoop(1);
                Reactive.fromAwaitable(owned, true).subscribe(s);
                settle();
                s.cancel();
                settle();
                assertThat(owned.isCancelled()).isTrue();
                assertThat(s.isTerminated()).isFalse();
            });
        }
    }

    @Nested
    class Awaits {
        @AllEngines
        void awaitFirstAndItsFallbacks(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger cancels = new AtomicInteger();
                assertThat(Reactive.awaitFirst(Flux.range(1, 100).doOnCancel(cancels::incrementAndGet)))
                        .isEqualTo(1);
                assertThat(cancels).as("cancelled after the first item").hasValue(1);
                assertThatThrownBy(() -> Reactive.awaitFirst(Flux.empty())).isInstanceOf(NoSuchElementException.class);

                assertThat(Reactive.awaitFirstOrDefault(Flux.just(4, 5), 7)).isEqualTo(4);
                assertThat(Reactive.awaitFirstOrDefault(Flux.<Integer>empty(), 7))
                        .isEqualTo(7);
                assertThat(Reactive.awaitFirstOrNull(Flux.just(4))).isEqualTo(4);
                assertThat(Reactive.awaitFirstOrNull(Flux.<Integer>empty())).isNull();

                AtomicInteger fallbacks = new AtomicInteger();
                assertThat(Reactive.awaitFirstOrElse(Flux.just(4), () -> fallbacks.incrementAndGet() + 100))
                        .isEqualTo(4);
                assertThat(fallbacks).as("the fallback runs only when empty").hasValue(0);
                assertThat(Reactive.awaitFirstOrElse(Flux.<Integer>empty(), () -> fallbacks.incrementAndGet() + 100))
                        .isEqualTo(101);

                IllegalStateException boom = new IllegalStateException("boom");
                assertThat(catchThrowable(() -> Reactive.awaitFirst(Flux.error(boom))))
                        .isSameAs(boom);
                assertThat(catchThrowable(() -> Reactive.awaitFirstOrNull(Flux.error(boom))))
                        .isSameAs(boom);
            });
        }

        @AllEngines
        void awaitLast(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThat(Reactive.awaitLast(Flux.range(1, 1000))).isEqualTo(1000);
                assertThat(Reactive.awaitLast(Reactive.publisher(Async.loop(), counting(3))))
                        .isEqualTo(3);
                assertThatThrownBy(() -> Reactive.awaitLast(Flux.empty())).isInstanceOf(NoSuchElementException.class);
            });
        }

        @AllEngines
        void awaitSingleAndAwaitSingleOrNull(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThat(Reactive.awaitSingle(Flux.just(5))).isEqualTo(5);
                assertThatThrownBy(() -> Reactive.awaitSingle(Flux.empty())).isInstanceOf(NoSuchElementException.class);
                AtomicInteger cancels = new AtomicInteger();
                Flux<Integer> many = Flux.range(1, 10).doOnCancel(cancels::incrementAndGet);
                assertThatIllegalArgumentException()
                        .isThrownBy(() -> Reactive.awaitSingle(many))
                        .withMessageContaining("more than one");
                assertThat(cancels).hasValue(1);

                assertThat(Reactive.awaitSingleOrNull(Flux.just(5))).isEqualTo(5);
                assertThat(Reactive.awaitSingleOrNull(Flux.<Integer>empty())).isNull();
                assertThatIllegalArgumentException().isThrownBy(() -> Reactive.awaitSingleOrNull(many));
                assertThat(cancels).hasValue(2);
            });
        }

        @AllEngines
        void toListWithAndWithoutALimit(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Integer> thousand = IntStream.rangeClosed(1, 1000).boxed().collect(Collectors.toList());
                assertThat(Reactive.toList(Flux.range(1, 1000))).isEqualTo(thousand);
                assertThat(Reactive.toList(Flux.empty())).isEmpty();
                assertThat(Reactive.toList(Flux.range(1, 10), 10)).hasSize(10);

                AtomicInteger cancels = new AtomicInteger();
                assertThatThrownBy(() -> Reactive.toList(Flux.range(1, 1000).doOnCancel(cancels::incrementAndGet), 10))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("maxItems=10");
                assertThat(cancels).hasValue(1);
                assertThatIllegalArgumentException().isThrownBy(() -> Reactive.toList(Flux.just(1), -1));
            });
        }

        @AllEngines
        void toFuture(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThat(Async.await(Reactive.toFuture(Flux.just("one")))).isEqualTo("one");
                assertThat(Async.await(Reactive.toFuture(Flux.<String>empty()))).isNull();
                LoopFuture<Integer> two = Reactive.toFuture(Flux.just(1, 2));
                assertThat(catchThrowable(() -> Async.await(two))).isInstanceOf(IllegalArgumentException.class);
                assertThat(two.exception()).isInstanceOf(IllegalArgumentException.class);

                AtomicInteger cancels = new AtomicInteger();
                LoopFuture<Object> never = Reactive.toFuture(Flux.never().doOnCancel(cancels::incrementAndGet));
                settle();
                assertThat(cancels).hasValue(0);
                never.cancel();
                settle();
                assertThat(never.isCancelled()).isTrue();
                assertThat(cancels)
                        .as("cancelling the future cancels the subscription")
                        .hasValue(1);
            });
        }

        @Test
        void outsideACoroutineTheyExplainWhatToDo() {
            assertThatThrownBy(() -> Reactive.awaitFirst(Flux.just(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a coroutine");
        }
    }

    @Nested
    class RoundTrips {
        @AllEngines
        void generatorToPublisherToGeneratorKeepsItemsOrderAndCompletion(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Publisher<Integer> p = Reactive.publisher(Async.loop(), y -> {
                    for (int i = 1; i <= 50; i++) {
                        if (i % 7 == 0) {
                            Async.sleep(Duration.ofMillis(1));
                        }
                        y.yield(i);
                    }
                });
                AsyncGenerator<Integer, Void> back = Reactive.toAsyncGenerator(p, 4);
                List<Integer> seen = new ArrayList<>();
                for (int i : back) {
                    seen.add(i);
                }
                assertThat(seen).isEqualTo(IntStream.rangeClosed(1, 50).boxed().collect(Collectors.toList()));
                assertThat(back.isDone()).isTrue();
                assertThat(catchThrowable(() -> Async.await(back.anext()))).isInstanceOf(NoSuchElementException.class);
            });
        }

        @AllEngines
        void generatorToPublisherToGeneratorKeepsTheError(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IllegalStateException boom = new IllegalStateException("boom");
                AsyncGenerator<Integer, Void> back = Reactive.toAsyncGenerator(
                        Reactive.<Integer>publisher(Async.loop(), y -> {
                            y.yield(1);
                            y.yield(2);
                            throw boom;
                        }),
                        1);
                assertThat(Async.await(back.anext())).isEqualTo(1);
                assertThat(Async.await(back.anext())).isEqualTo(2);
                assertThat(catchThrowable(() -> Async.await(back.anext()))).isSameAs(boom);
            });
        }

        @AllEngines
        void closingTheOuterGeneratorRunsTheInnerFinally(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> back =
                        Reactive.toAsyncGenerator(Reactive.publisher(Async.loop(), counting(100)), 2);
                assertThat(Async.await(back.anext())).isEqualTo(1);
                Async.await(back.aclose());
                eventually("the inner generator's finally runs", () -> steps.contains("finally"));
                assertThat(steps).doesNotContain("return");
                assertOnlyTaskLeftIsMine();
            });
        }

        @AllEngines
        void futureToPublisherToFutureKeepsResultErrorAndCancellation(CoroutineEngine engine) {
            onEngine(engine, () -> {
                EventLoop loop = Async.loop();
                LoopFuture<String> ok = loop.createFuture();
                LoopFuture<String> okBack = Reactive.toFuture(Reactive.fromAwaitable(ok));
                ok.setResult("r");
                assertThat(Async.await(okBack)).isEqualTo("r");

                LoopFuture<String> failed = loop.createFuture();
                LoopFuture<String> failedBack = Reactive.toFuture(Reactive.fromAwaitable(failed));
                IllegalStateException boom = new IllegalStateException("boom");
                failed.setException(boom);
                assertThat(catchThrowable(() -> Async.await(failedBack))).isSameAs(boom);

                LoopFuture<String> cancelled = loop.createFuture();
                LoopFuture<String> cancelledBack = Reactive.toFuture(Reactive.fromAwaitable(cancelled));
                settle();
                cancelled.cancel();
                assertThat(catchThrowable(() -> Async.await(cancelledBack))).isInstanceOf(CancellationException.class);
                assertThat(cancelledBack.isCancelled()).isTrue();
            });
        }

        @AllEngines
        void cancellingTheOuterFutureCancelsTheInnerCoroutine(CoroutineEngine engine) {
            onEngine(engine, () -> {
                LoopFuture<String> back = Reactive.toFuture(Reactive.fromCoroutine(Async.loop(), sleeper()));
                settle();
                assertThat(steps).containsExactly("sleeping");
                back.cancel();
                settle();
                assertThat(back.isCancelled()).isTrue();
                assertThat(steps).containsExactly("sleeping", "cancelled", "finally");
                assertOnlyTaskLeftIsMine();
            });
        }
    }
}
