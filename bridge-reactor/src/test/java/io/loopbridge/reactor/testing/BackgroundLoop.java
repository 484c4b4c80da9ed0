package io.loopbridge.reactor.testing;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * An event loop running forever on a thread of its own ({@code loopbridge-test-<engine>}), for
 * tests whose test thread blocks (StepVerifier, {@code block()}) while the loop runs the
 * coroutines. Whatever reaches the loop's exception handler is kept in {@link #reported}.
 */
public final class BackgroundLoop implements AutoCloseable {
    /** Longer than any wait of a passing test. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);

    private final EventLoop loop;
    private final Thread thread;
    /** The contexts passed to the loop's exception handler. */
    public final List<Map<String, Object>> reported = Collections.synchronizedList(new ArrayList<>());

    public BackgroundLoop(CoroutineEngine engine) {
        loop = new EventLoop(engine);
        loop.setExceptionHandler((l, context) -> reported.add(context));
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        thread = new Thread(
                () -> {
                    try {
                        loop.runForever();
                    } finally {
                        loop.close();
                    }
                },
                "loopbridge-test-" + engine.name().toLowerCase());
        thread.setDaemon(true);
        thread.start();
        try {
            running.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public EventLoop loop() {
        return loop;
    }

    /** Runs {@code action} as a callback of the loop and waits for its outcome. */
    public <T> T call(Callable<T> action) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            try {
                outcome.complete(action.call());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        return join(outcome);
    }

    /** Runs {@code coroutine} as a task on the loop and waits for its result (its failure is rethrown). */
    public <T> T run(Coroutine<T> coroutine) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> loop.createTask(coroutine).addDoneCallback(f -> {
            if (f.isCancelled()) {
                outcome.cancel(false);
            } else if (f.exception() != null) {
                outcome.completeExceptionally(f.exception());
            } else {
                outcome.complete(f.result());
            }
        }));
        return join(outcome);
    }

    /** The names of the loop's tasks that are not done. */
    public List<String> liveTasks() {
        return call(() -> loop.allTasks().stream().map(String::valueOf).toList());
    }

    /** Waits until the loop has no task left (cancellations take a lap or two to finish). */
    public void awaitNoLiveTasks() {
        eventually().until(() -> liveTasks().isEmpty());
    }

    /** Awaitility polling every millisecond from the start, for at most {@link #PATIENCE}. */
    public static ConditionFactory eventually() {
        return Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    private static <T> T join(CompletableFuture<T> outcome) {
        try {
            return outcome.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw LoopFuture.rethrowable(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the loop did not answer within " + PATIENCE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the loop and waits for its thread to end; the thread closes the loop. */
    @Override
    public void close() {
        try {
            loop.callSoonThreadsafe(loop::stop);
        } catch (IllegalStateException alreadyClosed) {
            return;
        }
        try {
            thread.join(PATIENCE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("the loop thread " + thread.getName() + " did not stop within " + PATIENCE);
        }
    }
}
