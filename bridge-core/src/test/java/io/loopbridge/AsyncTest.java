package io.loopbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.VirtualTime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link Async} facade, read like the asyncio documentation: {@code run}, {@code await},
 * {@code sleep}, {@code gather}, {@code toThread}, and the programs of seed 003 (chained coroutines,
 * three factorial tasks). Every test runs on each coroutine engine the JVM offers.
 *
 * <p>Most tests run on real time; one whose outcome depends on which of several sleeps ends first
 * runs on virtual time ({@link VirtualTime}), where they end in the order of their deadlines however
 * loaded the machine is.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class AsyncTest {
    /** Stands for the seed's one-second sleeps. */
    static final Duration STEP = Duration.ofMillis(20);
    /** Longer than any test may take: reaching it means a cancellation or wake-up went missing. */
    static final Duration FOREVER = Duration.ofSeconds(30);
    /** A generous bound for "promptly" on two noisy cores. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);

    final List<String> events = new CopyOnWriteArrayList<>();

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Nested
    class Run {

        @AllEngines
        void returnsTheResultOfTheMainCoroutine(CoroutineEngine engine) {
            int result = Async.run(engine, () -> {
                Async.sleep(STEP);
                return 42;
            });

            assertThat(result).isEqualTo(42);
        }

        @AllEngines
        void rethrowsARuntimeExceptionUnchanged(CoroutineEngine engine) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");

            Throwable thrown = catchThrowable(() -> Async.run(engine, () -> {
                Async.sleep(STEP);
                throw boom;
            }));

            assertThat(thrown).isSameAs(boom);
        }

        @AllEngines
        void wrapsACheckedExceptionInCompletionException(CoroutineEngine engine) {
            IOException io = new IOException("disk on fire");

            Throwable thrown = catchThrowable(() -> Async.run(engine, () -> {
                Async.sleep(STEP);
                throw io;
            }));

            assertThat(thrown).isExactlyInstanceOf(CompletionException.class).hasCause(io);
        }

        @AllEngines
        void cancelsTheTasksLeftBehindThenClosesTheLoop(CoroutineEngine engine) {
            AtomicReference<EventLoop> loop = new AtomicReference<>();
            AtomicReference<Task<?>> leftover = new AtomicReference<>();
            long start = System.nanoTime();

            String result = Async.run(engine, () -> {
                loop.set(Async.loop());
                leftover.set(Async.createTask(() -> {
                    events.add("leftover starts");
                    try {
                        Async.sleep(FOREVER);
                        events.add("leftover woke up");
                    } catch (CancellationException e) {
                        events.add("leftover cancelled");
                        throw e;
                    } finally {
                        events.add("leftover finally");
                    }
                    return null;
                }));
                Async.sleep(Duration.ZERO); // the leftover reaches its sleep
                events.add("main returns");
                return "done";
            });

            assertThat(result).isEqualTo("done");
            assertThat(events)
                    .containsExactly("leftover starts", "main returns", "leftover cancelled", "leftover finally");
            assertThat(leftover.get().isCancelled()).isTrue();
            assertThat(loop.get().isClosed()).isTrue();
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void cannotBeCalledFromARunningLoop(CoroutineEngine engine) {
            Throwable inCoroutine = Async.run(engine, () -> catchThrowable(() -> Async.run(engine, () -> 1)));

            assertThat(inCoroutine)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("running event loop");
        }

        @AllEngines
        void cannotBeCalledFromAPlainCallbackOfARunningLoop(CoroutineEngine engine) {
            try (EventLoop loop = new EventLoop(engine)) {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                loop.callSoon(() -> {
                    thrown.set(catchThrowable(() -> Async.run(engine, () -> 1)));
                    loop.stop();
                });
                loop.runForever();

                assertThat(thrown.get())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("running event loop");
            }
        }

        @Test
        void aNullCoroutineIsRejectedByName() {
            assertThatNullPointerException().isThrownBy(() -> Async.run(null)).withMessageContaining("main");
            assertThatNullPointerException()
                    .isThrownBy(() -> Async.run(CoroutineEngine.THREADS, null))
                    .withMessageContaining("main");
            assertThatNullPointerException()
                    .isThrownBy(() -> Async.run(TestEventLoop::new, null))
                    .withMessageContaining("main");
        }
    }

    /** {@code Async.run(loopFactory, main)}: Python 3.12's {@code asyncio.run(main, loop_factory=...)}. */
    @Nested
    class RunWithALoopFactory {

        @AllEngines
        void mainRunsOnTheLoopTheFactoryMakesHereOnVirtualTime(CoroutineEngine engine) {
            List<EventLoop> made = new ArrayList<>();
            long start = System.nanoTime();

            Duration slept = Async.run(
                    () -> {
                        TestEventLoop loop = new TestEventLoop(engine);
                        made.add(loop);
                        return loop;
                    },
                    () -> {
                        assertThat(Async.loop()).isSameAs(made.get(0));
                        long before = Async.loop().time();
                        Async.sleep(Duration.ofHours(1));
                        return Duration.ofNanos(Async.loop().time() - before);
                    });

            assertThat(made).as("the factory is called once").hasSize(1);
            assertThat(made.get(0).engine()).isEqualTo(engine);
            assertThat(slept).as("the loop's clock").isEqualTo(Duration.ofHours(1));
            // an hour on real time; PROMPTLY leaves room for a loaded machine
            assertThat(since(start)).as("wall time of an hour of virtual time").isLessThan(PROMPTLY);
        }

        @AllEngines
        void theTasksLeftBehindAreCancelledThenTheLoopIsClosed(CoroutineEngine engine) {
            AtomicReference<TestEventLoop> loop = new AtomicReference<>();
            AtomicReference<Task<?>> leftover = new AtomicReference<>();

            String result = Async.run(
                    () -> {
                        loop.set(new TestEventLoop(engine));
                        return loop.get();
                    },
                    () -> {
                        leftover.set(Async.createTask(() -> {
                            events.add("leftover sleeps");
                            try {
                                Async.sleep(FOREVER);
                                events.add("leftover woke up");
                            } catch (CancellationException e) {
                                events.add("leftover cancelled");
                                throw e;
                            } finally {
                                events.add("leftover finally at "
                                        + Duration.ofNanos(Async.loop().time()));
                            }
                            return null;
                        }));
                        Async.sleep(STEP); // the leftover reaches its sleep
                        events.add("main returns");
                        return "done";
                    });

            assertThat(result).isEqualTo("done");
            // cancelled at shutdown, at once: the clock did not jump to the leftover's timer
            assertThat(events)
                    .containsExactly(
                            "leftover sleeps", "main returns", "leftover cancelled", "leftover finally at " + STEP);
            assertThat(leftover.get().isCancelled()).isTrue();
            assertThat(loop.get().isClosed()).isTrue();
        }

        @AllEngines
        void theLoopIsClosedWhenMainFailsToo(CoroutineEngine engine) {
            AtomicReference<TestEventLoop> loop = new AtomicReference<>();
            IllegalStateException boom = new IllegalStateException("boom");

            Throwable thrown = catchThrowable(() -> Async.run(
                    () -> {
                        loop.set(new TestEventLoop(engine));
                        return loop.get();
                    },
                    () -> {
                        Async.sleep(STEP);
                        throw boom;
                    }));

            assertThat(thrown).isSameAs(boom);
            assertThat(loop.get().isClosed()).isTrue();
        }

        @Test
        void aNullFactoryOrAFactoryReturningNullIsRejected() {
            assertThatNullPointerException()
                    .isThrownBy(() -> Async.run((Supplier<EventLoop>) null, () -> 1))
                    .withMessageContaining("loopFactory");
            assertThatNullPointerException()
                    .isThrownBy(() -> Async.run(() -> null, () -> 1))
                    .withMessage("loopFactory returned null");
        }

        @Test
        void aClosedLoopIsRejectedAndMainNeverRuns() {
            EventLoop closed = new TestEventLoop();
            closed.close();

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Async.run(() -> closed, () -> {
                        events.add("main runs");
                        return 1;
                    }))
                    .withMessageContaining("loopFactory must return a new loop")
                    .withMessageContaining("closed");
            assertThat(events).isEmpty();
        }

        @Test
        void aLoopRunningOnAnotherThreadIsRejectedAndLeftRunning() throws InterruptedException {
            EventLoop running = new EventLoop();
            CountDownLatch started = new CountDownLatch(1);
            running.callSoon(started::countDown);
            Thread other = new Thread(running::runForever, "runs-the-other-loop");
            other.start();
            try {
                assertThat(started.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS))
                        .isTrue();

                assertThatIllegalArgumentException()
                        .isThrownBy(() -> Async.run(() -> running, () -> {
                            events.add("main runs");
                            return 1;
                        }))
                        .withMessageContaining("loopFactory must return a new loop")
                        .withMessageContaining("running");
                assertThat(events).isEmpty();
                assertThat(running.isRunning()).isTrue();
                assertThat(running.isClosed())
                        .as("Async.run closes only a loop it took")
                        .isFalse();
            } finally {
                running.callSoonThreadsafe(running::stop);
                other.join(PROMPTLY.toMillis());
                running.close();
            }
            assertThat(other.isAlive()).isFalse();
        }

        @AllEngines
        void insideARunningLoopItIsRefusedBeforeTheFactoryIsCalled(CoroutineEngine engine) {
            AtomicInteger calls = new AtomicInteger();

            Throwable thrown = Async.run(
                    engine,
                    () -> catchThrowable(() -> Async.run(
                            () -> {
                                calls.incrementAndGet();
                                return new TestEventLoop(engine);
                            },
                            () -> 1)));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("running event loop");
            assertThat(calls).hasValue(0);
        }
    }

    @Nested
    class Await {

        @AllEngines
        void aLoopFutureCompletedLaterByACallback(CoroutineEngine engine) {
            String value = Async.run(engine, () -> {
                LoopFuture<String> future = Async.loop().createFuture();
                Async.loop().callLater(STEP, () -> {
                    events.add("callback sets the result");
                    future.setResult("set by a callback");
                });
                events.add("coroutine awaits");
                String v = Async.await(future);
                events.add("coroutine resumes with " + v);
                return v;
            });

            assertThat(value).isEqualTo("set by a callback");
            assertThat(events)
                    .containsExactly(
                            "coroutine awaits", "callback sets the result", "coroutine resumes with set by a callback");
        }

        @AllEngines
        void aTaskReturnsItsResult(CoroutineEngine engine) {
            String value = Async.run(engine, () -> {
                Task<String> slow = Async.createTask(() -> {
                    Async.sleep(STEP);
                    return "A return value from the slow operation";
                });
                return Async.await(slow);
            });

            assertThat(value).isEqualTo("A return value from the slow operation");
        }

        @AllEngines
        void aCompletableFutureCompletedLaterOnAnotherThreadIsSeenOnTheLoop(CoroutineEngine engine) throws Exception {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Thread completer = new Thread(
                    () -> {
                        sleepQuietly(STEP);
                        cf.complete("from elsewhere");
                    },
                    "completer");
            AtomicReference<Thread> resumedOn = new AtomicReference<>();
            AtomicReference<EventLoop> runningThen = new AtomicReference<>();
            boolean[] inLoop = {false};

            String value = Async.run(engine, () -> {
                EventLoop loop = Async.loop();
                completer.start();
                String v = Async.await(cf);
                resumedOn.set(Thread.currentThread());
                runningThen.set(EventLoop.running());
                inLoop[0] = loop.inLoop();
                assertThat(runningThen.get()).isSameAs(loop);
                return v;
            });
            completer.join(PROMPTLY.toMillis());

            assertThat(value).isEqualTo("from elsewhere");
            assertThat(resumedOn.get()).isNotSameAs(completer);
            assertThat(runningThen.get()).isNotNull();
            assertThat(inLoop[0])
                    .as("the coroutine owns the loop when it resumes")
                    .isTrue();
        }

        @AllEngines
        void aCompletableFutureAlreadyDoneDoesNotSuspend(CoroutineEngine engine) {
            String value = Async.run(engine, () -> {
                Async.loop().callSoon(() -> events.add("other callback"));
                String v = Async.await(CompletableFuture.completedFuture("ready"));
                events.add("await returned " + v);
                Async.sleep(Duration.ZERO);
                return v;
            });

            assertThat(value).isEqualTo("ready");
            assertThat(events).containsExactly("await returned ready", "other callback");
        }

        @AllEngines
        void aFailedCompletableFutureRethrowsItsFailure(CoroutineEngine engine) {
            IllegalArgumentException bad = new IllegalArgumentException("bad");
            IOException io = new IOException("io");

            List<Throwable> thrown = Async.run(engine, () -> {
                List<Throwable> t = new ArrayList<>();
                t.add(catchThrowable(() -> Async.await(CompletableFuture.failedFuture(bad))));
                t.add(catchThrowable(() -> Async.await(CompletableFuture.failedFuture(io))));
                CompletableFuture<String> later = new CompletableFuture<>();
                new Thread(
                                () -> {
                                    sleepQuietly(STEP);
                                    later.completeExceptionally(io);
                                },
                                "failer")
                        .start();
                t.add(catchThrowable(() -> Async.await(later)));
                return t;
            });

            assertThat(thrown.get(0)).isSameAs(bad);
            assertThat(thrown.get(1))
                    .isExactlyInstanceOf(CompletionException.class)
                    .hasCause(io);
            assertThat(thrown.get(2))
                    .isExactlyInstanceOf(CompletionException.class)
                    .hasCause(io);
        }

        @AllEngines
        void aCancelledCompletableFutureThrowsCancellationException(CoroutineEngine engine) {
            Throwable thrown = Async.run(engine, () -> {
                CompletableFuture<String> cf = new CompletableFuture<>();
                Async.loop().callLater(STEP, () -> cf.cancel(false));
                return catchThrowable(() -> Async.await(cf));
            });

            assertThat(thrown).isInstanceOf(CancellationException.class);
        }

        @Test
        void outsideACoroutineItSaysToUseAsyncRun() {
            try (EventLoop loop = new EventLoop()) {
                LoopFuture<String> future = loop.createFuture();

                assertThatIllegalStateException()
                        .isThrownBy(() -> Async.await(future))
                        .withMessageContaining("Async.run");
                assertThatIllegalStateException()
                        .isThrownBy(() -> Async.await(new CompletableFuture<String>()))
                        .withMessageContaining("Async.run");
                assertThatIllegalStateException()
                        .isThrownBy(() -> Async.sleep(STEP))
                        .withMessageContaining("Async.run");
            }
        }

        @AllEngines
        void inAPlainLoopCallbackItIsRefused(CoroutineEngine engine) {
            try (EventLoop loop = new EventLoop(engine)) {
                LoopFuture<String> future = loop.createFuture();
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                loop.callSoon(() -> {
                    thrown.set(catchThrowable(() -> Async.await(future)));
                    loop.stop();
                });
                loop.runForever();

                assertThat(thrown.get())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("Async.run");
            }
        }

        @AllEngines
        void aFutureOfAnotherLoopIsRefused(CoroutineEngine engine) {
            try (EventLoop other = new EventLoop(engine)) {
                LoopFuture<String> foreign = other.createFuture();

                Throwable thrown = Async.run(engine, () -> catchThrowable(() -> Async.await(foreign)));

                assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("another event loop");
            }
        }

        @AllEngines
        void aTaskAwaitingItselfIsRefusedInsteadOfHanging(CoroutineEngine engine) {
            long start = System.nanoTime();

            Throwable thrown = Async.run(engine, () -> catchThrowable(() -> Async.await(Async.currentTask())));

            assertThat(thrown)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Task cannot await on itself");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }
    }

    /** The programs of seed 003 ("Asynchronous Python"), with 20 ms standing for its 1 s sleeps. */
    @Nested
    class SeedPrograms {

        /** {@code compute(x, y)}: prints, sleeps, returns the sum. */
        int compute(int x, int y) {
            events.add("Compute " + x + " + " + y + " ...");
            Async.sleep(STEP);
            return x + y;
        }

        /** {@code print_sum(x, y)}: calling {@code compute} directly is Python's {@code yield from compute(x, y)}. */
        Void printSum(int x, int y) {
            int result = compute(x, y);
            events.add(x + " + " + y + " = " + result);
            return null;
        }

        @AllEngines
        void twoCoroutinesChainedTogether(CoroutineEngine engine) {
            long start = System.nanoTime();

            Async.run(engine, () -> printSum(1, 2));

            assertThat(events).containsExactly("Compute 1 + 2 ...", "1 + 2 = 3");
            assertThat(since(start)).isGreaterThanOrEqualTo(STEP);
        }

        @AllEngines
        void aTaskWithADoneCallbackThatStopsTheLoop(CoroutineEngine engine) {
            try (EventLoop loop = new EventLoop(engine)) {
                Task<String> task = loop.createTask(() -> {
                    Async.sleep(STEP);
                    return "A return value from the slow_operation coroutine!";
                });
                task.addDoneCallback(f -> {
                    events.add(f.result());
                    loop.stop();
                });
                events.add("loop runs");

                loop.runForever();

                assertThat(events).containsExactly("loop runs", "A return value from the slow_operation coroutine!");
            }
        }

        int factorial(String name, int number) {
            int f = 1;
            for (int i = 2; i <= number; i++) {
                events.add("Task " + name + ": Compute factorial(" + i + ")...");
                Async.sleep(STEP);
                f *= i;
            }
            events.add("Task " + name + ": factorial(" + number + ") = " + f);
            return f;
        }

        @AllEngines
        void threeTasksComputeFactorialsInParallel(CoroutineEngine engine) {
            List<Integer> results = Async.run(engine, () -> {
                List<Task<Integer>> tasks = List.of(
                        Async.createTask(() -> factorial("A", 2)),
                        Async.createTask(() -> factorial("B", 3)),
                        Async.createTask(() -> factorial("C", 4)));
                return Async.await(Async.gather(tasks));
            });

            assertThat(results).containsExactly(2, 6, 24);
            assertThat(events)
                    .containsExactly(
                            "Task A: Compute factorial(2)...",
                            "Task B: Compute factorial(2)...",
                            "Task C: Compute factorial(2)...",
                            "Task A: factorial(2) = 2",
                            "Task B: Compute factorial(3)...",
                            "Task C: Compute factorial(3)...",
                            "Task B: factorial(3) = 6",
                            "Task C: Compute factorial(4)...",
                            "Task C: factorial(4) = 24");
        }
    }

    @Nested
    class Sleep {

        @AllEngines
        void sleepZeroYieldsToTheLoopExactlyOnce(CoroutineEngine engine) {
            Async.run(engine, () -> {
                EventLoop loop = Async.loop();
                loop.callSoon(() -> {
                    events.add("callback 1");
                    loop.callSoon(() -> events.add("callback 2"));
                });
                events.add("before sleep(0)");
                Async.sleep(Duration.ZERO);
                events.add("after sleep(0)");
                Async.sleep(Duration.ZERO);
                return null;
            });

            // one yield: the coroutine resumes after callback 1 and before the callback it scheduled
            assertThat(events).containsExactly("before sleep(0)", "callback 1", "after sleep(0)", "callback 2");
        }

        @AllEngines
        void twoTasksSleepingZeroAlternate(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Coroutine<Void> a = () -> ticks("A", Duration.ZERO);
                Coroutine<Void> b = () -> ticks("B", Duration.ZERO);
                return Async.await(Async.gather(Async.createTask(a), Async.createTask(b)));
            });

            assertThat(events).containsExactly("A0", "B0", "A1", "B1", "A2", "B2");
        }

        @AllEngines
        void aNegativeSleepIsASleepOfZero(CoroutineEngine engine) {
            long start = System.nanoTime();

            Async.run(engine, () -> {
                Duration negative = Duration.ofMillis(-500);
                return Async.await(Async.gather(
                        Async.createTask(() -> ticks("A", negative)), Async.createTask(() -> ticks("B", negative))));
            });

            assertThat(events).containsExactly("A0", "B0", "A1", "B1", "A2", "B2");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void sleepSuspendsForAtLeastTheDelay(CoroutineEngine engine) {
            Duration slept = Async.run(engine, () -> {
                long start = System.nanoTime();
                Async.sleep(Duration.ofMillis(50));
                return since(start);
            });

            assertThat(slept).isGreaterThanOrEqualTo(Duration.ofMillis(50)).isLessThan(PROMPTLY);
        }

        private Void ticks(String name, Duration pause) {
            for (int i = 0; i < 3; i++) {
                events.add(name + i);
                Async.sleep(pause);
            }
            return null;
        }
    }

    @Nested
    class Gather {

        Coroutine<String> after(Duration delay, String value) {
            return () -> {
                Async.sleep(delay);
                events.add(value + " done");
                return value;
            };
        }

        @AllEngines
        void resultsComeInArgumentOrderWhateverTheCompletionOrder(CoroutineEngine engine) {
            List<String> results = VirtualTime.run(engine, () -> {
                List<String> r = Async.await(Async.gather(
                        Async.createTask(after(Duration.ofMillis(90), "slow")),
                        Async.createTask(after(Duration.ofMillis(10), "fast")),
                        Async.createTask(after(Duration.ofMillis(50), "medium"))));
                assertThat(VirtualTime.now())
                        .as("gather waited for the slowest")
                        .isEqualTo(Duration.ofMillis(90));
                return r;
            });

            assertThat(events).containsExactly("fast done", "medium done", "slow done");
            assertThat(results).containsExactly("slow", "fast", "medium");
        }

        @AllEngines
        void theFirstFailurePropagatesWhileTheOthersKeepRunning(CoroutineEngine engine) {
            IllegalStateException boom = new IllegalStateException("boom");

            Async.run(engine, () -> {
                LoopFuture<String> release = Async.loop().createFuture();
                Task<String> failing = Async.createTask(() -> {
                    Async.sleep(STEP);
                    events.add("failing throws");
                    throw boom;
                });
                Task<String> other = Async.createTask(() -> {
                    String value = Async.await(release);
                    events.add("other completes");
                    return value;
                });

                Throwable thrown = catchThrowable(() -> Async.await(Async.gather(failing, other)));
                events.add("gather threw " + thrown.getMessage());
                assertThat(thrown).isSameAs(boom);
                assertThat(other.isDone()).as("the other task still runs").isFalse();

                release.setResult("other");
                assertThat(Async.await(other)).isEqualTo("other");
                return null;
            });

            assertThat(events).containsExactly("failing throws", "gather threw boom", "other completes");
        }

        @AllEngines
        void gatherSettledGivesEveryOutcome(CoroutineEngine engine) {
            IOException io = new IOException("io");

            List<LoopFuture<String>> outcomes = Async.run(engine, () -> {
                Task<String> ok = Async.createTask(after(STEP, "ok"));
                Task<String> failed = Async.createTask(() -> {
                    Async.sleep(STEP);
                    throw io;
                });
                Task<String> cancelled = Async.createTask(after(FOREVER, "never"));
                Async.loop().callLater(STEP, () -> cancelled.cancel());
                return Async.await(Async.gatherSettled(ok, failed, cancelled));
            });

            assertThat(outcomes).hasSize(3).allMatch(LoopFuture::isDone);
            assertThat(outcomes.get(0).result()).isEqualTo("ok");
            assertThat(outcomes.get(1).exception()).isSameAs(io);
            assertThat(outcomes.get(2).isCancelled()).isTrue();
        }

        @AllEngines
        void cancellingTheGatherCancelsTheChildren(CoroutineEngine engine) {
            long start = System.nanoTime();

            Async.run(engine, () -> {
                Coroutine<String> child = () -> {
                    try {
                        Async.sleep(FOREVER);
                        return "never";
                    } finally {
                        events.add(Async.currentTask().getName() + " finally");
                    }
                };
                Task<String> a = Async.createTask(child, "a");
                Task<String> b = Async.createTask(child, "b");
                LoopFuture<List<String>> all = Async.gather(a, b);
                Async.sleep(Duration.ZERO);

                assertThat(all.cancel()).isTrue();
                Throwable thrown = catchThrowable(() -> Async.await(all));
                events.add("gather: " + thrown.getClass().getSimpleName());

                assertThat(a.isCancelled()).isTrue();
                assertThat(b.isCancelled()).isTrue();
                assertThat(all.isCancelled()).isTrue();
                return null;
            });

            assertThat(events).containsExactly("a finally", "b finally", "gather: CancellationException");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void cancellingTheTaskThatAwaitsTheGatherCancelsTheChildren(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> a = Async.createTask(after(FOREVER, "a"));
                Task<String> b = Async.createTask(after(FOREVER, "b"));
                Task<List<String>> waiter = Async.createTask(() -> Async.await(Async.gather(a, b)));
                Async.sleep(Duration.ZERO);

                waiter.cancel("enough");
                assertThatThrownBy(() -> Async.await(waiter)).isInstanceOf(CancellationException.class);
                assertThat(a.isCancelled()).isTrue();
                assertThat(b.isCancelled()).isTrue();
                return null;
            });
        }

        @AllEngines
        void cancellingAGatherSettledCancelsTheChildrenAndEndsCancelledOnceTheyAreDone(CoroutineEngine engine) {
            // asyncio: gather(..., return_exceptions=True).cancel() cancels the children too, and the
            // cancellation propagates whatever return_exceptions says (bpo-32684)
            VirtualTime.run(engine, () -> {
                Task<String> a = Async.createTask(() -> {
                    try {
                        Async.sleep(FOREVER);
                        return "never";
                    } finally {
                        Async.sleep(STEP);
                        events.add("a cleaned up at " + VirtualTime.now());
                    }
                });
                LoopFuture<List<LoopFuture<String>>> settled = Async.gatherSettled(a);
                Async.sleep(Duration.ZERO);

                assertThat(settled.cancel("stop")).isTrue();
                Throwable thrown = catchThrowable(() -> Async.await(settled));
                events.add("gatherSettled: " + thrown.getClass().getSimpleName() + " " + thrown.getMessage());

                assertThat(a.isCancelled()).isTrue();
                assertThat(settled.isCancelled()).isTrue();
                return null;
            });

            assertThat(events).containsExactly("a cleaned up at " + STEP, "gatherSettled: CancellationException stop");
        }

        @AllEngines
        void cancellingTheTaskThatAwaitsAGatherSettledCancelsTheChildren(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> a = Async.createTask(after(FOREVER, "a"));
                Task<List<LoopFuture<String>>> waiter = Async.createTask(() -> Async.await(Async.gatherSettled(a)));
                Async.sleep(Duration.ZERO);

                waiter.cancel("enough");
                assertThatThrownBy(() -> Async.await(waiter)).isInstanceOf(CancellationException.class);
                assertThat(waiter.isCancelled()).isTrue();
                assertThat(a.isCancelled()).isTrue();
                return null;
            });
        }

        @AllEngines
        void aCancelledGatherEndsCancelledEvenWhenEveryChildSwallowsTheCancellation(CoroutineEngine engine) {
            // asyncio: the task awaiting the gather is cancelled; it must not get the results instead
            Async.run(engine, () -> {
                Task<String> stubborn = Async.createTask(() -> {
                    try {
                        Async.sleep(FOREVER);
                        return "slept";
                    } catch (CancellationException e) {
                        return "swallowed";
                    }
                });
                Task<List<String>> waiter = Async.createTask(() -> {
                    List<String> r = Async.await(Async.gather(stubborn));
                    events.add("waiter got " + r);
                    return r;
                });
                Async.sleep(Duration.ZERO);

                waiter.cancel("enough");
                Throwable thrown = catchThrowable(() -> Async.await(waiter));
                assertThat(thrown).isInstanceOf(CancellationException.class);
                assertThat(waiter.isCancelled()).isTrue();
                assertThat(stubborn.result()).isEqualTo("swallowed");
                return null;
            });

            assertThat(events).isEmpty();
        }

        @AllEngines
        void cancellingAGatherWhoseChildrenAreAllDoneReturnsFalseAndKeepsTheResults(CoroutineEngine engine) {
            Async.run(engine, () -> {
                LoopFuture<String> child = Async.loop().createFuture();
                LoopFuture<List<String>> all = Async.gather(child);
                child.setResult("done"); // the gather hears of it in the next lap

                assertThat(all.cancel()).as("nothing left to cancel").isFalse();
                assertThat(Async.await(all)).containsExactly("done");
                return null;
            });
        }

        @AllEngines
        void aGatherCancelledTwiceStillWaitsForItsChildrenToFinishCancelling(CoroutineEngine engine) {
            VirtualTime.run(engine, () -> {
                Task<String> a = Async.createTask(() -> {
                    try {
                        Async.sleep(FOREVER);
                        return "never";
                    } finally {
                        Async.sleep(STEP);
                        events.add("a cleaned up");
                    }
                });
                LoopFuture<List<String>> all = Async.gather(a);
                Async.sleep(Duration.ZERO);

                assertThat(all.cancel()).isTrue();
                assertThat(all.cancel()).isTrue();
                assertThat(all.isDone()).as("a is still cleaning up").isFalse();
                Throwable thrown = catchThrowable(() -> Async.await(all));
                events.add("gather: " + thrown.getClass().getSimpleName());
                assertThat(all.isCancelled()).isTrue();
                return null;
            });

            assertThat(events).containsExactly("a cleaned up", "gather: CancellationException");
        }

        @AllEngines
        void gatheringNothingGivesAnEmptyList(CoroutineEngine engine) {
            List<String> results = Async.run(engine, () -> Async.await(Async.gather(List.<Task<String>>of())));

            assertThat(results).isEmpty();
        }
    }

    @Nested
    class ToThread {

        @AllEngines
        void runsOnAnotherThreadAndTheResultComesBack(CoroutineEngine engine) {
            AtomicReference<Thread> coroutineThread = new AtomicReference<>();
            boolean[] ownsTheLoopAfter = {false};

            String worker = Async.run(engine, () -> {
                coroutineThread.set(Thread.currentThread());
                String name = Async.toThread(() -> Thread.currentThread().getName());
                ownsTheLoopAfter[0] = Async.loop().inLoop();
                return name;
            });

            assertThat(worker)
                    .startsWith("loopbridge-executor-")
                    .isNotEqualTo(coroutineThread.get().getName());
            assertThat(ownsTheLoopAfter[0]).isTrue();
        }

        @AllEngines
        void theLoopKeepsRunningWhileTheBlockingCallWaits(CoroutineEngine engine) {
            CountDownLatch ticked = new CountDownLatch(3);

            Async.run(engine, () -> {
                Task<Void> ticker = Async.createTask(() -> {
                    for (int i = 1; i <= 3; i++) {
                        Async.sleep(Duration.ofMillis(5));
                        events.add("tick " + i);
                        ticked.countDown();
                    }
                    return null;
                });
                // blocks a worker thread until the ticker, running on the loop meanwhile, has ticked 3 times
                boolean sawTicks = Async.toThread(() -> ticked.await(FOREVER.toSeconds(), TimeUnit.SECONDS));
                events.add("toThread returned " + sawTicks);
                return Async.await(ticker);
            });

            assertThat(events).containsExactly("tick 1", "tick 2", "tick 3", "toThread returned true");
        }

        @AllEngines
        void aFailureOfTheBlockingCallIsRethrown(CoroutineEngine engine) {
            IOException io = new IOException("no such file");

            Throwable thrown = Async.run(
                    engine,
                    () -> catchThrowable(() -> Async.toThread(() -> {
                        throw io;
                    })));

            assertThat(thrown).isExactlyInstanceOf(CompletionException.class).hasCause(io);
        }
    }

    @Nested
    class Introspection {

        @AllEngines
        void currentTaskIsTheTaskRunningTheCoroutine(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<?> main = Async.currentTask();
                assertThat(main).isNotNull();
                AtomicReference<Task<?>> seenInside = new AtomicReference<>();
                Task<String> task = Async.createTask(() -> {
                    seenInside.set(Async.currentTask());
                    return "x";
                });
                Async.await(task);
                assertThat(seenInside.get()).isSameAs(task);
                assertThat(Async.currentTask()).isSameAs(main);
                return null;
            });
        }

        @AllEngines
        void currentTaskIsNullInAPlainLoopCallbackAndOutsideALoop(CoroutineEngine engine) {
            try (EventLoop loop = new EventLoop(engine)) {
                AtomicReference<Object> inCallback = new AtomicReference<>("not run");
                loop.callSoon(() -> {
                    inCallback.set(Async.currentTask());
                    loop.stop();
                });
                loop.runForever();

                assertThat(inCallback.get()).isNull();
            }
            assertThat(Async.currentTask()).isNull();
        }

        @AllEngines
        void allTasksListsTheTasksNotDoneYet(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<?> main = Async.currentTask();
                Task<String> a = Async.createTask(() -> "a");
                Task<String> b = Async.createTask(() -> {
                    Async.sleep(STEP);
                    return "b";
                });
                assertThat(Async.allTasks()).containsExactly(main, a, b);

                Async.sleep(Duration.ZERO);
                assertThat(Async.allTasks()).as("a is done").containsExactly(main, b);

                Async.await(b);
                assertThat(Async.allTasks()).containsExactly(main);
                return null;
            });
        }

        @Test
        void allTasksNeedsARunningLoop() {
            assertThatIllegalStateException().isThrownBy(Async::allTasks).withMessageContaining("Async.run");
        }
    }

    static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
