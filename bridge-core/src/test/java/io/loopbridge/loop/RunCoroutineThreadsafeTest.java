package io.loopbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.context.ContextVar;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link EventLoop#runCoroutineThreadsafe}: asyncio's {@code run_coroutine_threadsafe(coro, loop)},
 * submitting a coroutine to a running loop from another thread and waiting on a {@link
 * CompletableFuture}. Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class RunCoroutineThreadsafeTest {
    /** Longer than any test may take: reaching it means a cancellation went missing. */
    static final Duration FOREVER = Duration.ofSeconds(30);
    /** How long a test waits for the loop before it fails. */
    static final long PROMPTLY_SECONDS = 10;

    final List<String> events = new CopyOnWriteArrayList<>();
    EventLoop loop;
    Thread loopThread;

    @AfterEach
    void stopAndCloseTheLoop() throws InterruptedException {
        if (loopThread != null && !loop.isClosed()) {
            loop.callSoonThreadsafe(loop::stop);
            loopThread.join(TimeUnit.SECONDS.toMillis(PROMPTLY_SECONDS));
        }
        if (loop != null && !loop.isRunning()) {
            loop.close();
        }
    }

    /** Runs a loop of {@code engine} on a thread of its own, as an application's loop thread. */
    EventLoop runInBackground(CoroutineEngine engine) {
        loop = new EventLoop(engine);
        loopThread = new Thread(loop::runForever, "run-coroutine-threadsafe-test");
        loopThread.setDaemon(true);
        loopThread.start();
        return loop;
    }

    /** The loop's live tasks, asked on the loop. */
    List<Task<?>> liveTasks() throws Exception {
        CompletableFuture<List<Task<?>>> tasks = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> tasks.complete(loop.allTasks()));
        return tasks.get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @AllEngines
    void theCoroutineRunsAsATaskOnTheLoopAndTheFutureGetsItsResult(CoroutineEngine engine) throws Exception {
        runInBackground(engine);

        CompletableFuture<String> answer = loop.runCoroutineThreadsafe(() -> {
            Async.sleep(Duration.ofMillis(1));
            assertThat(Async.loop()).isSameAs(loop);
            return "answer from " + Async.currentTask().getName();
        });

        assertThat(answer.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).matches("answer from Task-\\d+");
        assertThat(liveTasks()).isEmpty();
    }

    @AllEngines
    void aFailureOfTheBodyFailsTheFutureWithTheSameException(CoroutineEngine engine) {
        runInBackground(engine);
        IOException diskFull = new IOException("disk full");

        CompletableFuture<String> answer = loop.runCoroutineThreadsafe(() -> {
            Async.sleep(Duration.ofMillis(1));
            throw diskFull;
        });

        assertThatThrownBy(() -> answer.get(PROMPTLY_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isSameAs(diskFull);
        assertThatThrownBy(answer::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isSameAs(diskFull);
    }

    @AllEngines
    void cancellingTheFutureFromAnotherThreadCancelsTheTaskWhoseFinallyRuns(CoroutineEngine engine) throws Exception {
        runInBackground(engine);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);

        CompletableFuture<String> answer = loop.runCoroutineThreadsafe(() -> {
            started.countDown();
            try {
                Async.sleep(FOREVER);
                events.add("woke up");
                return "too late";
            } catch (CancellationException e) {
                events.add("cancelled");
                throw e;
            } finally {
                events.add("finally");
                finished.countDown();
            }
        });
        assertThat(started.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(answer.cancel(true)).isTrue();

        assertThat(answer.isCancelled()).isTrue();
        assertThat(finished.await(PROMPTLY_SECONDS, TimeUnit.SECONDS))
                .as("the task's finally ran")
                .isTrue();
        assertThat(events).containsExactly("cancelled", "finally");
        assertThat(liveTasks()).isEmpty();
        assertThat(answer.cancel(false)).as("cancelling again changes nothing").isTrue();
    }

    @AllEngines
    void aFutureCancelledBeforeTheLoopStartsTheTaskNeverRunsTheBody(CoroutineEngine engine) throws Exception {
        loop = new EventLoop(engine);

        CompletableFuture<String> answer = loop.runCoroutineThreadsafe(() -> {
            events.add("body ran");
            return "never";
        });
        answer.cancel(false);
        loop.callSoon(loop::stop);
        loop.runForever();

        assertThat(answer.isCancelled()).isTrue();
        assertThat(events).isEmpty();
        assertThat(loop.allTasks()).isEmpty();
    }

    @AllEngines
    void aTaskCancelledOnTheLoopCancelsTheFuture(CoroutineEngine engine) {
        runInBackground(engine);

        CompletableFuture<String> answer = loop.runCoroutineThreadsafe(() -> {
            Async.currentTask().cancel("shutting down");
            Async.sleep(Duration.ofMillis(1));
            return "not cancelled";
        });

        assertThatThrownBy(() -> answer.get(PROMPTLY_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(CancellationException.class);
        assertThat(answer.isCancelled()).isTrue();
    }

    @AllEngines
    void theTaskRunsInACopyOfTheCallersContext(CoroutineEngine engine) throws Exception {
        runInBackground(engine);
        ContextVar<String> requestId = ContextVar.of("requestId");
        ContextVar.Token<String> token = requestId.set("req-42");
        try {
            CompletableFuture<String> seen = loop.runCoroutineThreadsafe(() -> {
                String before = requestId.get(null);
                requestId.set("changed by the task");
                Async.sleep(Duration.ofMillis(1));
                return before + ", then " + requestId.get(null);
            });

            assertThat(seen.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isEqualTo("req-42, then changed by the task");
            assertThat(requestId.get()).as("the task changed its own copy only").isEqualTo("req-42");
        } finally {
            requestId.reset(token);
        }
    }

    @AllEngines
    void aClosedLoopRefusesTheCoroutineAsCallSoonThreadsafeDoes(CoroutineEngine engine) {
        loop = new EventLoop(engine);
        loop.close();

        assertThatIllegalStateException()
                .isThrownBy(() -> loop.runCoroutineThreadsafe(() -> "never"))
                .withMessage("Event loop is closed");
    }

    @AllEngines
    void aNullCoroutineIsRefusedNamingTheParameter(CoroutineEngine engine) {
        loop = new EventLoop(engine);

        assertThatNullPointerException()
                .isThrownBy(() -> loop.runCoroutineThreadsafe(null))
                .withMessage("coroutine");
    }

    @AllEngines
    void fourThreadsSubmittingAThousandCoroutinesEachGetEveryResult(CoroutineEngine engine) throws Exception {
        runInBackground(engine);
        int threads = 4;
        int perThread = 1_000;
        List<List<CompletableFuture<Integer>>> futures = new ArrayList<>();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<Integer>> mine = new CopyOnWriteArrayList<>();
            futures.add(mine);
            int base = t * perThread;
            submitters.add(new Thread(
                    () -> {
                        for (int i = 0; i < perThread; i++) {
                            int n = base + i;
                            mine.add(loop.runCoroutineThreadsafe(() -> {
                                Async.sleep(Duration.ZERO); // suspend once, so tasks interleave
                                return n * 2;
                            }));
                        }
                    },
                    "submitter-" + t));
        }
        submitters.forEach(Thread::start);
        for (Thread s : submitters) {
            s.join(TimeUnit.SECONDS.toMillis(PROMPTLY_SECONDS));
        }

        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<Integer>> mine = futures.get(t);
            assertThat(mine).hasSize(perThread);
            for (int i = 0; i < perThread; i++) {
                assertThat(mine.get(i).get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isEqualTo((t * perThread + i) * 2);
            }
        }
        assertThat(liveTasks()).isEmpty();
    }

    @AllEngines
    void aLoopClosedBeforeTheTaskStartedFailsTheFutureInsteadOfLeavingItPending(CoroutineEngine engine) {
        loop = new EventLoop(engine);
        CompletableFuture<String> answer = loop.runCoroutineThreadsafe(() -> {
            events.add("body ran");
            return "never";
        });

        loop.close();

        assertThat(answer).isCompletedExceptionally();
        assertThatThrownBy(answer::join)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed before the coroutine of runCoroutineThreadsafe finished");
        assertThat(events).isEmpty();
    }

    @AllEngines
    void aLoopClosedWhileTheTaskSleepsUnwindsItAndFailsTheFuture(CoroutineEngine engine) throws Exception {
        runInBackground(engine);
        CountDownLatch asleep = new CountDownLatch(1);
        CompletableFuture<String> answer = loop.runCoroutineThreadsafe(() -> {
            try {
                asleep.countDown();
                Async.sleep(FOREVER);
                return "too late";
            } finally {
                events.add("finally");
            }
        });
        assertThat(asleep.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isTrue();

        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(TimeUnit.SECONDS.toMillis(PROMPTLY_SECONDS));
        loop.close();

        assertThatThrownBy(() -> answer.get(PROMPTLY_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cancel or await such futures before closing the loop");
        assertThat(events).containsExactly("finally");
    }

    @AllEngines
    void aTaskThatFinishedInTheLastLapStillHandsItsResultToTheFutureWhenTheLoopCloses(CoroutineEngine engine) {
        loop = new EventLoop(engine);
        CompletableFuture<String> answer = loop.runCoroutineThreadsafe(() -> "done");
        LoopFuture<Void> stopSoon = loop.createFuture();
        loop.callSoon(() -> stopSoon.setResult(null)); // the loop stops in the lap the task ends in

        loop.runUntilComplete(stopSoon);
        loop.close(); // drops the done callback that would have completed the future

        assertThat(answer.join()).isEqualTo("done");
    }
}
