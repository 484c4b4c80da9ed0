package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Task}: names, failures, introspection, and cancellation exactly as asyncio's {@code
 * Task.cancel}, {@code cancelling}, {@code uncancel} and {@code shield}. Every test runs on each
 * coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class TaskTest {
    static final Duration STEP = Duration.ofMillis(20);
    /** Longer than any test may take: reaching it means a cancellation went missing. */
    static final Duration FOREVER = Duration.ofSeconds(30);

    static final Duration PROMPTLY = Duration.ofSeconds(5);

    final List<String> events = new CopyOnWriteArrayList<>();

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** A coroutine that records its cancellation and its finally, then sleeps "forever". */
    Coroutine<String> sleeper(String name) {
        return () -> {
            events.add(name + " sleeps");
            try {
                Async.sleep(FOREVER);
                events.add(name + " woke up");
                return name;
            } catch (CancellationException e) {
                events.add(name + " cancelled: " + e.getMessage());
                throw e;
            } finally {
                events.add(name + " finally");
            }
        };
    }

    @Nested
    class Names {

        @AllEngines
        void aTaskIsNamedTaskNUnlessNamed(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> first = Async.createTask(() -> "1");
                Task<String> second = Async.createTask(() -> "2");
                Task<String> named = Async.createTask(() -> "3", "worker");

                assertThat(first.getName()).matches("Task-\\d+");
                assertThat(second.getName()).matches("Task-\\d+");
                int n1 = Integer.parseInt(first.getName().substring("Task-".length()));
                int n2 = Integer.parseInt(second.getName().substring("Task-".length()));
                assertThat(n2).isGreaterThan(n1);
                assertThat(named.getName()).isEqualTo("worker");
                assertThat(named.toString()).contains("worker");

                named.setName("renamed");
                assertThat(named.getName()).isEqualTo("renamed");
                assertThatNullPointerException()
                        .isThrownBy(() -> named.setName(null))
                        .withMessageContaining("name");
                return Async.await(Async.gather(first, second, named));
            });
        }

        /**
         * The number in a default name is kept in an int read as unsigned, and a task past the
         * 2^32nd gets its name made up front: the names stay {@code Task-N} with N growing, across
         * both the int's sign bit and its end. The counter is moved there and back by reflection.
         */
        @AllEngines
        void defaultNamesStayUniqueAndGrowingPastTwoToThe31stAndTwoToThe32ndTask(CoroutineEngine engine)
                throws Exception {
            java.lang.reflect.Field counterField = Task.class.getDeclaredField("COUNTER");
            counterField.setAccessible(true);
            java.util.concurrent.atomic.AtomicLong counter =
                    (java.util.concurrent.atomic.AtomicLong) counterField.get(null);
            List<String> names = new java.util.ArrayList<>();
            long saved = counter.get();
            try {
                Async.run(engine, () -> {
                    for (long start : new long[] {(1L << 31) - 2, (1L << 32) - 2}) {
                        counter.set(start);
                        for (int i = 0; i < 3; i++) {
                            Task<Void> t = Async.createTask(() -> null);
                            Async.await(t);
                            names.add(t.getName());
                        }
                    }
                    return null;
                });
            } finally {
                counter.set(saved); // the other tests parse their numbers as ints
            }

            assertThat(names)
                    .containsExactly(
                            "Task-2147483647",
                            "Task-2147483648",
                            "Task-2147483649",
                            "Task-4294967295",
                            "Task-4294967296",
                            "Task-4294967297");
        }
    }

    @Nested
    class Failure {

        @AllEngines
        void aCoroutineThatThrowsFailsItsTask(CoroutineEngine engine) {
            IllegalStateException boom = new IllegalStateException("boom");

            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    Async.sleep(STEP);
                    throw boom;
                });
                Throwable thrown = catchThrowable(() -> Async.await(task));

                assertThat(thrown).isSameAs(boom);
                assertThat(task.isDone()).isTrue();
                assertThat(task.isCancelled()).isFalse();
                assertThat(task.exception()).isSameAs(boom);
                return null;
            });
        }

        @AllEngines
        void aTaskRefusesSetResultAndSetExceptionAsAsyncioDoesAndRunsItsCoroutine(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> "from the coroutine");

                assertThatThrownBy(() -> task.setResult("forced"))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("Task does not support setResult");
                assertThatThrownBy(() -> task.setException(new IOException("forced")))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("cancel()");
                assertThat(task.isDone()).isFalse();
                assertThat(Async.await(task)).isEqualTo("from the coroutine");
                return null;
            });
        }

        @AllEngines
        void aCheckedExceptionIsTheTasksExceptionAndAwaitWrapsIt(CoroutineEngine engine) {
            IOException io = new IOException("io");

            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    throw io;
                });
                Throwable thrown = catchThrowable(() -> Async.await(task));

                assertThat(thrown)
                        .isExactlyInstanceOf(CompletionException.class)
                        .hasCause(io);
                assertThat(task.exception()).isSameAs(io);
                return null;
            });
        }

        @AllEngines
        void aTaskThatReturnsAnExceptionSucceedsWithItAsItsResult(CoroutineEngine engine) {
            IOException value = new IOException("a value, not a failure");

            Async.run(engine, () -> {
                Task<IOException> task = Async.createTask(() -> {
                    Async.sleep(STEP);
                    return value;
                });

                assertThat(Async.await(task)).isSameAs(value);
                assertThat(task.exception()).isNull();
                assertThat(task.isCancelled()).isFalse();
                assertThat(task.toString()).contains("finished result=");
                return null;
            });
        }

        @AllEngines
        void aTaskThatReturnsAStringIsNotCancelledAndKeepsItsNameInItsDescription(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(
                        () -> {
                            Async.sleep(STEP);
                            return "a result, not a cancel message";
                        },
                        "worker");

                assertThat(Async.await(task)).isEqualTo("a result, not a cancel message");
                assertThat(task.cancel("too late")).isFalse();
                assertThat(task.isCancelled()).isFalse();
                assertThat(task.toString())
                        .contains("name=worker finished result=a result, not a cancel message")
                        .doesNotContain("cancelled");
                return null;
            });
        }

        /**
         * asyncio logs "Future exception was never retrieved" when a failed future nobody read is
         * collected; in debug mode loopbridge does the same through the loop's exception handler.
         */
        @AllEngines
        void inDebugModeAnUnreadFailureIsReportedWhenTheTaskIsCollected(CoroutineEngine engine) {
            List<Map<String, Object>> reported = new CopyOnWriteArrayList<>();

            Async.run(engine, () -> {
                EventLoop loop = Async.loop();
                loop.setDebug(true);
                loop.setExceptionHandler((l, context) -> reported.add(context));
                startAFailingTaskNobodyReads();
                for (int i = 0; i < 200 && reported.isEmpty(); i++) {
                    Async.sleep(STEP);
                    System.gc();
                }
                return null;
            });

            assertThat(reported).isNotEmpty();
            Map<String, Object> context = reported.get(0);
            assertThat(context.get("message")).isEqualTo("Future exception was never retrieved");
            assertThat(context.get("exception"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasFieldOrPropertyWithValue("message", "nobody reads me");
        }

        @AllEngines
        void inDebugModeAFailureThatWasReadIsNotReported(CoroutineEngine engine) {
            List<Map<String, Object>> reported = new CopyOnWriteArrayList<>();

            Async.run(engine, () -> {
                EventLoop loop = Async.loop();
                loop.setDebug(true);
                loop.setExceptionHandler((l, context) -> reported.add(context));
                awaitAFailingTask();
                for (int i = 0; i < 10; i++) {
                    Async.sleep(STEP);
                    System.gc();
                }
                return null;
            });

            assertThat(reported).isEmpty();
        }

        private void startAFailingTaskNobodyReads() {
            Async.createTask(() -> {
                throw new IllegalStateException("nobody reads me");
            });
        }

        private void awaitAFailingTask() {
            Task<Object> task = Async.createTask(() -> {
                throw new IllegalStateException("read");
            });
            catchThrowable(() -> Async.await(task));
        }
    }

    @Nested
    class Cancellation {

        @AllEngines
        void cancelRaisesCancellationExceptionWithTheMessageAtTheCurrentAwait(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(sleeper("task"));
                Async.sleep(Duration.ZERO);

                events.add("main cancels");
                events.add("cancel returned " + task.cancel("stop now"));
                Throwable thrown = catchThrowable(() -> Async.await(task));
                events.add("main sees " + thrown.getClass().getSimpleName() + ": " + thrown.getMessage());

                assertThat(task.isCancelled()).isTrue();
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "task sleeps",
                            "main cancels",
                            "cancel returned true",
                            "task cancelled: stop now",
                            "task finally",
                            "main sees CancellationException: stop now");
        }

        @AllEngines
        void aTaskMayCatchTheCancellationAndGoOn(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    try {
                        Async.sleep(FOREVER);
                    } catch (CancellationException e) {
                        events.add("caught: " + e.getMessage());
                    }
                    Async.sleep(STEP); // later awaits work again
                    events.add("goes on");
                    return "finished anyway";
                });
                Async.sleep(Duration.ZERO);
                task.cancel("please stop");

                assertThat(Async.await(task)).isEqualTo("finished anyway");
                assertThat(task.isCancelled()).isFalse();
                assertThat(task.result()).isEqualTo("finished anyway");
                assertThat(task.cancelling())
                        .as("the request was not withdrawn")
                        .isEqualTo(1);
                return null;
            });

            assertThat(events).containsExactly("caught: please stop", "goes on");
        }

        @AllEngines
        void cancellingATaskThatAwaitsAnotherTaskCancelsTheInnerOne(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> inner = Async.createTask(sleeper("inner"));
                Task<String> outer = Async.createTask(() -> {
                    try {
                        return Async.await(inner);
                    } catch (CancellationException e) {
                        events.add("outer cancelled: " + e.getMessage());
                        throw e;
                    }
                });
                Async.sleep(Duration.ZERO);

                outer.cancel("from main");
                catchThrowable(() -> Async.await(outer));

                assertThat(outer.isCancelled()).isTrue();
                assertThat(inner.isCancelled()).isTrue();
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "inner sleeps",
                            "inner cancelled: from main",
                            "inner finally",
                            "outer cancelled: from main");
        }

        @AllEngines
        void aTaskCancelledBeforeItsFirstStepNeverRuns(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    events.add("body runs");
                    return "never";
                });
                assertThat(task.cancel("too early")).isTrue();

                Throwable thrown = catchThrowable(() -> Async.await(task));

                assertThat(thrown).isInstanceOf(CancellationException.class).hasMessage("too early");
                assertThat(task.isCancelled()).isTrue();
                return null;
            });

            assertThat(events).isEmpty();
        }

        @AllEngines
        void cancellingCountsRequestsAndUncancelWithdrawsThem(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    Task<?> me = Async.currentTask();
                    try {
                        Async.sleep(FOREVER);
                    } catch (CancellationException e) {
                        events.add("cancelling " + me.cancelling());
                        events.add("uncancel -> " + me.uncancel());
                        events.add("uncancel -> " + me.uncancel());
                        events.add("uncancel -> " + me.uncancel());
                    }
                    Async.sleep(STEP);
                    return "survived";
                });
                Async.sleep(Duration.ZERO);
                assertThat(task.cancelling()).isZero();

                task.cancel();
                task.cancel();
                events.add("after two cancels: " + task.cancelling());

                assertThat(Async.await(task)).isEqualTo("survived");
                assertThat(task.cancelling()).isZero();
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "after two cancels: 2", "cancelling 2", "uncancel -> 1", "uncancel -> 0", "uncancel -> 0");
        }

        @AllEngines
        void cancellingADoneTaskReturnsFalse(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> "done");
                Async.await(task);

                assertThat(task.cancel("late")).isFalse();
                assertThat(task.isCancelled()).isFalse();
                assertThat(task.cancelling()).isZero();
                assertThat(task.result()).isEqualTo("done");
                return null;
            });
        }

        @AllEngines
        void aTaskThatCancelsItselfIsCancelledAtItsNextAwait(CoroutineEngine engine) {
            long start = System.nanoTime();

            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> {
                    Async.currentTask().cancel("by myself");
                    events.add("still running after cancel()");
                    try {
                        Async.sleep(FOREVER);
                        events.add("slept through");
                    } catch (CancellationException e) {
                        events.add("cancelled: " + e.getMessage());
                        throw e;
                    }
                    return "never";
                });
                catchThrowable(() -> Async.await(task));

                assertThat(task.isCancelled()).isTrue();
                return null;
            });

            assertThat(events).containsExactly("still running after cancel()", "cancelled: by myself");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void aTaskThatCancelledItselfCancelsTheFutureItAwaitsNext(CoroutineEngine engine) {
            String outcome = Async.run(engine, () -> {
                LoopFuture<String> shared = Async.loop().createFuture();
                Task<String> other = Async.createTask(() -> {
                    try {
                        return "other got " + Async.await(shared);
                    } catch (CancellationException e) {
                        return "other saw the future cancelled: " + e.getMessage();
                    }
                });
                Task<String> task = Async.createTask(() -> {
                    Async.currentTask().cancel("by myself");
                    return Async.await(shared); // as asyncio's __step: the awaited future is cancelled
                });
                Throwable thrown = catchThrowable(() -> Async.await(task));

                assertThat(thrown).isInstanceOf(CancellationException.class).hasMessage("by myself");
                assertThat(task.isCancelled()).isTrue();
                assertThat(shared.isCancelled()).isTrue();
                return Async.await(other);
            });

            assertThat(outcome).isEqualTo("other saw the future cancelled: by myself");
        }

        @AllEngines
        void shieldProtectsTheInnerTaskFromTheCallersCancellation(CoroutineEngine engine) {
            Async.run(engine, () -> {
                LoopFuture<String> release = Async.loop().createFuture();
                Task<String> inner = Async.createTask(() -> {
                    String value = Async.await(release);
                    events.add("inner completes");
                    return value;
                });
                Task<String> outer = Async.createTask(() -> {
                    try {
                        return Async.await(Async.shield(inner));
                    } catch (CancellationException e) {
                        events.add("outer cancelled");
                        throw e;
                    }
                });
                Async.sleep(Duration.ZERO); // both wait

                outer.cancel();
                catchThrowable(() -> Async.await(outer));
                events.add("main: outer is cancelled " + outer.isCancelled() + ", inner done " + inner.isDone());
                release.setResult("inner result");

                assertThat(Async.await(inner)).isEqualTo("inner result");
                assertThat(inner.isCancelled()).isFalse();
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "outer cancelled", "main: outer is cancelled true, inner done false", "inner completes");
        }

        @AllEngines
        void cancellingTheShieldFutureItselfLeavesTheInnerRunning(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> inner = Async.createTask(() -> {
                    Async.sleep(STEP);
                    return "inner result";
                });
                LoopFuture<String> shielded = Async.shield(inner);
                assertThat(shielded.cancel()).isTrue();

                assertThat(Async.await(inner)).isEqualTo("inner result");
                assertThat(shielded.isCancelled()).isTrue();
                return null;
            });
        }
    }

    @Nested
    class Introspection {

        @AllEngines
        void stackTraceOfASuspendedTaskShowsWhereItWaits(CoroutineEngine engine) {
            StackTraceElement[] trace = Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> waitsInANamedMethod());
                Async.sleep(STEP);
                StackTraceElement[] t = task.stackTrace();
                task.cancel();
                return t;
            });

            assertThat(trace).as(Arrays.toString(trace)).isNotEmpty();
            assertThat(trace[0].getClassName())
                    .as("library frames are dropped")
                    .isEqualTo(Introspection.class.getName());
            assertThat(trace[0].getMethodName()).isEqualTo("waitsInANamedMethod");
            assertThat(trace)
                    .as("the test's own lambda is on the stack")
                    .anySatisfy(
                            f -> assertThat(f.getMethodName()).contains("stackTraceOfASuspendedTaskShowsWhereItWaits"));
        }

        @AllEngines
        void stackTraceEndsWithTheTasksOwnOutermostFrame(CoroutineEngine engine) {
            StackTraceElement[] trace = Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> waitsInANamedMethod());
                Async.sleep(STEP);
                StackTraceElement[] t = task.stackTrace();
                task.cancel();
                return t;
            });

            assertThat(trace)
                    .as("neither the loop's nor the engine's frames below the body: " + Arrays.toString(trace))
                    .isNotEmpty()
                    .allSatisfy(f -> assertThat(f.getClassName()).startsWith(Introspection.class.getName()));
            assertThat(trace)
                    .as("the coroutine itself (below it, at most its lambda's proxy on older JDKs)")
                    .anySatisfy(
                            f -> assertThat(f.getMethodName()).contains("stackTraceEndsWithTheTasksOwnOutermostFrame"));
        }

        @AllEngines
        void stackTraceIsEmptyBeforeTheFirstStepAndWhenDone(CoroutineEngine engine) {
            Async.run(engine, () -> {
                Task<String> task = Async.createTask(() -> "done");
                assertThat(task.stackTrace()).isEmpty();
                Async.await(task);
                assertThat(task.stackTrace()).isEmpty();
                return null;
            });
        }

        @AllEngines
        void dumpTasksListsLiveTasksAndWhereTheyWait(CoroutineEngine engine) {
            String dump = Async.run(engine, () -> {
                Task<String> task = Async.createTask(this::waitsInANamedMethod, "the-waiter");
                Async.sleep(STEP);
                StringBuilder out = new StringBuilder();
                Async.loop().dumpTasks(out);
                task.cancel();
                return out.toString();
            });

            assertThat(dump).contains("2 live task(s)");
            String waiter =
                    dump.lines().dropWhile(l -> !l.contains("the-waiter")).reduce("", (a, b) -> a + b + "\n");
            assertThat(waiter).contains("the-waiter", "waiting on");
            // a frame prints as "at [loader//]class.method(file:line)"
            assertThat(waiter)
                    .containsPattern(
                            "at (\\S+/)?" + Pattern.quote(Introspection.class.getName() + ".waitsInANamedMethod("));
        }

        @AllEngines
        void stackTraceOfATaskTakingTurnsShowsWhereItYields(CoroutineEngine engine) {
            // two tasks taking turns: on the continuation engine one of them waits without freezing,
            // under the other's stack (EventLoop.takeSwitchStep); asked from the other, its trace
            // is still its own frames
            StackTraceElement[][] traces = Async.run(engine, () -> {
                Task<?>[] other = new Task<?>[1];
                Task<StackTraceElement[][]> first = Async.createTask(() -> {
                    StackTraceElement[][] t = new StackTraceElement[4][];
                    for (int i = 0; i < t.length; i++) {
                        Async.sleep(Duration.ZERO);
                        t[i] = other[0].stackTrace();
                    }
                    return t;
                });
                other[0] = Async.createTask(() -> yieldsInANamedMethod());
                StackTraceElement[][] t = Async.await(first);
                other[0].cancel();
                return t;
            });

            for (StackTraceElement[] trace : traces) {
                assertThat(trace)
                        .as(Arrays.toString(trace))
                        .isNotEmpty()
                        .allSatisfy(f -> assertThat(f.getClassName()).startsWith(Introspection.class.getName()));
                assertThat(trace[0].getMethodName()).isEqualTo("yieldsInANamedMethod");
            }
        }

        private String waitsInANamedMethod() {
            Async.sleep(FOREVER);
            return "never";
        }

        private String yieldsInANamedMethod() {
            while (true) {
                Async.sleep(Duration.ZERO);
            }
        }
    }

    /** A coroutine that is itself a future: a task not started yet must not take it for what it awaits. */
    static final class FutureBody extends LoopFuture<String> implements Coroutine<String> {
        FutureBody(EventLoop loop) {
            super(loop);
        }

        @Override
        public String call() {
            return "ran";
        }
    }

    @Nested
    class NotStartedYet {

        @AllEngines
        void aTaskCancelledBeforeItsFirstStepEndsCancelledAndLeavesItsCoroutineAlone(CoroutineEngine engine) {
            Async.run(engine, () -> {
                FutureBody body = new FutureBody(EventLoop.running());
                Task<String> task = Async.createTask(body);

                assertThat(task.toString()).doesNotContain("waiting on");
                assertThat(task.stackTrace()).isEmpty();
                StringBuilder dump = new StringBuilder();
                EventLoop.running().dumpTasks(dump);
                assertThat(dump).contains(task.getName());
                assertThat(task.cancel("before it ran")).isTrue();

                Throwable thrown = catchThrowable(() -> Async.await(task));
                assertThat(thrown).isInstanceOf(CancellationException.class).hasMessage("before it ran");
                assertThat(body.isDone()).isFalse();
                return null;
            });
        }

        @AllEngines
        void aTaskCancelledAndUncancelledBeforeItsFirstStepRunsItsCoroutine(CoroutineEngine engine) {
            String result = Async.run(engine, () -> {
                FutureBody body = new FutureBody(EventLoop.running());
                Task<String> task = Async.createTask(body);
                task.cancel();
                assertThat(task.uncancel()).isZero();
                String r = Async.await(task);
                assertThat(body.isDone()).isFalse();
                return r;
            });
            assertThat(result).isEqualTo("ran");
        }
    }
}
