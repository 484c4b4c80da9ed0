package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The thread engines hand the loop around as a role: a task's body starts inline on the thread that
 * holds the loop when that thread has no suspended body of its own, keeps its thread for life, and
 * a suspended body's thread goes on with the loop's laps until the body's next step.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(30)
class LoopRoleTest {
    final List<String> events = new CopyOnWriteArrayList<>();

    static Stream<CoroutineEngine> threadEngines() {
        return Stream.of(CoroutineEngine.THREADS, CoroutineEngine.VIRTUAL).filter(CoroutineEngine::isAvailable);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void tasksThatNeverSuspendRunOneAfterAnotherOnTheSameThread(CoroutineEngine engine) {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicReference<Thread> mainThread = new AtomicReference<>();

        int n = Async.run(engine, () -> {
            mainThread.set(Thread.currentThread());
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int k = i;
                tasks.add(Async.createTask(() -> {
                    threads.add(Thread.currentThread());
                    return k;
                }));
            }
            return Async.await(Async.gather(tasks)).size();
        });

        assertThat(n).isEqualTo(50);
        assertThat(threads).hasSize(1).doesNotContain(mainThread.get(), Thread.currentThread());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void aBodyThatSuspendsAfterRunningInlineResumesOnItsThread(CoroutineEngine engine) {
        List<Thread> seen = new CopyOnWriteArrayList<>();

        Async.run(engine, () -> {
            LoopFuture<String> later = Async.loop().createFuture();
            Task<String> t = Async.createTask(() -> {
                seen.add(Thread.currentThread());
                Async.sleep(Duration.ZERO);
                seen.add(Thread.currentThread());
                String v = Async.await(later);
                seen.add(Thread.currentThread());
                Async.sleep(Duration.ofMillis(2));
                seen.add(Thread.currentThread());
                return v;
            });
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
            later.setResult("done");
            assertThat(Async.await(t)).isEqualTo("done");
            return null;
        });

        assertThat(seen).hasSize(4);
        assertThat(Set.copyOf(seen)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void aFinishedTasksThreadGoesOnWithAnotherBodyThatTheFinishedTaskDoesNotShow(CoroutineEngine engine) {
        AtomicReference<Thread> firstThread = new AtomicReference<>();
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        List<StackTraceElement[]> traces = new CopyOnWriteArrayList<>();

        Async.run(engine, () -> {
            Task<String> first = Async.createTask(() -> {
                firstThread.set(Thread.currentThread());
                return "first";
            });
            Async.await(first);
            LoopFuture<String> later = Async.loop().createFuture();
            Task<String> second = Async.createTask(() -> {
                secondThread.set(Thread.currentThread());
                return secondWaitsHere(later);
            });
            Async.sleep(Duration.ZERO); // the second starts on the first's thread, pure again, and suspends
            traces.add(first.stackTrace());
            traces.add(second.stackTrace());
            later.setResult("second");
            assertThat(Async.await(second)).isEqualTo("second");
            return null;
        });

        assertThat(secondThread.get())
                .as("the pure thread waiting last runs the next body")
                .isSameAs(firstThread.get());
        assertThat(traces.get(0))
                .as("a done task keeps nothing of the thread it ran on")
                .isEmpty();
        assertThat(traces.get(1)[0].getMethodName()).isEqualTo("secondWaitsHere");
    }

    private static String secondWaitsHere(LoopFuture<String> later) {
        return Async.await(later);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void twoTasksTakingTurnsAlternateEachOnItsOwnThread(CoroutineEngine engine) {
        Map<String, Set<Thread>> threads = new ConcurrentHashMap<>();

        Async.run(engine, () -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                tasks.add(Async.createTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        events.add(name + i);
                        threads.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet())
                                .add(Thread.currentThread());
                        Async.sleep(Duration.ZERO);
                    }
                    return null;
                }));
            }
            Async.await(Async.gather(tasks));
            return null;
        });

        assertThat(events).containsExactly("a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4");
        assertThat(threads.get("a")).hasSize(1);
        assertThat(threads.get("b")).hasSize(1).doesNotContainAnyElementsOf(threads.get("a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void stoppingWithBodiesSuspendedAndRunningAgainResumesThemOnTheirThreads(CoroutineEngine engine) {
        AtomicReference<Thread> before = new AtomicReference<>();
        AtomicReference<Thread> after = new AtomicReference<>();
        try (EventLoop loop = new EventLoop(engine)) {
            LoopFuture<String> gate = loop.createFuture();
            Task<String> waiter = loop.createTask(() -> {
                before.set(Thread.currentThread());
                String v = Async.await(gate);
                after.set(Thread.currentThread());
                return v;
            });
            loop.runUntilComplete(loop.createTask(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            }));
            assertThat(waiter.isDone()).isFalse();
            assertThat(loop.isRunning()).isFalse();
            assertThat(before.get().isAlive())
                    .as("the suspended body keeps its thread")
                    .isTrue();

            gate.setResult("again");
            assertThat(loop.runUntilComplete(waiter)).isEqualTo("again");
        }
        assertThat(after.get()).isSameAs(before.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void closingRunsTheFinallyBlocksOfInlineStartedBodiesAndEndsEveryThread(CoroutineEngine engine)
            throws InterruptedException {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop(engine);
        try {
            for (int i = 0; i < 3; i++) {
                int k = i;
                loop.createTask(() -> {
                    threads.add(Thread.currentThread());
                    try {
                        return Async.await(loop.createFuture());
                    } finally {
                        events.add("finally " + k);
                    }
                });
            }
            // a task that never suspends leaves its pool thread idle
            loop.runUntilComplete(loop.createTask(() -> {
                threads.add(Thread.currentThread());
                return null;
            }));
            loop.runUntilComplete(loop.createTask(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            }));
        } finally {
            loop.close();
        }

        assertThat(events).containsExactlyInAnyOrder("finally 0", "finally 1", "finally 2");
        assertThat(threads).hasSize(4);
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).as("%s ended", t).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void anotherThreadWakesTheLoopWhileATaskThreadPollsIt(CoroutineEngine engine) throws InterruptedException {
        AtomicReference<Thread> waker = new AtomicReference<>();
        String got = Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            LoopFuture<String> f = loop.createFuture();
            Thread outside = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                loop.callSoonThreadsafe(() -> f.setResult("woken"));
            });
            // this body suspends on its own thread, which then holds the loop and waits in its poll
            Task<String> t = Async.createTask(() -> Async.await(f));
            waker.set(outside);
            outside.start();
            return Async.await(t);
        });
        waker.get().join();

        assertThat(got).isEqualTo("woken");
    }

    @Test
    void anIdleLoopOfTheThreadsEngineWaitsOnRunForeversThreadAndItsPoolThreadEnds() throws Exception {
        try (EventLoop loop = new EventLoop(CoroutineEngine.THREADS)) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            Thread runner = new Thread(loop::runForever, "the runForever thread");
            runner.start();
            Thread mainThread = loop.runCoroutineThreadsafe(() -> {
                        Async.await(Async.createTask(() -> {
                            ranOn.set(Thread.currentThread());
                            return null;
                        }));
                        return Thread.currentThread();
                    })
                    .get(10, TimeUnit.SECONDS);
            assertThat(ranOn.get()).isNotNull().isNotSameAs(runner);
            assertThat(mainThread).isNotSameAs(runner);
            // nothing left to run: the loop waits on the runForever thread and the pool threads retire
            for (Thread pooled : List.of(ranOn.get(), mainThread)) {
                pooled.join(10_000);
                assertThat(pooled.isAlive())
                        .as("the idle pool thread %s ended", pooled)
                        .isFalse();
            }
            CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
            loop.callSoonThreadsafe(() -> callbackThread.complete(Thread.currentThread()));
            assertThat(callbackThread.get(10, TimeUnit.SECONDS)).isSameAs(runner);
            loop.callSoonThreadsafe(loop::stop);
            runner.join(10_000);
            assertThat(runner.isAlive()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void aCallbackThatThrowsWhileATaskThreadHoldsTheLoopGoesToTheHandler(CoroutineEngine engine) {
        List<Object> handled = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        AtomicReference<Thread> taskThread = new AtomicReference<>();

        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            loop.setExceptionHandler((l, ctx) -> handled.add(ctx.get("exception")));
            Task<Void> t = Async.createTask(() -> {
                taskThread.set(Thread.currentThread());
                loop.callSoon(() -> {
                    callbackThread.set(Thread.currentThread());
                    throw new IllegalStateException("boom");
                });
                Async.sleep(Duration.ZERO); // the callback runs in the lap this thread goes on with
                events.add("task goes on");
                return null;
            });
            Async.await(t);
            return null;
        });

        assertThat(handled).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(callbackThread.get()).isSameAs(taskThread.get());
        assertThat(events).containsExactly("task goes on");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void currentTaskIsNullInACallbackRunByASuspendedBodysThread(CoroutineEngine engine) {
        assumeTrue(engine.isAvailable());
        AtomicReference<Object> inCallback = new AtomicReference<>("unset");
        AtomicReference<Object> inBody = new AtomicReference<>();

        Async.run(engine, () -> {
            Task<Void> t = Async.createTask(() -> {
                Async.loop().callSoon(() -> inCallback.set(Async.currentTask()));
                Async.sleep(Duration.ZERO);
                inBody.set(Async.currentTask());
                return null;
            });
            Async.await(t);
            assertThat(inBody.get()).isSameAs(t);
            return null;
        });

        assertThat(inCallback.get()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void anInterruptedRunForeverThreadWaitsParkedWhileAnotherThreadHoldsTheLoop(CoroutineEngine engine)
            throws InterruptedException {
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        try (EventLoop loop = new EventLoop(engine)) {
            LoopFuture<String> gate = loop.createFuture();
            // the body waits on a pool thread, which holds the loop and polls it
            Task<String> waiter = loop.createTask(() -> Async.await(gate));
            Thread runner = new Thread(() -> {
                Thread.currentThread().interrupt();
                loop.runUntilComplete(waiter);
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            runner.start();

            // a thread that spins on park() (an interrupt makes it return at once) never stays WAITING
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> runner.getState() == Thread.State.WAITING);
            loop.callSoonThreadsafe(() -> gate.setResult("opened"));
            runner.join(10_000);
            assertThat(runner.isAlive()).isFalse();
            assertThat(waiter.result()).isEqualTo("opened");
        }
        assertThat(interruptedAfter.get())
                .as("the interrupt is kept for the caller")
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void anInterruptedSuspendedBodysThreadWaitsParkedAndTheBodyKeepsTheInterrupt(CoroutineEngine engine)
            throws InterruptedException {
        AtomicReference<Thread> aThread = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        try (EventLoop loop = new EventLoop(engine)) {
            LoopFuture<String> gateA = loop.createFuture();
            LoopFuture<String> gateB = loop.createFuture();
            // a waits on its thread while b's thread holds the loop and polls it
            Task<String> a = loop.createTask(() -> {
                aThread.set(Thread.currentThread());
                String v = Async.await(gateA);
                interruptedAfter.set(Thread.interrupted());
                return v;
            });
            Task<String> b = loop.createTask(() -> Async.await(gateB));
            LoopFuture<List<String>> both = Async.gather(a, b);
            Thread runner = new Thread(() -> loop.runUntilComplete(both));
            runner.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> aThread.get() != null);
            await().atMost(Duration.ofSeconds(10)).until(() -> aThread.get().getState() == Thread.State.WAITING);

            aThread.get().interrupt();
            // a thread that spins on park() (an interrupt makes it return at once) never stays WAITING
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> aThread.get().getState() == Thread.State.WAITING);
            loop.callSoonThreadsafe(() -> gateA.setResult("a"));
            loop.callSoonThreadsafe(() -> gateB.setResult("b"));
            runner.join(10_000);
            assertThat(runner.isAlive()).isFalse();
            assertThat(a.result()).isEqualTo("a");
            assertThat(b.result()).isEqualTo("b");
        }
        assertThat(interruptedAfter.get())
                .as("the interrupt is kept for the body")
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void aVirtualMachineErrorOfACallbackOnATaskThreadEndsTheRunAndTheLoopRunsAgain(CoroutineEngine engine) {
        try (EventLoop loop = new EventLoop(engine)) {
            LoopFuture<String> gate = loop.createFuture();
            Task<String> waiter = loop.createTask(() -> {
                try {
                    // the callback runs in the lap this body's thread goes on with while it waits
                    Async.loop().callSoon(() -> {
                        throw new StackOverflowError("deep");
                    });
                    return Async.await(gate);
                } finally {
                    events.add("finally");
                }
            });
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> loop.runUntilComplete(waiter));
            assertThat(thrown).isInstanceOf(StackOverflowError.class).hasMessage("deep");
            assertThat(loop.isRunning()).isFalse();
            assertThat(waiter.isDone()).isFalse();

            loop.callSoon(() -> gate.setResult("again"));
            assertThat(loop.runUntilComplete(waiter)).isEqualTo("again");
        }
        assertThat(events).containsExactly("finally");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void anErrorThrownByABodyAfterItSuspendedFailsOnlyItsTask(CoroutineEngine engine) {
        String got = Async.run(engine, () -> {
            Task<Void> failing = Async.createTask(() -> {
                Async.sleep(Duration.ZERO);
                throw new AssertionError("body failed");
            });
            Task<String> other = Async.createTask(() -> {
                Async.sleep(Duration.ZERO);
                Async.sleep(Duration.ZERO);
                return "other";
            });
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Async.await(failing));
            assertThat(thrown).isInstanceOf(AssertionError.class).hasMessage("body failed");
            return Async.await(other);
        });
        assertThat(got).isEqualTo("other");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadEngines")
    void aLapCutShortByAVirtualMachineErrorDoesNotOutliveARunInDebugMode(CoroutineEngine engine) {
        try (EventLoop loop = new EventLoop(engine)) {
            loop.callSoon(() -> {
                throw new StackOverflowError("deep");
            });
            loop.callSoon(() -> events.add("after the error"));
            loop.callSoon(loop::stop);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(loop::runForever);
            assertThat(thrown).isInstanceOf(StackOverflowError.class);

            // debug mode runs the older protocol, which runs what the cut-short lap left
            loop.setDebug(true);
            loop.runForever();
            loop.setDebug(false);
            assertThat(events).containsExactly("after the error");

            loop.callSoon(() -> {
                events.add("next run");
                loop.stop();
            });
            loop.runForever();
        }
        assertThat(events).containsExactly("after the error", "next run");
    }
}
