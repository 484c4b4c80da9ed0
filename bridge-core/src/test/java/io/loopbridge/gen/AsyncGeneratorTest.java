package io.loopbridge.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncGenerator}: the shapes of {@link GeneratorTest} with awaits between the yields, as
 * Python's {@code async def ... yield}: {@code async for}, {@code anext}, {@code asend}, {@code
 * athrow}, {@code aclose}, cancellation, and {@code asyncio.run} finalizing what is left open.
 * Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class AsyncGeneratorTest {
    /** A short real sleep between yields. */
    static final Duration TICK = Duration.ofMillis(2);
    /** Longer than any test may take: reaching it means a cancellation went missing. */
    static final Duration FOREVER = Duration.ofSeconds(30);

    final List<String> events = new CopyOnWriteArrayList<>();

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} as the main coroutine of a loop on {@code engine}. */
    static void onEngine(CoroutineEngine engine, Body body) {
        Async.run(engine, () -> {
            body.run();
            return null;
        });
    }

    /** Counts down from {@code from}, sleeping before each value. */
    AsyncGenerator<Integer, Void> countdown(int from) {
        return AsyncGenerator.of(y -> {
            events.add("countdown starts");
            for (int n = from; n > 0; n--) {
                Async.sleep(TICK);
                y.yield(n);
            }
            events.add("countdown ends");
        });
    }

    /** A running average that takes a moment to compute each answer. */
    static AsyncGenerator<Double, Double> averager() {
        return AsyncGenerator.of(y -> {
            double total = 0;
            int count = 0;
            Double average = null;
            while (true) {
                double term = y.yield(average);
                Async.sleep(TICK);
                total += term;
                count++;
                average = total / count;
            }
        });
    }

    @Nested
    class Iteration {

        @AllEngines
        void aForLoopInsideACoroutineAwaitsEachValue(CoroutineEngine engine) {
            onEngine(engine, () -> {
                // async for n in countdown(3): print(n)
                AsyncGenerator<Integer, Void> countdown = countdown(3);
                events.add("created");
                for (int n : countdown) {
                    events.add("got " + n);
                }
                assertThat(countdown.isDone()).isTrue();
            });

            assertThat(events)
                    .containsExactly("created", "countdown starts", "got 3", "got 2", "got 1", "countdown ends");
        }

        @AllEngines
        void anextReturnsAFutureOfTheNextValue(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> countdown = countdown(2);
                LoopFuture<Integer> first = countdown.anext();
                assertThat(first.isDone()).isFalse(); // the body sleeps before yielding
                assertThat(Async.await(first)).isEqualTo(2);
                assertThat(Async.await(countdown.anext())).isEqualTo(1);
                LoopFuture<Integer> end = countdown.anext();
                assertThatThrownBy(() -> Async.await(end))
                        .isInstanceOf(NoSuchElementException.class)
                        .hasMessageContaining("exhausted");
                assertThat(countdown.isDone()).isTrue();
                // exhausted stays exhausted
                assertThatThrownBy(() -> Async.await(countdown.anext())).isInstanceOf(NoSuchElementException.class);
            });
        }

        @AllEngines
        void aValueYieldedWithoutAwaitingCompletesTheRequestAtOnce(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<String, Void> gen = AsyncGenerator.of(y -> {
                    y.yield("now");
                    Async.sleep(TICK);
                    y.yield("later");
                });
                LoopFuture<String> now = gen.anext();
                assertThat(now.isDone()).isTrue();
                assertThat(now.result()).isEqualTo("now");
                LoopFuture<String> later = gen.anext();
                assertThat(later.isDone()).isFalse();
                assertThat(Async.await(later)).isEqualTo("later");
                assertThatThrownBy(() -> Async.await(gen.anext())).isInstanceOf(NoSuchElementException.class);
            });
        }

        @AllEngines
        void aFailureOfTheBodyFailsTheRequestAndEndsTheLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IllegalArgumentException boom = new IllegalArgumentException("boom");
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    y.yield(1);
                    Async.sleep(TICK);
                    throw boom;
                });
                Throwable thrown = catchThrowable(() -> {
                    for (int v : gen) {
                        events.add("got " + v);
                    }
                });
                assertThat(thrown).isSameAs(boom);
                assertThat(gen.isDone()).isTrue();
                assertThatThrownBy(() -> Async.await(gen.anext())).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("got 1");
        }

        @AllEngines
        void aCheckedFailureIsWrappedInCompletionExceptionByAwait(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IOException io = new IOException("io");
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    Async.sleep(TICK);
                    throw io;
                });
                LoopFuture<Integer> next = gen.anext();
                assertThat(catchThrowable(() -> Async.await(next)))
                        .isExactlyInstanceOf(CompletionException.class)
                        .hasCause(io);
                assertThat(next.exception()).isSameAs(io);
            });
        }

        @AllEngines
        void twoTasksIteratingTwoGeneratorsInterleaveAtTheirAwaits(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<String, Void> letters = AsyncGenerator.of(y -> {
                    for (String s : List.of("a", "b", "c")) {
                        y.yield(s);
                        Async.sleep(Duration.ZERO);
                    }
                });
                AsyncGenerator<String, Void> digits = AsyncGenerator.of(y -> {
                    for (String s : List.of("1", "2", "3")) {
                        y.yield(s);
                        Async.sleep(Duration.ZERO);
                    }
                });
                Task<Void> t1 = Async.createTask(() -> {
                    for (String s : letters) {
                        events.add(s);
                    }
                    return null;
                });
                Task<Void> t2 = Async.createTask(() -> {
                    for (String s : digits) {
                        events.add(s);
                    }
                    return null;
                });
                Async.await(Async.gather(t1, t2));
            });

            assertThat(events).containsExactly("a", "1", "b", "2", "c", "3");
        }
    }

    @Nested
    class Send {

        @AllEngines
        void asendAnswersWithTheRunningAverage(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Double, Double> avg = averager();
                assertThat(Async.await(avg.anext())).isNull();
                assertThat(Async.await(avg.asend(10.0))).isEqualTo(10.0);
                assertThat(Async.await(avg.asend(30.0))).isEqualTo(20.0);
                assertThat(Async.await(avg.asend(5.0))).isEqualTo(15.0);
                Async.await(avg.aclose());
                assertThat(avg.isDone()).isTrue();
            });
        }

        @AllEngines
        void helloAnswersEachNameSentIn(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<String, String> g = AsyncGenerator.of(y -> {
                    String name = "world";
                    while (name != null) {
                        Async.sleep(TICK);
                        name = y.yield("Hello, " + name);
                    }
                    events.add("hello ends");
                });
                assertThat(Async.await(g.anext())).isEqualTo("Hello, world");
                assertThat(Async.await(g.asend("Reuven"))).isEqualTo("Hello, Reuven");
                assertThat(Async.await(g.asend("Linux Journal"))).isEqualTo("Hello, Linux Journal");
                assertThatThrownBy(() -> Async.await(g.asend(null))).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("hello ends");
        }

        @AllEngines
        void aNonNullValueCannotBeSentBeforeTheFirstYield(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Double, Double> avg = averager();
                assertThatIllegalStateException()
                        .isThrownBy(() -> avg.asend(1.0))
                        .withMessageContaining("just-started");
                assertThat(avg.isDone()).isFalse();
                assertThat(Async.await(avg.asend(null))).isNull(); // asend(None) starts it
                assertThat(Async.await(avg.asend(4.0))).isEqualTo(4.0);
                Async.await(avg.aclose());
            });
        }
    }

    @Nested
    class Athrow {

        @AllEngines
        void aHandledExceptionMakesAthrowCompleteWithTheNextValue(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<String, Void> gen = AsyncGenerator.of(y -> {
                    try {
                        y.yield("working");
                    } catch (IllegalArgumentException e) {
                        events.add("caught " + e.getMessage());
                        Async.sleep(TICK);
                        y.yield("recovered");
                    }
                    y.yield("after");
                });
                assertThat(Async.await(gen.anext())).isEqualTo("working");
                assertThat(Async.await(gen.athrow(new IllegalArgumentException("bad input"))))
                        .isEqualTo("recovered");
                assertThat(Async.await(gen.anext())).isEqualTo("after");
                assertThatThrownBy(() -> Async.await(gen.anext())).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("caught bad input");
        }

        @AllEngines
        void anUnhandledExceptionFailsAthrowAndEndsTheGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    try {
                        for (int i = 0; ; i++) {
                            y.yield(i);
                        }
                    } finally {
                        Async.sleep(TICK);
                        events.add("finally after an await");
                    }
                });
                assertThat(Async.await(gen.anext())).isZero();
                IllegalStateException error = new IllegalStateException("thrown in");
                LoopFuture<Integer> thrown = gen.athrow(error);
                assertThat(catchThrowable(() -> Async.await(thrown))).isSameAs(error);
                assertThat(gen.isDone()).isTrue();
                assertThatThrownBy(() -> Async.await(gen.anext())).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("finally after an await");
        }

        @AllEngines
        void athrowIntoAJustStartedGeneratorEndsItWithoutRunningTheBody(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> countdown = countdown(3);
                IllegalArgumentException error = new IllegalArgumentException("early");
                assertThat(catchThrowable(() -> Async.await(countdown.athrow(error))))
                        .isSameAs(error);
                assertThat(countdown.isDone()).isTrue();
            });

            assertThat(events).isEmpty();
        }

        @AllEngines
        void athrowIntoAnEndedGeneratorFailsWithTheErrorAndRunsNothing(CoroutineEngine engine) {
            // a deliberate difference (generators guide): CPython's athrow on an ended generator completes with None
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> countdown = countdown(1);
                assertThat(Async.await(countdown.anext())).isEqualTo(1);
                assertThatThrownBy(() -> Async.await(countdown.anext())).isInstanceOf(NoSuchElementException.class);
                IllegalArgumentException error = new IllegalArgumentException("late");

                assertThat(catchThrowable(() -> Async.await(countdown.athrow(error))))
                        .isSameAs(error);
                assertThatThrownBy(() -> Async.await(countdown.anext())).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("countdown starts", "countdown ends");
        }
    }

    @Nested
    class Aclose {

        @AllEngines
        void acloseRunsFinallyBlocksThatAwait(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    try {
                        for (int i = 0; ; i++) {
                            y.yield(i);
                        }
                    } catch (Exception notForGeneratorExit) {
                        events.add("an Exception handler must not see GeneratorExit");
                        throw notForGeneratorExit;
                    } finally {
                        events.add("cleanup starts");
                        Async.sleep(TICK);
                        events.add("cleanup done");
                    }
                });
                assertThat(Async.await(gen.anext())).isZero();
                assertThat(Async.await(gen.anext())).isEqualTo(1);
                events.add("aclose");
                LoopFuture<Void> closed = gen.aclose();
                assertThat(closed.isDone()).isFalse(); // the cleanup awaits
                Async.await(closed);
                events.add("closed");
                assertThat(gen.isDone()).isTrue();
                assertThatThrownBy(() -> Async.await(gen.anext())).isInstanceOf(NoSuchElementException.class);
                Async.await(gen.aclose()); // idempotent
            });

            assertThat(events).containsExactly("aclose", "cleanup starts", "cleanup done", "closed");
        }

        @AllEngines
        void closingAGeneratorThatNeverStartedRunsNothing(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> countdown = countdown(3);
                LoopFuture<Void> closed = countdown.aclose();
                assertThat(closed.isDone()).isTrue();
                Async.await(closed);
                assertThat(countdown.isDone()).isTrue();
                assertThatThrownBy(() -> Async.await(countdown.anext())).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).isEmpty();
        }

        @AllEngines
        void aGeneratorThatYieldsAfterGeneratorExitFailsAclose(CoroutineEngine engine) {
            onEngine(engine, () -> {
                int[] exits = {0};
                AsyncGenerator<String, Void> stubborn = AsyncGenerator.of(y -> {
                    while (true) {
                        try {
                            y.yield("still here");
                        } catch (GeneratorExit e) {
                            exits[0]++;
                            events.add("GeneratorExit " + exits[0]);
                            if (exits[0] == 2) {
                                throw e; // gives in the second time
                            }
                            Async.sleep(TICK);
                        }
                    }
                });
                Async.await(stubborn.anext());
                assertThatThrownBy(() -> Async.await(stubborn.aclose()))
                        .isExactlyInstanceOf(RuntimeException.class)
                        .hasMessage("async generator ignored GeneratorExit");
                assertThat(stubborn.isDone()).isFalse();
                Async.await(stubborn.aclose());
                assertThat(stubborn.isDone()).isTrue();
            });

            assertThat(events).containsExactly("GeneratorExit 1", "GeneratorExit 2");
        }

        @AllEngines
        void asyncRunClosesAStartedGeneratorLeftOpenAndItsFinallyMayAwait(CoroutineEngine engine) {
            AtomicReference<AsyncGenerator<Integer, Void>> leftOpen = new AtomicReference<>();
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> naturals = AsyncGenerator.of(y -> {
                    try {
                        for (int i = 0; ; i++) {
                            y.yield(i);
                        }
                    } finally {
                        events.add("finally starts");
                        Async.sleep(TICK);
                        events.add("finally done");
                    }
                });
                leftOpen.set(naturals); // strongly reachable: the loop only holds it weakly
                for (int n : naturals) {
                    events.add("got " + n);
                    if (n == 1) {
                        break; // leaves it open, as Python's async for with a break does
                    }
                }
                events.add("main returns");
            });

            assertThat(events).containsExactly("got 0", "got 1", "main returns", "finally starts", "finally done");
            assertThat(leftOpen.get().isDone()).isTrue();
        }

        @AllEngines
        void asyncRunLeavesAGeneratorThatNeverStartedAlone(CoroutineEngine engine) {
            AtomicReference<AsyncGenerator<Integer, Void>> notStarted = new AtomicReference<>();
            onEngine(engine, () -> notStarted.set(countdown(3)));

            assertThat(events).isEmpty();
            assertThat(notStarted.get().isDone()).isFalse();
        }

        @AllEngines
        void aFailingCleanupDuringShutdownGoesToTheExceptionHandler(CoroutineEngine engine) {
            AtomicReference<AsyncGenerator<Integer, Void>> leftOpen = new AtomicReference<>();
            List<Object> reported = new CopyOnWriteArrayList<>();
            IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
            onEngine(engine, () -> {
                Async.loop().setExceptionHandler((loop, ctx) -> reported.add(ctx.get("exception")));
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    try {
                        y.yield(1);
                    } finally {
                        throw cleanupFailed;
                    }
                });
                leftOpen.set(gen);
                Async.await(gen.anext());
            });

            assertThat(reported).containsExactly(cleanupFailed);
            assertThat(leftOpen.get().isDone()).isTrue();
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void cancellingTheTaskAwaitingAnextCancelsTheAwaitInsideTheBody(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<String, Void> slow = AsyncGenerator.of(y -> {
                    try {
                        events.add("body sleeps");
                        Async.sleep(FOREVER);
                        events.add("body woke up");
                        y.yield("late");
                    } catch (CancellationException e) {
                        events.add("body cancelled");
                        throw e;
                    } finally {
                        events.add("body finally");
                    }
                });
                Task<String> consumer = Async.createTask(() -> {
                    try {
                        return Async.await(slow.anext());
                    } catch (CancellationException e) {
                        events.add("consumer cancelled");
                        throw e;
                    }
                });
                Async.sleep(Duration.ZERO); // the consumer reaches its await, the body its sleep
                events.add("cancel");
                consumer.cancel();
                assertThatThrownBy(() -> Async.await(consumer)).isInstanceOf(CancellationException.class);
                Async.sleep(Duration.ZERO); // lets the body finish unwinding
                assertThat(slow.isDone()).isTrue();
                assertThat(consumer.isCancelled()).isTrue();
            });

            // anext() returns a future: as for any awaited future, cancelling it wakes the consumer first,
            // and the body's cancelled await unwinds in the same lap, right after (in asyncio, where
            // anext is a coroutine, the body unwinds before the consumer sees the CancelledError)
            assertThat(events)
                    .containsExactly("body sleeps", "cancel", "consumer cancelled", "body cancelled", "body finally");
        }

        @AllEngines
        void cancellingTheAnextFutureCancelsTheAwaitInsideTheBody(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<String, Void> slow = AsyncGenerator.of(y -> {
                    try {
                        Async.sleep(FOREVER);
                        y.yield("late");
                    } catch (CancellationException e) {
                        events.add("body cancelled: " + e.getMessage());
                        throw e;
                    }
                });
                LoopFuture<String> next = slow.anext();
                assertThat(next.cancel("not needed")).isTrue();
                assertThat(next.isCancelled()).isTrue();
                Async.sleep(Duration.ZERO);
                assertThat(slow.isDone()).isTrue();
            });

            assertThat(events).containsExactly("body cancelled: not needed");
        }
    }

    /**
     * A for-each loop resumes the body nested in the consuming coroutine and takes a value the body
     * yields without awaiting straight from it, with no future and no trip through the loop (as an
     * asyncio {@code async for} over a body that does not await); only an await in the body makes
     * the consumer wait for a future. These tests mix both kinds of steps.
     */
    @Nested
    class ForEachWithAndWithoutAwaits {

        /** Yields 1, then 2 and 3 after an await, then 4 without one; records its finally. */
        AsyncGenerator<Integer, Void> mixed() {
            return AsyncGenerator.of(y -> {
                try {
                    y.yield(1);
                    Async.sleep(TICK);
                    y.yield(2);
                    y.yield(3);
                    Async.sleep(Duration.ZERO);
                    y.yield(4);
                } finally {
                    events.add("body finally");
                }
            });
        }

        @AllEngines
        void valuesYieldedWithAndWithoutAwaitsArriveInOrder(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> gen = mixed();
                for (int v : gen) {
                    events.add("got " + v);
                }
                assertThat(gen.isDone()).isTrue();
                assertThatThrownBy(() -> Async.await(gen.anext())).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("got 1", "got 2", "got 3", "got 4", "body finally");
        }

        @AllEngines
        void otherTasksRunOnlyWhereTheBodyAwaits(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> gen = mixed();
                Task<Void> other = Async.createTask(() -> {
                    for (int i = 0; i < 3; i++) {
                        events.add("other");
                        Async.sleep(Duration.ZERO);
                    }
                    return null;
                });
                for (int v : gen) {
                    events.add("got " + v);
                }
                Async.await(other);
            });

            // the other task's first step waits for the body's first await, after "got 1"; the
            // values yielded without an await in between follow each other with no other step
            assertThat(events.subList(0, 2)).containsExactly("got 1", "other");
            assertThat(events).containsSubsequence("got 2", "got 3").doesNotContainSequence("got 2", "other", "got 3");
            assertThat(events).containsSubsequence("got 1", "got 2", "got 3", "got 4", "body finally");
        }

        @AllEngines
        void aBodyThatNeverAwaitsEndsTheLoopWithoutSuspendingTheConsumer(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    for (int i = 0; i < 3; i++) {
                        y.yield(i);
                    }
                    events.add("body returns");
                });
                Task<Void> other = Async.createTask(() -> {
                    events.add("other");
                    return null;
                });
                int sum = 0;
                for (int v : gen) {
                    sum += v;
                }
                events.add("sum " + sum);
                assertThat(gen.isDone()).isTrue();
                Async.await(other);
            });

            assertThat(events).containsExactly("body returns", "sum 3", "other");
        }

        @AllEngines
        void aFailureBeforeAnyAwaitIsThrownFromTheLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IllegalArgumentException boom = new IllegalArgumentException("boom");
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    y.yield(1);
                    throw boom;
                });
                Throwable thrown = catchThrowable(() -> {
                    for (int v : gen) {
                        events.add("got " + v);
                    }
                });
                assertThat(thrown).isSameAs(boom);
                assertThat(gen.isDone()).isTrue();
                assertThatThrownBy(() -> Async.await(gen.anext())).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("got 1");
        }

        @AllEngines
        void aCheckedFailureBeforeAnyAwaitIsWrappedAsByAwait(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IOException io = new IOException("io");
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    throw io;
                });
                Throwable thrown = catchThrowable(() -> gen.iterator().hasNext());
                assertThat(thrown)
                        .isExactlyInstanceOf(CompletionException.class)
                        .hasCause(io);
                assertThat(gen.isDone()).isTrue();
            });
        }

        @AllEngines
        void cancellingTheConsumerWhileTheBodyAwaitsCancelsThatAwait(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    try {
                        y.yield(1);
                        Async.sleep(FOREVER);
                        y.yield(2);
                    } catch (CancellationException e) {
                        events.add("body cancelled");
                        throw e;
                    } finally {
                        events.add("body finally");
                    }
                });
                Task<Void> consumer = Async.createTask(() -> {
                    for (int v : gen) {
                        events.add("got " + v);
                    }
                    return null;
                });
                Async.sleep(Duration.ZERO); // the consumer gets 1, then waits for the body's sleep
                events.add("cancel");
                consumer.cancel();
                assertThatThrownBy(() -> Async.await(consumer)).isInstanceOf(CancellationException.class);
                Async.sleep(Duration.ZERO);
                assertThat(gen.isDone()).isTrue();
            });

            assertThat(events).containsExactly("got 1", "cancel", "body cancelled", "body finally");
        }

        @AllEngines
        void cancellingTheConsumerWhileTheBodyIsPausedAtAYieldLeavesTheGeneratorOpen(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    try {
                        y.yield(1);
                        y.yield(2);
                    } finally {
                        events.add("body finally");
                    }
                });
                Task<Void> consumer = Async.createTask(() -> {
                    for (int v : gen) {
                        events.add("got " + v);
                        Async.sleep(FOREVER); // the consumer's own await, with the body paused at yield 1
                    }
                    return null;
                });
                Async.sleep(Duration.ZERO);
                consumer.cancel();
                assertThatThrownBy(() -> Async.await(consumer)).isInstanceOf(CancellationException.class);
                assertThat(gen.isDone()).isFalse();
                events.add("aclose");
                Async.await(gen.aclose());
                assertThat(gen.isDone()).isTrue();
            });

            assertThat(events).containsExactly("got 1", "aclose", "body finally");
        }

        @AllEngines
        void aCancellationRequestedByTheBodySurfacesAtTheConsumersNextRealSuspension(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicReference<Task<Void>> consumerRef = new AtomicReference<>();
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    try {
                        consumerRef.get().cancel(); // the consumer is running: it is marked, not woken
                        y.yield(1);
                        y.yield(2);
                        Async.sleep(FOREVER);
                        y.yield(3);
                    } catch (CancellationException e) {
                        events.add("body cancelled");
                        throw e;
                    }
                });
                Task<Void> consumer = Async.createTask(() -> {
                    for (int v : gen) {
                        events.add("got " + v);
                    }
                    return null;
                });
                consumerRef.set(consumer);
                assertThatThrownBy(() -> Async.await(consumer)).isInstanceOf(CancellationException.class);
                Async.sleep(Duration.ZERO);
                assertThat(gen.isDone()).isTrue();
            });

            // values yielded without awaiting do not suspend the consumer, so the cancellation waits
            // for the body's sleep, which it then cancels (as asyncio's Task.cancel on a running task)
            assertThat(events).containsExactly("got 1", "got 2", "body cancelled");
        }

        @AllEngines
        void iteratingTheGeneratorFromItsOwnBodyIsAlreadyRunning(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicReference<AsyncGenerator<Integer, Void>> self = new AtomicReference<>();
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    try {
                        self.get().iterator().hasNext();
                    } catch (IllegalStateException e) {
                        events.add(e.getMessage());
                    }
                    try {
                        self.get().anext();
                    } catch (IllegalStateException e) {
                        events.add(e.getMessage());
                    }
                    y.yield(1);
                });
                self.set(gen);
                for (int v : gen) {
                    events.add("got " + v);
                }
            });

            assertThat(events)
                    .containsExactly(
                            "anext(): asynchronous generator is already running",
                            "anext(): asynchronous generator is already running",
                            "got 1");
        }
    }

    @Nested
    class BadInput {

        @AllEngines
        void aSecondRequestWhileTheFirstIsPendingIsAlreadyRunning(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AsyncGenerator<Integer, Void> countdown = countdown(2);
                LoopFuture<Integer> first = countdown.anext();
                assertThatIllegalStateException()
                        .isThrownBy(countdown::anext)
                        .withMessage("anext(): asynchronous generator is already running");
                assertThatIllegalStateException()
                        .isThrownBy(() -> countdown.asend(null))
                        .withMessage("asend(): asynchronous generator is already running");
                assertThatIllegalStateException()
                        .isThrownBy(() -> countdown.athrow(new RuntimeException()))
                        .withMessage("athrow(): asynchronous generator is already running");
                assertThatIllegalStateException()
                        .isThrownBy(countdown::aclose)
                        .withMessage("aclose(): asynchronous generator is already running");
                assertThat(Async.await(first)).isEqualTo(2); // the pending request is unharmed
                assertThat(Async.await(countdown.anext())).isEqualTo(1);
            });
        }

        @AllEngines
        void yieldOutsideTheBodyIsRefused(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicReference<AsyncYielder<Integer, Void>> leaked = new AtomicReference<>();
                AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                    leaked.set(y);
                    y.yield(1);
                });
                Async.await(gen.anext());
                assertThatIllegalStateException()
                        .isThrownBy(() -> leaked.get().yield(2))
                        .withMessageContaining("outside the async generator's own body");
                assertThatThrownBy(() -> Async.await(gen.anext())).isInstanceOf(NoSuchElementException.class);
            });
        }

        @Test
        void requestsNeedARunningLoop() {
            AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> y.yield(1));
            assertThatIllegalStateException()
                    .isThrownBy(gen::anext)
                    .withMessageContaining("needs a running event loop");
        }

        @Test
        void nullsAreRefusedNamingTheParameter() {
            assertThatThrownBy(() -> AsyncGenerator.of(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("body");
            AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> y.yield(1));
            assertThatThrownBy(() -> gen.athrow(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("error");
        }
    }
}
