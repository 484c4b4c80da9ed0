package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.InstanceOfAssertFactories.THROWABLE;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TaskGroup}, read like asyncio's task-group documentation: both forms (try-with-resources
 * and {@link TaskGroup#run}), the first failure cancelling the rest, failures reported together in
 * {@link TaskGroupException}, and cancellation from outside. Every test runs on each coroutine
 * engine the JVM offers.
 *
 * <p>A test whose outcome depends on which of two sleeps or deadlines ends first runs on virtual
 * time ({@link VirtualTime}): there a task sleeping {@code 5 * STEP} finishes after one sleeping
 * {@code STEP} however slowly the machine starts their threads, and the test can check the loop time
 * at which the group let go.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class TaskGroupTest {
    static final Duration STEP = Duration.ofMillis(10);
    /** Longer than any test may take (see the class's timeout): reaching it means a cancellation went missing. */
    static final Duration FOREVER = Duration.ofSeconds(20);

    static final Duration PROMPTLY = Duration.ofSeconds(5);

    final List<String> events = new CopyOnWriteArrayList<>();

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Records its start, its cancellation and its finally, and sleeps "forever". */
    Coroutine<String> sleeper(String name) {
        return () -> {
            events.add(name + " sleeps");
            try {
                Async.sleep(FOREVER);
                events.add(name + " woke up");
                return name;
            } catch (CancellationException e) {
                events.add(name + " cancelled");
                throw e;
            } finally {
                events.add(name + " finally");
            }
        };
    }

    /** Sleeps {@code delay}, records that, and returns {@code name}. */
    Coroutine<String> after(Duration delay, String name) {
        return () -> {
            Async.sleep(delay);
            events.add(name + " done");
            return name;
        };
    }

    /** Sleeps {@code delay}, records that, and fails with {@code IllegalStateException(name)}. */
    Coroutine<String> failingAfter(Duration delay, String name) {
        return () -> {
            Async.sleep(delay);
            events.add(name + " fails");
            throw new IllegalStateException(name);
        };
    }

    @Nested
    class TryWithResources {

        @AllEngines
        void twoTasksSucceedAndAreDoneAfterTheBlock(CoroutineEngine engine) {
            String result = VirtualTime.run(engine, () -> {
                Task<String> a;
                Task<String> b;
                try (TaskGroup tg = new TaskGroup()) {
                    a = tg.createTask(after(STEP.multipliedBy(5), "a"));
                    b = tg.createTask(after(STEP, "b"));
                    events.add("body ends");
                }
                events.add("after the group");
                assertThat(VirtualTime.now())
                        .as("the block waited for the slower task")
                        .isEqualTo(STEP.multipliedBy(5));
                assertThat(a.isDone()).isTrue();
                assertThat(b.isDone()).isTrue();
                return a.result() + b.result();
            });

            assertThat(result).isEqualTo("ab");
            assertThat(events).containsExactly("body ends", "b done", "a done", "after the group");
        }

        @AllEngines
        void theFirstFailureCancelsTheOtherTasks(CoroutineEngine engine) {
            long start = System.nanoTime();
            Throwable thrown = Async.run(
                    engine,
                    () -> catchThrowable(() -> {
                        try (TaskGroup tg = new TaskGroup()) {
                            tg.createTask(sleeper("sibling"));
                            tg.createTask(failingAfter(STEP, "worker"));
                            events.add("body ends");
                        }
                        events.add("not reached");
                    }));

            assertThat(thrown).isInstanceOf(TaskGroupException.class).hasMessageContaining("1 sub-exception");
            TaskGroupException group = (TaskGroupException) thrown;
            assertThat(group.getExceptions())
                    .singleElement(THROWABLE)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("worker");
            assertThat(group.getSuppressed()).containsExactlyElementsOf(group.getExceptions());
            assertThat(events)
                    .containsExactly(
                            "body ends", "sibling sleeps", "worker fails", "sibling cancelled", "sibling finally");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void twoFailuresAreReportedTogether(CoroutineEngine engine) {
            Throwable thrown = Async.run(
                    engine,
                    () -> catchThrowable(() -> {
                        try (TaskGroup tg = new TaskGroup()) {
                            tg.createTask(() -> {
                                events.add("a fails");
                                throw new IllegalArgumentException("a");
                            });
                            tg.createTask(() -> {
                                events.add("b fails");
                                throw new IllegalStateException("b");
                            });
                        }
                    }));

            assertThat(thrown).isInstanceOf(TaskGroupException.class).hasMessageContaining("2 sub-exceptions");
            List<Throwable> failures = ((TaskGroupException) thrown).getExceptions();
            assertThat(failures).hasSize(2);
            assertThat(failures.get(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a");
            assertThat(failures.get(1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("b");
            assertThat(thrown.getSuppressed()).containsExactlyElementsOf(failures);
            assertThat(events).containsExactly("a fails", "b fails");
        }

        @AllEngines
        void aTaskThatFailsWhileBeingCancelledIsReportedToo(CoroutineEngine engine) {
            Throwable thrown = Async.run(
                    engine,
                    () -> catchThrowable(() -> {
                        try (TaskGroup tg = new TaskGroup()) {
                            tg.createTask(() -> {
                                try {
                                    Async.sleep(FOREVER);
                                    return null;
                                } catch (CancellationException e) {
                                    events.add("cleanup fails");
                                    throw new IllegalStateException("cleanup");
                                }
                            });
                            tg.createTask(failingAfter(STEP, "worker"));
                        }
                    }));

            assertThat(thrown).isInstanceOf(TaskGroupException.class);
            assertThat(((TaskGroupException) thrown).getExceptions())
                    .extracting(Throwable::getMessage)
                    .containsExactly("worker", "cleanup");
            assertThat(events).containsExactly("worker fails", "cleanup fails");
        }

        @AllEngines
        void anExceptionOfTheBodyWaitsForTheTasksAndCarriesTheGroupsFailureSuppressed(CoroutineEngine engine) {
            Throwable thrown = VirtualTime.run(engine, () -> {
                Throwable t = catchThrowable(() -> {
                    try (TaskGroup tg = new TaskGroup()) {
                        tg.createTask(after(STEP, "a"));
                        tg.createTask(failingAfter(STEP.multipliedBy(5), "b"));
                        events.add("body throws");
                        throw new IllegalArgumentException("body");
                    }
                });
                assertThat(VirtualTime.now())
                        .as("the body's exception waited for both tasks")
                        .isEqualTo(STEP.multipliedBy(5));
                return t;
            });

            // Java cannot show close() the body's exception: the tasks run on, then the body's
            // exception propagates with the group's failure suppressed.
            assertThat(events).containsExactly("body throws", "a done", "b fails");
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("body");
            assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(TaskGroupException.class);
            TaskGroupException group = (TaskGroupException) thrown.getSuppressed()[0];
            assertThat(group.getExceptions()).extracting(Throwable::getMessage).containsExactly("b");
        }

        @AllEngines
        void cancellingTheTaskFromOutsideCancelsTheGroupsTasks(CoroutineEngine engine) {
            long start = System.nanoTime();
            Task<String> parent = Async.run(engine, () -> {
                Task<String> p = Async.createTask(() -> {
                    try (TaskGroup tg = new TaskGroup()) {
                        tg.createTask(sleeper("child"));
                        events.add("body waits");
                        Async.sleep(FOREVER);
                    } catch (CancellationException e) {
                        events.add("parent cancelled");
                        throw e;
                    }
                    return "not reached";
                });
                Async.sleep(STEP);
                events.add("main cancels the parent");
                p.cancel();
                catchThrowable(() -> Async.await(p));
                return p;
            });

            assertThat(parent.isCancelled()).isTrue();
            assertThat(events)
                    .containsExactly(
                            "body waits",
                            "child sleeps",
                            "main cancels the parent",
                            "child cancelled",
                            "child finally",
                            "parent cancelled");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void cancellingTheTaskWhileCloseWaitsCancelsTheTasksAndPropagates(CoroutineEngine engine) {
            Task<String> parent = Async.run(engine, () -> {
                Task<String> p = Async.createTask(() -> {
                    try (TaskGroup tg = new TaskGroup()) {
                        tg.createTask(sleeper("child"));
                        events.add("body ends");
                    } catch (CancellationException e) {
                        events.add("close() rethrows the cancellation");
                        throw e;
                    }
                    return "not reached";
                });
                Async.sleep(STEP);
                events.add("main cancels the parent");
                p.cancel();
                catchThrowable(() -> Async.await(p));
                return p;
            });

            assertThat(parent.isCancelled()).isTrue();
            assertThat(events)
                    .containsExactly(
                            "body ends",
                            "child sleeps",
                            "main cancels the parent",
                            "child cancelled",
                            "child finally",
                            "close() rethrows the cancellation");
        }

        @AllEngines
        void aCancellationTheTaskSwallowedBeforeTheGroupDoesNotCancelTheGroupsTasks(CoroutineEngine engine) {
            // asyncio: a group exited without an exception waits for its tasks, whatever cancelling() says
            VirtualTime.run(engine, () -> {
                Task<String> p = Async.createTask(() -> {
                    try {
                        Async.sleep(FOREVER);
                    } catch (CancellationException swallowed) {
                        events.add(
                                "swallowed, cancelling " + Async.currentTask().cancelling());
                    }
                    try (TaskGroup tg = new TaskGroup()) {
                        tg.createTask(after(STEP, "child"));
                    }
                    return "after the group";
                });
                Async.sleep(Duration.ZERO);
                p.cancel();

                assertThat(Async.await(p)).isEqualTo("after the group");
                return null;
            });

            assertThat(events).containsExactly("swallowed, cancelling 1", "child done");
        }

        @AllEngines
        void aTaskMayAddATaskWhileTheGroupWaits(CoroutineEngine engine) {
            Async.run(engine, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(() -> {
                        Async.sleep(STEP);
                        events.add("a adds b");
                        tg.createTask(after(STEP, "b"));
                        events.add("a done");
                        return null;
                    });
                    events.add("body ends");
                }
                events.add("after the group");
                return null;
            });

            assertThat(events).containsExactly("body ends", "a adds b", "a done", "b done", "after the group");
        }

        @AllEngines
        void createTaskAfterTheGroupIsFinishedIsRefused(CoroutineEngine engine) {
            Throwable thrown = Async.run(engine, () -> {
                TaskGroup finished;
                try (TaskGroup tg = new TaskGroup()) {
                    finished = tg;
                    tg.createTask(() -> "a");
                }
                return catchThrowable(() -> finished.createTask(() -> "late"));
            });

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("TaskGroup is finished");
        }

        @AllEngines
        void createTaskFromAnotherTaskIsRefused(CoroutineEngine engine) {
            Throwable thrown = Async.run(engine, () -> {
                Throwable t;
                try (TaskGroup tg = new TaskGroup()) {
                    Task<Throwable> stranger = Async.createTask(() -> catchThrowable(() -> tg.createTask(() -> "x")));
                    t = Async.await(stranger);
                }
                return t;
            });

            assertThat(thrown)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be called by the task that created the group");
        }

        @Test
        void outsideACoroutineItSaysToStartOne() {
            assertThatIllegalStateException()
                    .isThrownBy(TaskGroup::new)
                    .withMessageContaining("new TaskGroup() must be called inside a coroutine");
        }

        @AllEngines
        void theLoopClosingUnderTheGroupStillUnwindsTheTask(CoroutineEngine engine) {
            EventLoop loop = new EventLoop(engine);
            try {
                loop.createTask(() -> {
                    try (TaskGroup tg = new TaskGroup()) {
                        tg.createTask(sleeper("child"));
                        Async.sleep(FOREVER);
                    } finally {
                        events.add("parent unwinds");
                    }
                    return null;
                });
                loop.callLater(STEP, loop::stop);
                loop.runForever();
            } finally {
                loop.close();
            }

            // close() awaits in a finally position: once the loop is closed it must not suspend again
            assertThat(events).contains("parent unwinds", "child finally");
        }
    }

    @Nested
    class Lambda {

        @AllEngines
        void twoTasksSucceedAndTheBodysValueIsReturned(CoroutineEngine engine) {
            List<String> results = VirtualTime.run(engine, () -> {
                List<Task<String>> tasks = new ArrayList<>();
                String body = TaskGroup.run(tg -> {
                    tasks.add(tg.createTask(after(STEP.multipliedBy(5), "a")));
                    tasks.add(tg.createTask(after(STEP, "b")));
                    events.add("body ends");
                    return "body";
                });
                events.add("after the group: " + body);
                assertThat(VirtualTime.now())
                        .as("run() waited for the slower task")
                        .isEqualTo(STEP.multipliedBy(5));
                return List.of(tasks.get(0).result(), tasks.get(1).result());
            });

            assertThat(results).containsExactly("a", "b");
            assertThat(events).containsExactly("body ends", "b done", "a done", "after the group: body");
        }

        @AllEngines
        void asyncTaskGroupIsTheSame(CoroutineEngine engine) {
            String result = Async.run(
                    engine,
                    () -> Async.taskGroup(tg -> {
                        Task<String> a = tg.createTask(after(STEP, "a"));
                        return "started " + a.getName();
                    }));

            assertThat(result).startsWith("started Task-");
            assertThat(events).containsExactly("a done");
        }

        @AllEngines
        void aFailingTaskCancelsTheBodyAndItsSiblingsThenTheTaskGoesOn(CoroutineEngine engine) {
            long start = System.nanoTime();
            Async.run(engine, () -> {
                Throwable thrown = catchThrowable(() -> TaskGroup.run(tg -> {
                    tg.createTask(sleeper("sibling"));
                    tg.createTask(failingAfter(STEP, "worker"));
                    try {
                        Async.sleep(FOREVER);
                    } catch (CancellationException e) {
                        events.add("body cancelled");
                        throw e;
                    }
                    return "not reached";
                }));
                assertThat(thrown).isInstanceOf(TaskGroupException.class);
                // the group's own cancellation of the body is withdrawn, not reported
                assertThat(((TaskGroupException) thrown).getExceptions())
                        .singleElement(THROWABLE)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("worker");
                assertThat(Async.currentTask().cancelling()).isZero();
                Async.sleep(STEP);
                events.add("the task goes on");
                return null;
            });

            assertThat(events)
                    .containsExactly(
                            "sibling sleeps",
                            "worker fails",
                            "sibling cancelled",
                            "sibling finally",
                            "body cancelled",
                            "the task goes on");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void theBodysOwnFailureIsReportedAfterTheTasks(CoroutineEngine engine) {
            Throwable thrown = Async.run(
                    engine,
                    () -> catchThrowable(() -> TaskGroup.run(tg -> {
                        tg.createTask(failingAfter(Duration.ZERO, "worker"));
                        try {
                            Async.sleep(FOREVER);
                        } catch (CancellationException e) {
                            events.add("body gives up");
                            throw new IllegalArgumentException("body");
                        }
                        return "not reached";
                    })));

            assertThat(thrown).isInstanceOf(TaskGroupException.class).hasMessageContaining("2 sub-exceptions");
            assertThat(((TaskGroupException) thrown).getExceptions())
                    .extracting(Throwable::getMessage)
                    .containsExactly("worker", "body");
            assertThat(events).containsExactly("worker fails", "body gives up");
        }

        @AllEngines
        void anExceptionOfTheBodyCancelsTheTasks(CoroutineEngine engine) {
            long start = System.nanoTime();
            Throwable thrown = Async.run(
                    engine,
                    () -> catchThrowable(() -> TaskGroup.run(tg -> {
                        tg.createTask(sleeper("child"));
                        Async.sleep(STEP);
                        events.add("body throws");
                        throw new IllegalArgumentException("body");
                    })));

            assertThat(thrown).isInstanceOf(TaskGroupException.class);
            assertThat(((TaskGroupException) thrown).getExceptions())
                    .singleElement(THROWABLE)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("body");
            assertThat(events).containsExactly("child sleeps", "body throws", "child cancelled", "child finally");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void cancellingTheTaskFromOutsideCancelsTheTasksAndPropagates(CoroutineEngine engine) {
            long start = System.nanoTime();
            Task<String> parent = Async.run(engine, () -> {
                Task<String> p = Async.createTask(() -> {
                    try {
                        return TaskGroup.run(tg -> {
                            tg.createTask(sleeper("a"));
                            tg.createTask(sleeper("b"));
                            Async.sleep(FOREVER);
                            return "not reached";
                        });
                    } catch (CancellationException e) {
                        events.add("the group rethrows the cancellation");
                        throw e;
                    }
                });
                Async.sleep(STEP);
                events.add("main cancels the parent");
                p.cancel();
                catchThrowable(() -> Async.await(p));
                return p;
            });

            assertThat(parent.isCancelled()).isTrue();
            assertThat(events)
                    .containsExactly(
                            "a sleeps",
                            "b sleeps",
                            "main cancels the parent",
                            "a cancelled",
                            "a finally",
                            "b cancelled",
                            "b finally",
                            "the group rethrows the cancellation");
            assertThat(since(start)).isLessThan(PROMPTLY);
        }

        @AllEngines
        void aDeadlineAroundTheGroupSurfacesAsAsyncTimeoutException(CoroutineEngine engine) {
            boolean expired = VirtualTime.run(engine, () -> {
                Timeout deadline = Async.timeout(STEP.multipliedBy(2));
                try (deadline) {
                    TaskGroup.run(tg -> {
                        tg.createTask(sleeper("child"));
                        Async.sleep(FOREVER);
                        return null;
                    });
                } catch (AsyncTimeoutException e) {
                    events.add("timed out");
                }
                assertThat(VirtualTime.now()).as("the deadline fired on time").isEqualTo(STEP.multipliedBy(2));
                assertThat(Async.currentTask().cancelling()).isZero();
                return deadline.expired();
            });

            assertThat(expired).isTrue();
            assertThat(events).containsExactly("child sleeps", "child cancelled", "child finally", "timed out");
        }

        @AllEngines
        void aTimeoutOfTheBodysOwnIsAFailure(CoroutineEngine engine) {
            Throwable thrown = VirtualTime.run(engine, () -> {
                Throwable t = catchThrowable(() -> TaskGroup.run(tg -> {
                    Task<String> slow = tg.createTask(sleeper("slow"));
                    return Async.waitFor(slow, STEP);
                }));
                assertThat(VirtualTime.now())
                        .as("the body's waitFor timed out on time")
                        .isEqualTo(STEP);
                return t;
            });

            assertThat(thrown).isInstanceOf(TaskGroupException.class);
            assertThat(((TaskGroupException) thrown).getExceptions())
                    .singleElement(THROWABLE)
                    .isInstanceOf(AsyncTimeoutException.class);
            assertThat(events).containsExactly("slow sleeps", "slow cancelled", "slow finally");
        }

        @AllEngines
        void aTimeoutOfTheBodysOwnIsAFailureAlsoInATaskThatSwallowedACancellationBefore(CoroutineEngine engine) {
            List<Throwable> caught = new ArrayList<>();
            Throwable ending = VirtualTime.run(engine, () -> {
                Task<String> p = Async.createTask(() -> {
                    try {
                        Async.sleep(FOREVER);
                    } catch (CancellationException swallowed) {
                        // cancelling() stays 1, as in asyncio
                    }
                    caught.add(catchThrowable(() -> TaskGroup.run(tg -> {
                        Task<String> slow = tg.createTask(sleeper("slow"));
                        return Async.waitFor(slow, STEP);
                    })));
                    return "returned";
                });
                Async.sleep(Duration.ZERO);
                p.cancel();
                return catchThrowable(() -> Async.await(p));
            });

            assertThat(caught).singleElement(THROWABLE).isInstanceOf(TaskGroupException.class);
            assertThat(((TaskGroupException) caught.get(0)).getExceptions())
                    .singleElement(THROWABLE)
                    .isInstanceOf(AsyncTimeoutException.class);
            // asyncio's __aexit__ with errors re-arms a parent whose cancelling() is not 0 (uncancel();
            // cancel()), even for a request the task swallowed: the task ends cancelled
            assertThat(ending).isInstanceOf(CancellationException.class).isNotInstanceOf(AsyncTimeoutException.class);
        }

        @AllEngines
        void closingTheGroupOfRunByHandIsRefused(CoroutineEngine engine) {
            Throwable thrown = Async.run(engine, () -> TaskGroup.run(tg -> catchThrowable(tg::close)));

            assertThat(thrown)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closes when its body returns");
        }
    }
}
