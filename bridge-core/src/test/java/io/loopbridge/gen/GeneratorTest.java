package io.loopbridge.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Generator}, read like the generator examples of seeds 001 and 004: iteration, {@code
 * send}, {@code throw}, {@code close}, {@code yield from}, and a round-robin scheduler of
 * generators. Every test runs inside {@code Async.run} on each coroutine engine the JVM offers,
 * so the generator's body runs on a fiber of that engine.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class GeneratorTest {
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

    /** Seed 001's {@code my_generator(limit)}: yields 0, 1, ..., limit - 1. */
    static Generator<Integer, Void, Void> myGenerator(int limit) {
        return Generator.of(y -> {
            int position = 0;
            while (position < limit) {
                y.yield(position);
                position++;
            }
            return null;
        });
    }

    /** The countdown of {@link Generator}'s Javadoc. */
    Generator<Integer, Void, String> countdown(int from) {
        return Generator.of(y -> {
            events.add("countdown starts");
            for (int n = from; n > 0; n--) {
                y.yield(n);
            }
            events.add("countdown ends");
            return "liftoff";
        });
    }

    /** A running average: each value sent in is answered with the average so far. */
    static Generator<Double, Double, Void> averager() {
        return Generator.of(y -> {
            double total = 0;
            int count = 0;
            Double average = null;
            while (true) {
                double term = y.yield(average);
                total += term;
                count++;
                average = total / count;
            }
        });
    }

    @Nested
    class Iteration {

        @AllEngines
        void aForLoopRunsTheBodyOneYieldAtATime(CoroutineEngine engine) {
            onEngine(engine, () -> {
                // for i in my_generator(10): print("i = %d" % i)
                for (int i : myGenerator(10)) {
                    events.add("i = " + i);
                }
            });

            assertThat(events)
                    .containsExactly(
                            "i = 0", "i = 1", "i = 2", "i = 3", "i = 4", "i = 5", "i = 6", "i = 7", "i = 8", "i = 9");
        }

        @AllEngines
        void nothingRunsUntilTheFirstNext(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, String> countdown = countdown(3);
                events.add("created");
                assertThat(countdown.next()).isEqualTo(3);
                events.add("got 3");
                for (int n : countdown) {
                    events.add("got " + n);
                }
                assertThat(countdown.result()).isEqualTo("liftoff");
                assertThat(countdown.isDone()).isTrue();
            });

            assertThat(events)
                    .containsExactly("created", "countdown starts", "got 3", "got 2", "got 1", "countdown ends");
        }

        @AllEngines
        void nextRaisesNoSuchElementExceptionOnceTheBodyHasReturned(CoroutineEngine engine) {
            onEngine(engine, () -> {
                // while True: try: value = generator.__next__() ... except StopIteration: break
                Generator<Integer, Void, Void> generator = myGenerator(5);
                while (true) {
                    try {
                        int value = generator.next();
                        events.add("Value: " + value);
                    } catch (NoSuchElementException stop) {
                        events.add("StopIteration");
                        break;
                    }
                }
                assertThatThrownBy(generator::next).isInstanceOf(NoSuchElementException.class);
                assertThat(generator.hasNext()).isFalse();
            });

            assertThat(events)
                    .containsExactly("Value: 0", "Value: 1", "Value: 2", "Value: 3", "Value: 4", "StopIteration");
        }

        @AllEngines
        void hasNextRunsAheadToTheNextYieldOnlyOnce(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, Void, Void> gen = Generator.of(y -> {
                    events.add("body before a");
                    y.yield("a");
                    events.add("body before b");
                    y.yield("b");
                    events.add("body ends");
                    return null;
                });
                assertThat(gen.hasNext()).isTrue();
                assertThat(gen.hasNext()).isTrue();
                events.add("hasNext twice");
                assertThat(gen.next()).isEqualTo("a");
                assertThat(gen.next()).isEqualTo("b");
                assertThat(gen.hasNext()).isFalse();
            });

            assertThat(events).containsExactly("body before a", "hasNext twice", "body before b", "body ends");
        }

        @AllEngines
        void theBodyHasNoValueAndNoResultWhenItFails(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IllegalArgumentException boom = new IllegalArgumentException("boom");
                Generator<Integer, Void, String> gen = Generator.of(y -> {
                    y.yield(1);
                    throw boom;
                });
                assertThat(gen.next()).isEqualTo(1);
                assertThat(catchThrowable(gen::next)).isSameAs(boom);
                assertThat(gen.isDone()).isTrue();
                assertThatIllegalStateException().isThrownBy(gen::result);
                assertThatThrownBy(gen::next).isInstanceOf(NoSuchElementException.class);
            });
        }

        @AllEngines
        void aCheckedExceptionFromTheBodyIsWrappedInCompletionException(CoroutineEngine engine) {
            onEngine(engine, () -> {
                IOException io = new IOException("disk on fire");
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    throw io;
                });
                assertThat(catchThrowable(gen::next))
                        .isExactlyInstanceOf(CompletionException.class)
                        .hasCause(io);
            });
        }

        @Test
        void needsNoEventLoop() {
            Generator<Integer, Void, String> countdown = countdown(3);
            List<Integer> values = new ArrayList<>();
            countdown.forEachRemaining(values::add);

            assertThat(values).containsExactly(3, 2, 1);
            assertThat(countdown.result()).isEqualTo("liftoff");
        }

        /**
         * A generator used with no loop whose body runs a whole loop for each value: the loops
         * follow each other on the generator's stack, each starting tasks of its own.
         */
        @AllEngines
        void aGeneratorWithNoLoopMayRunALoopForEachValue(CoroutineEngine engine) {
            Generator<String, Void, Void> perValue = Generator.of(y -> {
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    y.yield(Async.run(engine, () -> {
                        Task<String> inner = Async.createTask(() -> {
                            Async.sleep(Duration.ofMillis(1));
                            return "value " + n;
                        });
                        return Async.await(inner);
                    }));
                }
                return null;
            });
            List<String> values = new ArrayList<>();
            perValue.forEachRemaining(values::add);

            assertThat(values).containsExactly("value 0", "value 1", "value 2");
        }

        @AllEngines
        void helloYieldsFiveGreetings(CoroutineEngine engine) {
            onEngine(engine, () -> {
                // def hello(name): for i in range(5): yield f'[{i}] Hello, {name}'
                Generator<String, Void, Void> g = Generator.of(y -> {
                    for (int i = 0; i < 5; i++) {
                        y.yield("[" + i + "] Hello, Reuven");
                    }
                    return null;
                });
                for (String s : g) {
                    events.add(s);
                }
            });

            assertThat(events)
                    .containsExactly(
                            "[0] Hello, Reuven",
                            "[1] Hello, Reuven",
                            "[2] Hello, Reuven",
                            "[3] Hello, Reuven",
                            "[4] Hello, Reuven");
        }
    }

    @Nested
    class Send {

        @AllEngines
        void helloAnswersEachNameSentIn(CoroutineEngine engine) {
            onEngine(engine, () -> {
                // def hello(name):
                //     while True:
                //         name = yield f'Hello, {name}'
                //         if not name: break
                Generator<String, String, Void> g = Generator.of(y -> {
                    String name = "world";
                    while (true) {
                        name = y.yield("Hello, " + name);
                        if (name == null || name.isEmpty()) {
                            events.add("hello ends");
                            return null;
                        }
                    }
                });
                assertThat(g.next()).isEqualTo("Hello, world");
                assertThat(g.send("Reuven")).isEqualTo("Hello, Reuven");
                assertThat(g.send("Linux Journal")).isEqualTo("Hello, Linux Journal");
                assertThatThrownBy(() -> g.send(null)).isInstanceOf(NoSuchElementException.class);
                assertThat(g.isDone()).isTrue();
            });

            assertThat(events).containsExactly("hello ends");
        }

        @AllEngines
        void sendResetsThePositionOfMyGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                // val = yield cur; if val is not None: _position = val; yield val  else: _position += 1
                Generator<Integer, Integer, Void> generator = Generator.of(y -> {
                    int position = 0;
                    while (position < 20) {
                        int cur = position;
                        Integer val = y.yield(cur);
                        if (val != null) {
                            position = val;
                            y.yield(val);
                        } else {
                            position++;
                        }
                    }
                    return null;
                });
                assertThat(generator.next()).isEqualTo(0);
                assertThat(generator.next()).isEqualTo(1);
                assertThat(generator.send(7)).isEqualTo(7);
                assertThat(generator.next()).isEqualTo(7);
                assertThat(generator.next()).isEqualTo(8);
                generator.close();
            });
        }

        @AllEngines
        void anAveragingCoroutineAnswersWithTheRunningAverage(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Double, Double, Void> avg = averager();
                assertThat(avg.next()).isNull(); // primed: paused at the first yield
                assertThat(avg.send(10.0)).isEqualTo(10.0);
                assertThat(avg.send(30.0)).isEqualTo(20.0);
                assertThat(avg.send(5.0)).isEqualTo(15.0);
                avg.close();
                assertThat(avg.isDone()).isTrue();
            });
        }

        @AllEngines
        void nextResumesThePausedYieldWithNull(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, String, Void> echo = Generator.of(y -> {
                    String in = y.yield("first");
                    events.add("received " + in);
                    in = y.yield("second");
                    events.add("received " + in);
                    return null;
                });
                echo.next();
                echo.next();
                assertThatThrownBy(() -> echo.send("x")).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("received null", "received x");
        }

        @AllEngines
        void aCoroutineIsAGeneratorDrivenBySend(CoroutineEngine engine) {
            onEngine(engine, () -> {
                // seed 001: waiting_coroutine(future) yields until the future has a value, then returns it
                Integer[] future = {null};
                Generator<Void, Void, Integer> coro = Generator.of(y -> {
                    Integer data = null;
                    while (data == null) {
                        if (future[0] == null) {
                            events.add("coroutine waits");
                            y.yield(null);
                        } else {
                            data = future[0];
                        }
                    }
                    return data;
                });
                assertThat(coro.send(null)).isNull(); // suspends in the await
                future[0] = 25;
                assertThatThrownBy(() -> coro.send(null)).isInstanceOf(NoSuchElementException.class);
                events.add("Got StopIteration with value " + coro.result());
            });

            assertThat(events).containsExactly("coroutine waits", "Got StopIteration with value 25");
        }

        @AllEngines
        void aNonNullValueCannotBeSentToAJustStartedGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Double, Double, Void> avg = averager();
                assertThatIllegalStateException()
                        .isThrownBy(() -> avg.send(1.0))
                        .withMessageContaining("just-started");
                assertThat(avg.isDone()).isFalse();
                assertThat(avg.send(null)).isNull(); // send(None) is next()
                assertThat(avg.send(4.0)).isEqualTo(4.0);
                avg.close();
            });
        }

        @AllEngines
        void sendAfterHasNextRanAheadIsRefused(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> gen = myGenerator(5);
                gen.next();
                assertThat(gen.hasNext()).isTrue();
                assertThatIllegalStateException()
                        .isThrownBy(() -> gen.send(null))
                        .withMessageContaining("hasNext");
                assertThatIllegalStateException()
                        .isThrownBy(() -> gen.throwIn(new RuntimeException()))
                        .withMessageContaining("hasNext");
                assertThat(gen.next()).isEqualTo(1); // the value hasNext ran ahead to is not lost
                gen.close();
            });
        }
    }

    @Nested
    class ThrowIn {

        @AllEngines
        void aHandledExceptionMakesThrowInReturnTheNextValue(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, Void, Void> gen = Generator.of(y -> {
                    try {
                        y.yield("working");
                    } catch (IllegalArgumentException e) {
                        events.add("caught " + e.getMessage());
                        y.yield("recovered");
                    }
                    y.yield("after");
                    return null;
                });
                assertThat(gen.next()).isEqualTo("working");
                assertThat(gen.throwIn(new IllegalArgumentException("bad input")))
                        .isEqualTo("recovered");
                assertThat(gen.next()).isEqualTo("after");
                assertThat(gen.hasNext()).isFalse();
            });

            assertThat(events).containsExactly("caught bad input");
        }

        @AllEngines
        void anUnhandledExceptionIsRethrownAndEndsTheGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                // generator = my_generator(20); generator.__next__(); generator.throw(...)
                Generator<Integer, Void, Void> generator = Generator.of(y -> {
                    try {
                        for (int i = 0; i < 20; i++) {
                            y.yield(i);
                        }
                    } finally {
                        events.add("finally");
                    }
                    return null;
                });
                assertThat(generator.next()).isEqualTo(0);
                IllegalStateException error = new IllegalStateException("thrown in");
                assertThat(catchThrowable(() -> generator.throwIn(error))).isSameAs(error);
                assertThat(generator.isDone()).isTrue();
                assertThatThrownBy(generator::next).isInstanceOf(NoSuchElementException.class);
            });

            assertThat(events).containsExactly("finally");
        }

        @AllEngines
        void aCheckedExceptionPassingThroughIsWrapped(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> generator = myGenerator(3);
                generator.next();
                IOException io = new IOException("io");
                assertThat(catchThrowable(() -> generator.throwIn(io)))
                        .isExactlyInstanceOf(CompletionException.class)
                        .hasCause(io);
                assertThat(generator.isDone()).isTrue();
            });
        }

        @AllEngines
        void throwingIntoAJustStartedGeneratorEndsItWithoutRunningTheBody(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, String> countdown = countdown(3);
                IllegalArgumentException error = new IllegalArgumentException("early");
                assertThat(catchThrowable(() -> countdown.throwIn(error))).isSameAs(error);
                assertThat(countdown.isDone()).isTrue();
                assertThat(countdown.hasNext()).isFalse();
            });

            assertThat(events).isEmpty();
        }

        @AllEngines
        void anExceptionThatEndsTheBodyWithAReturnLeavesTheResult(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, String> gen = Generator.of(y -> {
                    try {
                        y.yield(1);
                    } catch (IllegalArgumentException e) {
                        return "stopped by " + e.getMessage();
                    }
                    return "normal";
                });
                gen.next();
                assertThatThrownBy(() -> gen.throwIn(new IllegalArgumentException("request")))
                        .isInstanceOf(NoSuchElementException.class);
                assertThat(gen.result()).isEqualTo("stopped by request");
            });
        }
    }

    @Nested
    class Close {

        @AllEngines
        void closeRaisesGeneratorExitAtThePausedYieldSoFinallyRuns(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    try {
                        for (int i = 0; ; i++) {
                            y.yield(i);
                        }
                    } catch (Exception notForGeneratorExit) {
                        events.add("an Exception handler must not see GeneratorExit");
                        throw notForGeneratorExit;
                    } finally {
                        events.add("finally");
                    }
                });
                assertThat(gen.next()).isEqualTo(0);
                assertThat(gen.next()).isEqualTo(1);
                events.add("close");
                gen.close();
                events.add("closed");
                assertThat(gen.isDone()).isTrue();
                assertThatThrownBy(gen::next).isInstanceOf(NoSuchElementException.class);
                gen.close(); // idempotent
            });

            assertThat(events).containsExactly("close", "finally", "closed");
        }

        @AllEngines
        void closingAGeneratorThatNeverStartedRunsNothing(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, String> countdown = countdown(3);
                countdown.close();
                assertThat(countdown.isDone()).isTrue();
                assertThat(countdown.hasNext()).isFalse();
            });

            assertThat(events).isEmpty();
        }

        @AllEngines
        void aGeneratorThatYieldsAfterGeneratorExitMakesCloseFail(CoroutineEngine engine) {
            onEngine(engine, () -> {
                int[] exits = {0};
                Generator<String, Void, Void> stubborn = Generator.of(y -> {
                    while (true) {
                        try {
                            y.yield("still here");
                        } catch (GeneratorExit e) {
                            exits[0]++;
                            events.add("GeneratorExit " + exits[0]);
                            if (exits[0] == 2) {
                                throw e; // gives in the second time
                            }
                        }
                    }
                });
                stubborn.next();
                assertThatThrownBy(stubborn::close)
                        .isExactlyInstanceOf(RuntimeException.class)
                        .hasMessage("generator ignored GeneratorExit");
                assertThat(stubborn.isDone()).isFalse();
                stubborn.close();
                assertThat(stubborn.isDone()).isTrue();
            });

            assertThat(events).containsExactly("GeneratorExit 1", "GeneratorExit 2");
        }

        @AllEngines
        void aBodyMayReplaceGeneratorExitByReturning(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, String> gen = Generator.of(y -> {
                    try {
                        y.yield(1);
                    } catch (GeneratorExit e) {
                        events.add("cleaning up");
                        return "closed early";
                    }
                    return "normal";
                });
                gen.next();
                gen.close();
                assertThat(gen.isDone()).isTrue();
            });

            assertThat(events).containsExactly("cleaning up");
        }

        @AllEngines
        void tryWithResourcesClosesTheGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    try {
                        for (int i = 0; ; i++) {
                            y.yield(i);
                        }
                    } finally {
                        events.add("finally");
                    }
                });
                try (gen) {
                    events.add("got " + gen.next());
                }
                assertThat(gen.isDone()).isTrue();
            });

            assertThat(events).containsExactly("got 0", "finally");
        }

        @AllEngines
        void closeFromItsOwnBodyIsRefused(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicReference<Generator<String, Void, Void>> self = new AtomicReference<>();
                Generator<String, Void, Void> gen = Generator.of(y -> {
                    try {
                        self.get().close();
                    } catch (IllegalStateException e) {
                        y.yield(e.getMessage());
                    }
                    return null;
                });
                self.set(gen);
                assertThat(gen.next()).startsWith("generator already executing");
                assertThat(gen.hasNext()).isFalse();
            });
        }
    }

    @Nested
    class YieldFrom {

        /** Yields "a", "b"; returns how many values were sent into it. */
        Generator<String, String, Integer> inner() {
            return Generator.of(y -> {
                int received = 0;
                try {
                    for (String v : List.of("a", "b")) {
                        String in = y.yield(v);
                        if (in != null) {
                            events.add("inner received " + in);
                            received++;
                        }
                    }
                    return received;
                } finally {
                    events.add("inner finally");
                }
            });
        }

        @AllEngines
        void delegatesUntilTheSubGeneratorReturnsItsValue(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, String, String> outer = Generator.of(y -> {
                    y.yield("outer start");
                    int received = y.yieldFrom(inner());
                    y.yield("inner returned " + received);
                    return "outer done";
                });
                List<String> values = new ArrayList<>();
                for (String v : outer) {
                    values.add(v);
                }
                assertThat(values).containsExactly("outer start", "a", "b", "inner returned 0");
                assertThat(outer.result()).isEqualTo("outer done");
            });

            assertThat(events).containsExactly("inner finally");
        }

        @AllEngines
        void forwardsSendToTheSubGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, String, Integer> outer = Generator.of(y -> {
                    int received = y.yieldFrom(inner());
                    y.yield("inner received " + received + " values");
                    return received;
                });
                assertThat(outer.next()).isEqualTo("a");
                assertThat(outer.send("x")).isEqualTo("b");
                assertThat(outer.send("y")).isEqualTo("inner received 2 values");
                assertThatThrownBy(outer::next).isInstanceOf(NoSuchElementException.class);
                assertThat(outer.result()).isEqualTo(2);
            });

            assertThat(events).containsExactly("inner received x", "inner received y", "inner finally");
        }

        @AllEngines
        void forwardsTheRunningAverage(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Double, Double, Void> outer = Generator.of(y -> y.yieldFrom(averager()));
                assertThat(outer.next()).isNull();
                assertThat(outer.send(2.0)).isEqualTo(2.0);
                assertThat(outer.send(4.0)).isEqualTo(3.0);
                outer.close();
            });
        }

        @AllEngines
        void forwardsThrowInToTheSubGeneratorWhichMayHandleIt(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, Void, Void> sub = Generator.of(y -> {
                    try {
                        y.yield("sub working");
                    } catch (IllegalArgumentException e) {
                        events.add("sub caught " + e.getMessage());
                        y.yield("sub recovered");
                    }
                    return null;
                });
                Generator<String, Void, Void> outer = Generator.of(y -> {
                    try {
                        y.yieldFrom(sub);
                    } catch (IllegalArgumentException e) {
                        events.add("outer must not see it");
                    }
                    y.yield("outer continues");
                    return null;
                });
                assertThat(outer.next()).isEqualTo("sub working");
                assertThat(outer.throwIn(new IllegalArgumentException("bad"))).isEqualTo("sub recovered");
                assertThat(outer.next()).isEqualTo("outer continues");
                assertThat(outer.hasNext()).isFalse();
            });

            assertThat(events).containsExactly("sub caught bad");
        }

        @AllEngines
        void anExceptionTheSubGeneratorLetsPassSurfacesAtTheYieldFrom(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, String, Integer> sub = inner();
                Generator<String, String, Void> outer = Generator.of(y -> {
                    try {
                        y.yieldFrom(sub);
                    } catch (IllegalArgumentException e) {
                        events.add("outer caught " + e.getMessage());
                        y.yield("outer recovered");
                    }
                    return null;
                });
                assertThat(outer.next()).isEqualTo("a");
                assertThat(outer.throwIn(new IllegalArgumentException("bad"))).isEqualTo("outer recovered");
                assertThat(sub.isDone()).isTrue();
                assertThat(outer.hasNext()).isFalse();
            });

            assertThat(events).containsExactly("inner finally", "outer caught bad");
        }

        @AllEngines
        void closeClosesTheSubGeneratorFirst(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, String, Integer> sub = inner();
                Generator<String, String, Void> outer = Generator.of(y -> {
                    try {
                        y.yieldFrom(sub);
                        y.yield("not reached");
                    } finally {
                        events.add("outer finally");
                    }
                    return null;
                });
                assertThat(outer.next()).isEqualTo("a");
                outer.close();
                assertThat(sub.isDone()).isTrue();
                assertThat(outer.isDone()).isTrue();
            });

            assertThat(events).containsExactly("inner finally", "outer finally");
        }

        @AllEngines
        void drainingWithForEachRemainingGoesThroughTheSubGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<String, String, String> outer = Generator.of(y -> {
                    y.yield("outer start");
                    int received = y.yieldFrom(inner());
                    y.yield("inner returned " + received);
                    return "outer done";
                });
                List<String> values = new ArrayList<>();
                outer.forEachRemaining(values::add);
                assertThat(values).containsExactly("outer start", "a", "b", "inner returned 0");
                assertThat(outer.result()).isEqualTo("outer done");
            });
        }
    }

    @Nested
    class CooperativeMultitasking {

        /** A task of seed 004's model: does a step of work, then hands control back with a yield. */
        Generator<Void, Void, Void> task(String name, int steps) {
            return Generator.of(y -> {
                for (int i = 1; i <= steps; i++) {
                    events.add(name + " step " + i);
                    y.yield(null);
                }
                events.add(name + " done");
                return null;
            });
        }

        @AllEngines
        void aRoundRobinSchedulerInterleavesGeneratorTasks(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Deque<Generator<Void, Void, Void>> ready =
                        new ArrayDeque<>(List.of(task("A", 3), task("B", 1), task("C", 2)));
                while (!ready.isEmpty()) {
                    Generator<Void, Void, Void> t = ready.poll();
                    if (t.hasNext()) {
                        t.next();
                        ready.add(t); // it yielded control: back of the queue
                    }
                }
            });

            assertThat(events)
                    .containsExactly(
                            "A step 1",
                            "B step 1",
                            "C step 1",
                            "A step 2",
                            "B done",
                            "C step 2",
                            "A step 3",
                            "C done",
                            "A done");
        }
    }

    @Nested
    class ForEachRemainingAndStreams {

        @AllEngines
        void forEachRemainingRunsTheConsumerOnTheBodysFiber(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Thread caller = Thread.currentThread();
                List<Thread> bodyThreads = new ArrayList<>();
                List<Thread> consumerThreads = new ArrayList<>();
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    for (int i = 0; i < 3; i++) {
                        bodyThreads.add(Thread.currentThread());
                        events.add("yield " + i);
                        y.yield(i);
                    }
                    events.add("body ends");
                    return null;
                });
                gen.forEachRemaining(v -> {
                    consumerThreads.add(Thread.currentThread());
                    // the consumer is called from inside the body's yield, not from a switch back
                    boolean insideYield = StackWalker.getInstance()
                            .walk(frames ->
                                    frames.anyMatch(f -> f.getClassName().startsWith(Generator.class.getName() + "$")
                                            && f.getMethodName().equals("yield")));
                    events.add("consume " + v + (insideYield ? " inside yield" : " outside the body"));
                });
                assertThat(consumerThreads).hasSize(3).isEqualTo(bodyThreads);
                if (engine != CoroutineEngine.CONTINUATION) {
                    assertThat(bodyThreads.get(0)).isNotSameAs(caller);
                } else {
                    assertThat(bodyThreads.get(0)).isSameAs(caller);
                }
                assertThat(gen.isDone()).isTrue();
            });

            assertThat(events)
                    .containsExactly(
                            "yield 0",
                            "consume 0 inside yield",
                            "yield 1",
                            "consume 1 inside yield",
                            "yield 2",
                            "consume 2 inside yield",
                            "body ends");
        }

        @AllEngines
        void forEachRemainingContinuesAfterValuesAlreadyTaken(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, String> countdown = countdown(4);
                assertThat(countdown.next()).isEqualTo(4);
                assertThat(countdown.hasNext()).isTrue(); // 3 is taken from the body already
                List<Integer> rest = new ArrayList<>();
                countdown.forEachRemaining(rest::add);
                assertThat(rest).containsExactly(3, 2, 1);
                assertThat(countdown.result()).isEqualTo("liftoff");
                countdown.forEachRemaining(v -> rest.add(-1)); // nothing left
                assertThat(rest).containsExactly(3, 2, 1);
            });
        }

        @AllEngines
        void aYieldFromAnotherBodyIsRefusedWhileDraining(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Yielder<Integer, Void>> leaked = new ArrayList<>();
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    leaked.add(y);
                    y.yield(1);
                    y.yield(2);
                    return null;
                });
                Throwable[] refused = {null};
                gen.forEachRemaining(v -> {
                    if (v == 1) {
                        // another generator's body gets hold of gen's yielder while gen drains
                        Generator.<Integer, Void, Void>of(other -> {
                                    refused[0] =
                                            catchThrowable(() -> leaked.get(0).yield(99));
                                    return null;
                                })
                                .forEachRemaining(x -> events.add("other consumed " + x));
                    }
                    events.add("consume " + v);
                });
                assertThat(refused[0])
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("yield() called outside the generator's own body");
            });

            assertThat(events).containsExactly("consume 1", "consume 2");
        }

        @AllEngines
        void anExceptionFromTheConsumerIsRaisedAtTheYield(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    try {
                        for (int i = 0; ; i++) {
                            y.yield(i);
                        }
                    } catch (IllegalStateException e) {
                        events.add("body saw " + e.getMessage());
                        throw e;
                    } finally {
                        events.add("body finally");
                    }
                });
                IllegalStateException full = new IllegalStateException("consumer is full");
                Throwable thrown = catchThrowable(() -> gen.forEachRemaining(v -> {
                    events.add("consume " + v);
                    if (v == 1) {
                        throw full;
                    }
                }));
                assertThat(thrown).isSameAs(full);
                assertThat(gen.isDone()).isTrue();
            });

            assertThat(events).containsExactly("consume 0", "consume 1", "body saw consumer is full", "body finally");
        }

        @AllEngines
        void streamMapAndFilterDrainTheGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> gen = myGenerator(10);
                List<String> odd = gen.stream()
                        .filter(i -> i % 2 == 1)
                        .map(i -> "odd " + i)
                        .collect(Collectors.toList());
                assertThat(odd).containsExactly("odd 1", "odd 3", "odd 5", "odd 7", "odd 9");
                assertThat(gen.isDone()).isTrue();
            });
        }

        @AllEngines
        void limitRunsTheBodyOnlyUpToTheLastValueNeeded(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> naturals = Generator.of(y -> {
                    try {
                        for (int i = 0; ; i++) {
                            events.add("produce " + i);
                            y.yield(i);
                        }
                    } finally {
                        events.add("naturals finally");
                    }
                });
                List<Integer> firstThree;
                try (Stream<Integer> s = naturals.stream()) {
                    firstThree = s.map(i -> i * 10).limit(3).collect(Collectors.toList());
                    events.add("collected " + firstThree);
                }
                assertThat(firstThree).containsExactly(0, 10, 20);
                assertThat(naturals.isDone()).isTrue(); // closing the stream closed the generator
            });

            assertThat(events)
                    .containsExactly(
                            "produce 0", "produce 1", "produce 2", "collected [0, 10, 20]", "naturals finally");
        }

        @AllEngines
        void aLimitedStreamLeavesTheGeneratorOpenUntilClosed(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> gen = myGenerator(100);
                assertThat(gen.stream().limit(2).collect(Collectors.toList())).containsExactly(0, 1);
                assertThat(gen.isDone()).isFalse();
                assertThat(gen.next()).isEqualTo(2); // the stream took exactly two
                gen.close();
            });
        }
    }

    @Nested
    class BadInput {

        @AllEngines
        void nextFromTheBodyItselfIsRefused(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicReference<Generator<Integer, Void, Void>> self = new AtomicReference<>();
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    y.yield(1);
                    self.get().next();
                    return null;
                });
                self.set(gen);
                gen.next();
                assertThatIllegalStateException()
                        .isThrownBy(gen::next)
                        .withMessageStartingWith("generator already executing");
                assertThat(gen.isDone()).isTrue();
            });
        }

        @AllEngines
        void resultBeforeTheBodyReturnedIsRefused(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, String> countdown = countdown(2);
                assertThatIllegalStateException().isThrownBy(countdown::result).withMessageContaining("not returned");
                countdown.next();
                assertThatIllegalStateException().isThrownBy(countdown::result);
                countdown.next();
                assertThat(countdown.hasNext()).isFalse();
                assertThat(countdown.result()).isEqualTo("liftoff");
            });
        }

        @AllEngines
        void yieldOutsideTheBodyIsRefused(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicReference<Yielder<Integer, Void>> leaked = new AtomicReference<>();
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    leaked.set(y);
                    y.yield(1);
                    return null;
                });
                gen.next();
                assertThatIllegalStateException()
                        .isThrownBy(() -> leaked.get().yield(2))
                        .withMessageContaining("outside the generator's own body");
                assertThat(gen.hasNext()).isFalse(); // the generator itself is unharmed
                assertThatIllegalStateException().isThrownBy(() -> leaked.get().yield(3));
            });
        }

        @AllEngines
        void yieldFromANestedGeneratorsBodyIsRefused(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> outer = Generator.of(y -> {
                    Generator<Integer, Void, Void> nested = Generator.of(inner -> {
                        y.yield(99); // the outer yielder, from the nested body
                        return null;
                    });
                    try {
                        nested.next();
                    } catch (IllegalStateException e) {
                        events.add(e.getMessage());
                    }
                    y.yield(1);
                    return null;
                });
                assertThat(outer.next()).isEqualTo(1);
                outer.close();
            });

            assertThat(events).containsExactly("yield() called outside the generator's own body");
        }

        @Test
        void nullsAreRefusedNamingTheParameter() {
            assertThatThrownBy(() -> Generator.of(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("body");
            Generator<Integer, Void, Void> gen = myGenerator(1);
            assertThatThrownBy(() -> gen.throwIn(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("error");
            assertThatThrownBy(() -> gen.forEachRemaining(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("action");
        }
    }

    /**
     * A generator handed to another thread between two yields. On the continuation engine its body
     * is frames of the starting thread's stack, which JIT-compiled code may have tied to that thread:
     * it refuses, names both threads, and stays usable where it started. The thread-based engines
     * give the body a thread of its own, so any thread may resume it.
     */
    @Nested
    class ResumedFromAnotherThread {
        /**
         * Runs {@code action} on a thread of the loop's default executor ({@code Async.toThread}:
         * the loop is not blocked meanwhile); returns that thread's name and what it threw, or null.
         */
        Object[] onAnotherThread(Body action) {
            return Async.toThread(() -> {
                try {
                    action.run();
                    return new Object[] {Thread.currentThread().getName(), null};
                } catch (Throwable e) {
                    return new Object[] {Thread.currentThread().getName(), e};
                }
            });
        }

        @AllEngines
        void nextOnAnotherThreadIsRefusedOnlyOnTheContinuationEngine(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Generator<Integer, Void, Void> gen = myGenerator(4);
                assertThat(gen.next()).isEqualTo(0);
                String starter = Thread.currentThread().getName();
                List<Integer> seenThere = new ArrayList<>();
                Object[] there = onAnotherThread(() -> seenThere.add(gen.next()));
                Throwable thrown = (Throwable) there[1];
                if (engine == CoroutineEngine.CONTINUATION) {
                    assertThat(thrown)
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("thread '" + starter + "'")
                            .hasMessageContaining("cannot next() on thread '" + there[0] + "'");
                    assertThat(seenThere).isEmpty();
                    assertThat(gen.next())
                            .as("nothing moved: the next value comes here")
                            .isEqualTo(1);
                } else {
                    assertThat(thrown).isNull();
                    assertThat(seenThere).containsExactly(1);
                    assertThat(gen.next()).isEqualTo(2);
                }
                gen.close();
                assertThat(gen.isDone()).isTrue();
            });
        }

        @AllEngines
        void closeOnAnotherThreadIsRefusedOnTheContinuationEngineAndTheFinallyRunsAtHome(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<String> ranOn = new CopyOnWriteArrayList<>();
                Generator<Integer, Void, Void> gen = Generator.of(y -> {
                    try {
                        y.yield(1);
                        y.yield(2);
                    } finally {
                        ranOn.add(Thread.currentThread().getName());
                    }
                    return null;
                });
                assertThat(gen.next()).isEqualTo(1);
                String starter = Thread.currentThread().getName();
                Object[] there = onAnotherThread(gen::close);
                Throwable thrown = (Throwable) there[1];
                if (engine == CoroutineEngine.CONTINUATION) {
                    assertThat(thrown)
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("cannot close() on thread '" + there[0] + "'");
                    assertThat(gen.isDone()).isFalse();
                    gen.close();
                    assertThat(ranOn).containsExactly(starter);
                } else {
                    assertThat(thrown).isNull();
                    assertThat(ranOn).hasSize(1);
                }
                assertThat(gen.isDone()).isTrue();
            });
        }
    }
}
