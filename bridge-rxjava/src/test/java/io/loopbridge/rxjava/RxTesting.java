package io.loopbridge.rxjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What the tests of this module share: engines, loops on threads of their own, error capture. */
final class RxTesting {
    /** Longer than any test may take: reaching it means a cancellation went missing. */
    static final Duration FOREVER = Duration.ofSeconds(30);

    private RxTesting() {}

    /** The engines the test JVM offers: THREADS always; VIRTUAL and CONTINUATION on JDK 21+. */
    static Stream<CoroutineEngine> engines() {
        return CoroutineEngine.available().stream();
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} as the main coroutine of a fresh loop on {@code engine}. */
    static void onEngine(CoroutineEngine engine, Body body) {
        Async.run(engine, () -> {
            body.run();
            return null;
        });
    }

    /** Collects what reaches {@code loop}'s exception handler. Before the loop runs, or on it. */
    static List<Map<String, Object>> captureLoopErrors(EventLoop loop) {
        List<Map<String, Object>> contexts = Collections.synchronizedList(new ArrayList<>());
        loop.setExceptionHandler((l, ctx) -> contexts.add(ctx));
        return contexts;
    }

    /** A real loop running on a thread of its own, for tests that block the test thread. */
    static final class LoopThread implements AutoCloseable {
        final EventLoop loop;
        final List<Map<String, Object>> loopErrors;
        private final Thread thread;

        LoopThread(CoroutineEngine engine) {
            loop = new EventLoop(engine);
            loopErrors = captureLoopErrors(loop);
            CountDownLatch running = new CountDownLatch(1);
            loop.callSoon(running::countDown);
            thread = new Thread(loop::runForever, "rx-test-loop");
            thread.start();
            try {
                running.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /** Runs {@code fn} on the loop and returns its result. */
        <T> T call(Callable<T> fn) {
            CompletableFuture<T> result = new CompletableFuture<>();
            loop.callSoonThreadsafe(() -> {
                try {
                    result.complete(fn.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            try {
                return result.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        /** Waits until the loop has no live task left. */
        void awaitNoLiveTasks() {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(call(loop::allTasks)).isEmpty());
        }

        @Override
        public void close() {
            loop.callSoonThreadsafe(loop::stop);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while stopping " + loop, e);
            }
            loop.close();
        }
    }

    /**
     * Installs an RxJava error handler for each test and fails the test if an error reached it that
     * the test did not {@link #take}: nothing may end up as an {@code UndeliverableException} by
     * accident. Resets RxJava's plugins after each test.
     */
    static final class RxJavaErrors implements BeforeEachCallback, AfterEachCallback {
        private static final List<Throwable> ERRORS = Collections.synchronizedList(new ArrayList<>());

        /** The errors RxJava's handler got so far; they count as expected. */
        static List<Throwable> take() {
            synchronized (ERRORS) {
                List<Throwable> copy = List.copyOf(ERRORS);
                ERRORS.clear();
                return copy;
            }
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            ERRORS.clear();
            RxJavaPlugins.setErrorHandler(ERRORS::add);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            RxJavaPlugins.reset();
            assertThat(take()).as("errors that reached RxJavaPlugins.onError").isEmpty();
        }
    }

    /** Fails a test class that leaves a loop or coroutine thread alive (the shared loop may live on). */
    static final class NoThreadsLeft implements AfterAllCallback {
        static List<String> liveThreads() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(name -> name.startsWith("loopbridge-") || name.equals("rx-test-loop"))
                    .filter(name -> !name.equals("loopbridge-shared"))
                    .sorted()
                    .toList();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(liveThreads())
                            .as("threads left by %s", context.getDisplayName())
                            .isEmpty());
        }
    }
}
