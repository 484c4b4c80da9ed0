package io.loopbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.internal.Fibers;
import io.loopbridge.testing.AllEngines;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What differs between the coroutine engines: availability, threads, pinning, unwinding. */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class EngineTest {
    static final Duration STEP = Duration.ofMillis(20);
    static final int JDK = Runtime.version().feature();

    final List<String> events = new CopyOnWriteArrayList<>();

    /** Whether this JVM exports jdk.internal.vm to the library (the continuation engine's need). */
    static boolean continuationExported() {
        return JDK >= 21
                && ModuleLayer.boot()
                        .findModule("java.base")
                        .orElseThrow()
                        .isExported("jdk.internal.vm", Async.class.getModule());
    }

    /** The live threads named like the THREADS engine's coroutine threads. */
    static Set<Thread> coroutineThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("loopbridge-coroutine-")) {
                threads.add(t);
            }
        }
        return threads;
    }

    /** The coroutine threads alive now that were not alive at {@code before}. */
    static Set<Thread> newCoroutineThreads(Set<Thread> before) {
        Set<Thread> now = coroutineThreads();
        now.removeAll(before);
        return now;
    }

    @Test
    void theEnginesAvailableAreExactlyThoseTheJvmOffers() {
        List<CoroutineEngine> available = CoroutineEngine.available();

        assertThat(available).contains(CoroutineEngine.THREADS);
        assertThat(available.contains(CoroutineEngine.VIRTUAL))
                .as("VIRTUAL on JDK %d", JDK)
                .isEqualTo(JDK >= 21);
        assertThat(available.contains(CoroutineEngine.CONTINUATION))
                .as("CONTINUATION on JDK %d, jdk.internal.vm exported: %s", JDK, continuationExported())
                .isEqualTo(continuationExported());
        for (CoroutineEngine e : CoroutineEngine.values()) {
            assertThat(e.isAvailable()).as(e.name()).isEqualTo(available.contains(e));
        }
    }

    @Test
    void theDefaultEngineIsTheBestAvailableOne() {
        String requested = System.getProperty("loopbridge.engine", "auto");
        assumeTrue(requested.equals("auto"), "-Dloopbridge.engine=" + requested);
        List<CoroutineEngine> available = CoroutineEngine.available();

        assertThat(CoroutineEngine.defaultEngine()).isEqualTo(available.get(available.size() - 1));
        try (EventLoop loop = new EventLoop()) {
            assertThat(loop.engine()).isEqualTo(CoroutineEngine.defaultEngine());
        }
    }

    @Test
    void aLoopOnAnEngineTheJvmDoesNotOfferIsRefused() {
        List<CoroutineEngine> missing = new ArrayList<>(List.of(CoroutineEngine.values()));
        missing.removeAll(CoroutineEngine.available());
        assumeFalse(missing.isEmpty(), "this JVM offers every engine");

        for (CoroutineEngine engine : missing) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new EventLoop(engine))
                    .withMessageContaining(engine.name())
                    .withMessageContaining("not available");
            assertThatIllegalArgumentException().isThrownBy(() -> Async.run(engine, () -> 1));
        }
    }

    /**
     * Before JDK 24 the JVM refuses to freeze a continuation that holds a monitor: the await must
     * fail with a message that says to move it out of the synchronized block, never hang. From JDK 24
     * on (JEP 491) the JVM freezes it, and the await works; like a suspended thread on the other
     * engines, the coroutine keeps the monitor while it waits.
     */
    @Test
    @Timeout(30)
    void onContinuationsAnAwaitInsideSynchronizedFailsClearlyOrWorks() {
        assumeTrue(CoroutineEngine.CONTINUATION.isAvailable(), "the continuation engine is not available");
        Object lock = new Object();

        Async.run(CoroutineEngine.CONTINUATION, () -> {
            Throwable thrown;
            boolean[] heldAfterResume = {false};
            synchronized (lock) {
                thrown = catchThrowable(() -> {
                    Async.sleep(STEP);
                    heldAfterResume[0] = Thread.holdsLock(lock);
                });
            }
            if (JDK < 24) {
                assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("synchronized");
                events.add("refused");
            } else {
                assertThat(thrown).isNull();
                assertThat(heldAfterResume[0]).isTrue();
                events.add("worked");
            }
            Async.sleep(STEP); // out of the lock, the coroutine suspends as usual
            events.add("awaits outside the lock");
            return null;
        });

        assertThat(events).containsExactly(JDK < 24 ? "refused" : "worked", "awaits outside the lock");
    }

    @Test
    void onThreadsEachTaskRunsOnItsOwnPlatformThread() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicReference<Thread> loopThread = new AtomicReference<>();

        Async.run(CoroutineEngine.THREADS, () -> {
            Async.loop().callSoon(() -> loopThread.set(Thread.currentThread()));
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Async.createTask(() -> {
                    threads.add(Thread.currentThread());
                    Async.sleep(STEP);
                    assertThat(threads).contains(Thread.currentThread()); // resumes on the same thread
                    return null;
                }));
            }
            return Async.await(Async.gather(tasks));
        });

        assertThat(threads).hasSize(3).doesNotContain(loopThread.get(), Thread.currentThread());
        assertThat(threads).allSatisfy(t -> assertThat(t.getName()).startsWith("loopbridge-coroutine-"));
    }

    @Test
    void onVirtualTasksRunOnVirtualThreadsAndTasksThatNeverSuspendShareOne() {
        assumeTrue(CoroutineEngine.VIRTUAL.isAvailable(), "virtual threads need JDK 21");
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> mainThread = new AtomicReference<>();

        Async.run(CoroutineEngine.VIRTUAL, () -> {
            mainThread.set(Thread.currentThread());
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Async.createTask(() -> {
                    threads.add(Thread.currentThread());
                    virtual.add(Fibers.currentThreadIsVirtual());
                    return null;
                }));
            }
            return Async.await(Async.gather(tasks));
        });

        // the loop's role thread runs each body inline, one after another: no thread per task
        assertThat(threads).hasSize(1).doesNotContain(mainThread.get(), Thread.currentThread());
        assertThat(virtual).containsExactly(true, true, true);
    }

    @Test
    void onContinuationsEveryTaskRunsOnTheLoopThread() {
        assumeTrue(CoroutineEngine.CONTINUATION.isAvailable(), "the continuation engine is not available");
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Set<Thread> before = coroutineThreads();

        Async.run(CoroutineEngine.CONTINUATION, () -> {
            threads.add(Thread.currentThread());
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Async.createTask(() -> {
                    threads.add(Thread.currentThread());
                    Async.sleep(STEP);
                    threads.add(Thread.currentThread());
                    assertThat(newCoroutineThreads(before)).isEmpty();
                    return null;
                }));
            }
            return Async.await(Async.gather(tasks));
        });

        // the loop runs on the thread that called Async.run, and so does every coroutine
        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @AllEngines
    void closingALoopUnwindsATaskStillSuspendedAndEndsItsThread(CoroutineEngine engine) throws InterruptedException {
        Set<Thread> before = coroutineThreads();
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        Set<Thread> during;
        Task<Object> task;
        try (EventLoop loop = new EventLoop(engine)) {
            task = loop.createTask(() -> {
                taskThread.set(Thread.currentThread());
                events.add("task waits");
                try {
                    return Async.await(loop.createFuture());
                } finally {
                    events.add("task finally");
                }
            });
            loop.runUntilComplete(loop.createTask(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            }));
            during = newCoroutineThreads(before);
            assertThat(task.isDone()).isFalse();
        }

        assertThat(events).containsExactly("task waits", "task finally");
        if (engine == CoroutineEngine.THREADS) {
            assertThat(during)
                    .as("the suspended task holds a loopbridge-coroutine thread")
                    .contains(taskThread.get());
        } else {
            assertThat(during).isEmpty();
        }
        if (engine != CoroutineEngine.CONTINUATION) {
            taskThread.get().join(5_000);
            assertThat(taskThread.get().isAlive()).as("the task's thread ended").isFalse();
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(newCoroutineThreads(before)).isEmpty());
    }

    /**
     * On the continuation engine a loop's tasks share one entry into their bodies, which finds the
     * task as the loop's current step: loops taking turns on one thread, each with tasks suspended
     * and tasks taking their first step after the other loop's, each run their own bodies.
     */
    @AllEngines
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a body never entered fails, not hangs
    void loopsTakingTurnsOnOneThreadEachRunTheirOwnTasks(CoroutineEngine engine) {
        try (EventLoop a = new EventLoop(engine);
                EventLoop b = new EventLoop(engine)) {
            LoopFuture<String> gateA = a.createFuture();
            LoopFuture<String> gateB = b.createFuture();
            Task<String> a1 = a.createTask(() -> "a1 " + Async.await(gateA) + " " + (EventLoop.running() == a));
            a.runUntilComplete(a.createTask(() -> null)); // a1 took its first step and waits
            Task<String> b1 = b.createTask(() -> "b1 " + Async.await(gateB) + " " + (EventLoop.running() == b));
            b.runUntilComplete(b.createTask(() -> null));
            Task<String> a2 = a.createTask(() -> "a2 " + Async.await(a1) + " " + (EventLoop.running() == a));

            a.callSoon(() -> gateA.setResult("opened"));
            assertThat(a.runUntilComplete(a2)).isEqualTo("a2 a1 opened true true");
            assertThat(b1.isDone()).isFalse();
            b.callSoon(() -> gateB.setResult("opened"));
            assertThat(b.runUntilComplete(b1)).isEqualTo("b1 opened true");
        }
    }

    @AllEngines
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a body never entered fails, not hangs
    void loopsOnTwoThreadsAtOnceEachRunTheirOwnTasks(CoroutineEngine engine) throws Exception {
        int tasks = engine == CoroutineEngine.THREADS ? 50 : 2_000;
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<List<String>> run = () -> {
            String me = Thread.currentThread().getName();
            together.await(); // before the loop: no blocking on a loop thread
            return Async.run(engine, () -> runTasks(me, tasks));
        };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> one = threads.submit(run);
            Future<List<String>> two = threads.submit(run);
            for (Future<List<String>> f : List.of(one, two)) {
                List<String> results = f.get(60, TimeUnit.SECONDS);
                String thread = results.get(0).substring(0, results.get(0).indexOf(' '));
                for (int i = 0; i < tasks; i++) {
                    assertThat(results.get(i)).isEqualTo(thread + " " + i);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<String> runTasks(String me, int tasks) {
        List<Task<String>> started = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            int n = i;
            started.add(Async.createTask(() -> {
                Async.sleep(Duration.ZERO);
                return me + " " + n;
            }));
            if (i % 7 == 0) {
                Async.sleep(Duration.ZERO); // first steps interleave with the other loop's
            }
        }
        return Async.await(Async.gather(started));
    }

    /** The loop's shared entry is cached weakly: a loop closed and dropped can be collected. */
    @AllEngines
    void aClosedLoopThatRanTasksCanBeCollected(CoroutineEngine engine) {
        WeakReference<EventLoop> dropped = runTasksAndClose(engine);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return dropped.get() == null;
        });
    }

    private static WeakReference<EventLoop> runTasksAndClose(CoroutineEngine engine) {
        EventLoop loop = new EventLoop(engine);
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                Task<Void> t = Async.createTask(() -> {
                    Async.sleep(Duration.ZERO);
                    return null;
                });
                return Async.await(t);
            }));
        } finally {
            loop.close();
        }
        return new WeakReference<>(loop);
    }
}
