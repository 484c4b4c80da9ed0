package io.loopbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLoopbridgeThreadsLeft.class)
class EventLoopTest {
    private static final Runnable NOTHING = () -> {};
    private static final Duration SAFETY_STOP = Duration.ofSeconds(10);

    private final EventLoop loop = new EventLoop();
    private final List<String> steps = new ArrayList<>();
    /** The thread that called runForever in the background. */
    private Thread loopThread;

    @AfterEach
    void stopAndCloseTheLoop() throws InterruptedException {
        if (loopThread != null && loopThread.isAlive() && !loop.isClosed()) {
            loop.callSoonThreadsafe(loop::stop);
            loopThread.join(5_000);
        }
        if (!loop.isRunning()) {
            loop.close();
        }
    }

    /**
     * Runs the loop on another thread and returns the thread its callbacks run on: the same one, or
     * a virtual thread on the virtual coroutine engine.
     */
    private Thread runInBackground() {
        CompletableFuture<Thread> runner = new CompletableFuture<>();
        loop.callSoon(() -> runner.complete(Thread.currentThread()));
        loopThread = new Thread(loop::runForever, "event-loop-test");
        loopThread.setDaemon(true);
        loopThread.start();
        return runner.orTimeout(5, TimeUnit.SECONDS).join();
    }

    private void stopFromAnotherThreadAndJoin() throws InterruptedException {
        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(5_000);
        assertThat(loopThread.isAlive()).as("the loop thread woke up and ended").isFalse();
    }

    /** Runs {@code call} inside one lap of {@link EventLoop#runForever} and returns what it threw. */
    private Throwable thrownOnTheLoop(ThrowingCallable call) {
        Throwable[] thrown = new Throwable[1];
        loop.callSoon(() -> thrown[0] = catchThrowable(call));
        loop.stop();
        loop.runForever();
        return thrown[0];
    }

    private Runnable step(String name) {
        return () -> steps.add(name);
    }

    @Nested
    class Scheduling {

        @Test
        void callSoonRunsCallbacksInTheOrderTheyWereScheduled() {
            loop.callSoon(step("first"));
            loop.callSoon(step("second"));
            loop.callSoon(step("third"));

            loop.runOnce();

            assertThat(steps).containsExactly("first", "second", "third");
        }

        @Test
        void aCallbackScheduledDuringALapRunsInTheNextLap() {
            loop.callSoon(() -> {
                steps.add("first");
                loop.callSoon(step("scheduled by first"));
            });
            loop.callSoon(step("second"));

            loop.runOnce();
            assertThat(steps).containsExactly("first", "second");

            loop.runOnce();
            assertThat(steps).containsExactly("first", "second", "scheduled by first");
        }

        @Test
        void callLaterFiresInDeadlineOrder() {
            loop.callLater(Duration.ofMillis(60), step("60 ms"));
            loop.callLater(Duration.ofMillis(20), step("20 ms"));
            loop.callLater(Duration.ofMillis(40), step("40 ms"));
            loop.callLater(Duration.ofMillis(80), loop::stop);

            loop.runForever();

            assertThat(steps).containsExactly("20 ms", "40 ms", "60 ms");
        }

        @Test
        void callAtWithEqualDeadlinesFiresInSchedulingOrder() {
            long when = loop.time() + Duration.ofMillis(10).toNanos();
            loop.callAt(when, step("first"));
            loop.callAt(when, step("second"));
            loop.callAt(when, step("third"));
            loop.callAt(when - Duration.ofMillis(5).toNanos(), step("earlier"));
            loop.callAt(when, loop::stop);

            loop.runForever();

            assertThat(steps).containsExactly("earlier", "first", "second", "third");
        }

        @Test
        void aTimerDoesNotFireBeforeItsDeadline() {
            long scheduled = loop.time();
            long[] firedAt = new long[1];
            loop.callLater(Duration.ofMillis(30), () -> {
                firedAt[0] = loop.time();
                loop.stop();
            });

            loop.runForever();

            assertThat(firedAt[0] - scheduled)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos() - 1_000);
        }

        @Test
        void aNegativeDelayCountsAsZero() {
            long before = loop.time();
            TimerHandle timer = loop.callLater(Duration.ofSeconds(-5), step("negative delay"));

            assertThat(timer.when()).isBetween(before, loop.time());
            loop.runOnce();
            assertThat(steps).containsExactly("negative delay");
        }

        @Test
        void aCancelledHandleDoesNotRun() {
            Handle cancelled = loop.callSoon(step("cancelled"));
            loop.callSoon(step("kept"));

            cancelled.cancel();
            loop.runOnce();

            assertThat(cancelled.isCancelled()).isTrue();
            assertThat(steps).containsExactly("kept");
        }

        @Test
        void aCallbackCanCancelOneQueuedBehindItInTheSameLap() {
            Handle[] victim = new Handle[1];
            loop.callSoon(() -> {
                steps.add("cancel the next one");
                victim[0].cancel();
            });
            victim[0] = loop.callSoon(step("cancelled"));
            loop.callSoon(step("kept"));

            loop.runOnce();

            assertThat(steps).containsExactly("cancel the next one", "kept");
        }

        @Test
        void aCancelledTimerDoesNotRun() {
            TimerHandle cancelled = loop.callLater(Duration.ofMillis(10), step("cancelled timer"));
            loop.callLater(Duration.ofMillis(20), step("kept timer"));
            loop.callLater(Duration.ofMillis(30), loop::stop);

            cancelled.cancel();
            loop.runForever();

            assertThat(steps).containsExactly("kept timer");
        }

        @Test
        void cancelledTimersAreDroppedSoTheHeapDoesNotGrowWithoutBound() {
            loop.callLater(Duration.ofHours(1), step("the one live timer"));
            int largest = 0;

            for (int lap = 0; lap < 50; lap++) {
                for (int i = 0; i < 1_000; i++) {
                    loop.callLater(Duration.ofHours(2), NOTHING).cancel();
                }
                largest = Math.max(largest, timersIn(loop));
                loop.callSoon(NOTHING);
                loop.runOnce();
            }

            assertThat(largest).isEqualTo(1_001);
            assertThat(timersIn(loop)).isEqualTo(1);
            assertThat(steps).isEmpty();
        }

        private int timersIn(EventLoop loop) {
            Matcher m = Pattern.compile("timers=(\\d+)").matcher(loop.toString());
            assertThat(m.find()).as("toString shows timers=: %s", loop).isTrue();
            return Integer.parseInt(m.group(1));
        }
    }

    @Nested
    class WakingFromOtherThreads {

        @Test
        void callSoonThreadsafeWakesALoopParkedWithNothingToDo() throws InterruptedException {
            Thread runner = runInBackground();
            await().atMost(Duration.ofSeconds(5)).until(() -> runner.getState() == Thread.State.WAITING);

            stopFromAnotherThreadAndJoin();
        }

        @Test
        void callSoonThreadsafeWakesALoopWaitingForADistantTimer() throws InterruptedException {
            loop.callLater(Duration.ofHours(1), NOTHING);
            Thread runner = runInBackground();
            await().atMost(Duration.ofSeconds(5)).until(() -> runner.getState() == Thread.State.TIMED_WAITING);

            stopFromAnotherThreadAndJoin();
        }

        @Test
        void eightProducersOfAHundredThousandCallbacksLoseNothingAndKeepTheirOrder() {
            int producers = 8;
            int perProducer = 100_000;
            int[] nextExpected = new int[producers];
            int[] outOfOrder = new int[1];
            int[] received = new int[1];
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.add(new Thread(
                        () -> {
                            for (int i = 0; i < perProducer; i++) {
                                int seq = i;
                                loop.callSoonThreadsafe(() -> {
                                    if (nextExpected[producer] != seq) {
                                        outOfOrder[0]++;
                                    }
                                    nextExpected[producer] = seq + 1;
                                    if (++received[0] == producers * perProducer) {
                                        loop.stop();
                                    }
                                });
                            }
                        },
                        "producer-" + p));
            }
            loop.callSoon(() -> threads.forEach(Thread::start));
            loop.callLater(SAFETY_STOP, loop::stop);

            loop.runForever();

            assertThat(received[0]).isEqualTo(producers * perProducer);
            assertThat(outOfOrder[0]).isZero();
            assertThat(nextExpected).containsOnly(perProducer);
        }
    }

    @Nested
    class Idling {

        @Test
        void anIdleLoopWithNothingScheduledUsesNoCpu() throws InterruptedException {
            assertIdleLoopThreadUsesLittleCpu();
        }

        @Test
        void anIdleLoopWaitingForADistantTimerUsesNoCpu() throws InterruptedException {
            loop.callLater(Duration.ofHours(1), NOTHING);
            assertIdleLoopThreadUsesLittleCpu();
        }

        @Test
        void anIdleLoopFedInQuickTurnsFromAnotherThreadSpinsForTheWorkAndStopsOnceLeftIdle()
                throws InterruptedException {
            runInBackground();
            AtomicBoolean ran = new AtomicBoolean();
            long catches = 0;
            // rounds of 1 000 turns until the spin caught some: the producer needs the other vCPU,
            // which the JIT's or the GC's threads may hold for a while on a 2-core machine
            for (int round = 0; round < 20 && catches == 0; round++) {
                for (int turn = 0; turn < 1_000; turn++) {
                    ran.set(false);
                    loop.callSoonThreadsafe(() -> ran.set(true));
                    while (!ran.get()) {
                        Thread.onSpinWait(); // a busy producer thread, on the other vCPU
                    }
                    long answered = System.nanoTime();
                    while (System.nanoTime() - answered < 20_000) {
                        Thread.onSpinWait(); // 20 us of its own work: the loop goes idle meanwhile
                    }
                }
                catches = onTheLoop(loop::idleSpinCatches);
            }
            assertThat(catches)
                    .as("turns the idle loop found while spinning, not woken")
                    .isPositive();

            Thread.sleep(20); // a park longer than 1 ms: the spin goes off
            assertThat(onTheLoop(loop::idleSpinNanos)).isZero();
            assertThat(onTheLoop(loop::idleSpinCatches)).isEqualTo(catches);
        }

        private long onTheLoop(java.util.function.LongSupplier read) {
            CompletableFuture<Long> value = new CompletableFuture<>();
            loop.callSoonThreadsafe(() -> value.complete(read.getAsLong()));
            return value.orTimeout(5, TimeUnit.SECONDS).join();
        }

        private void assertIdleLoopThreadUsesLittleCpu() throws InterruptedException {
            Thread runner = runInBackground();

            assertThat(CpuMeter.cpuTimeUsedBy(runner, Duration.ofMillis(300))).isLessThan(Duration.ofMillis(50));
        }
    }

    /** A callback the close drops, told so instead of vanishing (the library's signals that hop onto a loop). */
    static final class Told implements Runnable, io.loopbridge.internal.DroppedOnClose {
        final List<String> events;
        final String name;

        Told(List<String> events, String name) {
            this.events = events;
            this.name = name;
        }

        @Override
        public void run() {
            events.add(name + " ran");
        }

        @Override
        public void droppedOnClose() {
            events.add(name + " dropped");
        }
    }

    @Test
    void closeTellsTheQueuedCallbacksThatAskToHearTheyWillNeverRun() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        loop.callSoon(new Told(events, "ready"));
        loop.callSoon(new Told(events, "cancelled")).cancel();
        loop.callSoon(() -> events.add("plain"));
        Thread other = new Thread(() -> loop.callSoonThreadsafe(new Told(events, "inbound")));
        other.start();
        other.join();

        loop.close();

        assertThat(events).containsExactly("ready dropped", "inbound dropped");
        assertThatIllegalStateException().isThrownBy(() -> loop.callSoonThreadsafe(new Told(events, "late")));
        assertThat(events).hasSize(2);
    }

    @Nested
    class ReadyQueue {

        @Test
        void aQueueThatHeldABurstIsReplacedByASmallerOneOnceDrainedAndKeepsWhatWaits() {
            assertThat(burstWithThreeWaiting(EventLoop.READY_TRIM_PEAK))
                    .as("ready queues replaced by the lap after the burst")
                    .isEqualTo(1);
        }

        @Test
        void aQueueThatNeverHeldThatManyIsKept() {
            assertThat(burstWithThreeWaiting(EventLoop.READY_TRIM_PEAK - 1)).isZero();
        }

        /**
         * One lap schedules the next one's {@code lapSize} callbacks: the first schedules three
         * more, which wait in the queue for the lap after, where a callback the last one scheduled
         * reads the trims made so far (before the burst's last callback, or as the lap after starts
         * on the engines whose laps are a role). Every callback records its number, in order.
         */
        private long burstWithThreeWaiting(int lapSize) {
            int plain = lapSize - 2;
            List<Integer> order = new ArrayList<>();
            long[] trims = {-1};
            loop.callSoon(() -> {
                loop.callSoon(() -> {
                    for (int i = plain; i < plain + 3; i++) {
                        int n = i;
                        loop.callSoon(() -> order.add(n));
                    }
                });
                for (int i = 0; i < plain; i++) {
                    int n = i;
                    loop.callSoon(() -> order.add(n));
                }
                loop.callSoon(() -> loop.callSoon(() -> {
                    trims[0] = loop.readyTrims();
                    loop.stop();
                }));
            });
            loop.runForever();

            assertThat(order).hasSize(plain + 3);
            for (int i = 0; i < order.size(); i++) {
                assertThat(order.get(i)).isEqualTo(i);
            }
            return trims[0];
        }
    }

    @Nested
    class RunningAndStopping {

        @Test
        void timeIsMonotonic() {
            long previous = loop.time();
            for (int i = 0; i < 100_000; i++) {
                long now = loop.time();
                assertThat(now).isGreaterThanOrEqualTo(previous);
                previous = now;
            }
        }

        @Test
        void runForeverRunsUntilStopIsCalled() {
            loop.callSoon(() -> steps.add("running=" + loop.isRunning() + " inLoop=" + loop.inLoop()));
            loop.callLater(Duration.ofMillis(20), () -> {
                steps.add("stopping");
                loop.stop();
            });

            assertThat(loop.isRunning()).isFalse();
            loop.runForever();

            assertThat(steps).containsExactly("running=true inLoop=true", "stopping");
            assertThat(loop.isRunning()).isFalse();
        }

        @Test
        void stopFinishesTheCurrentLapAndLeavesNewCallbacksForTheNextRun() {
            loop.callSoon(() -> {
                steps.add("first");
                loop.callSoon(step("scheduled by first"));
            });
            loop.callSoon(loop::stop);
            loop.callSoon(step("after stop, same lap"));

            loop.runForever();
            assertThat(steps).containsExactly("first", "after stop, same lap");

            loop.callSoon(loop::stop);
            loop.runForever();
            assertThat(steps).containsExactly("first", "after stop, same lap", "scheduled by first");
        }

        @Test
        void stopBeforeRunForeverRunsOneLap() {
            loop.callSoon(() -> {
                steps.add("lap 1");
                loop.callSoon(step("lap 2"));
            });

            loop.stop();
            loop.runForever();

            assertThat(steps).containsExactly("lap 1");
        }

        @Test
        void runUntilCompleteReturnsTheResult() {
            LoopFuture<String> future = loop.createFuture();
            loop.callLater(Duration.ofMillis(10), () -> future.setResult("done"));

            assertThat(loop.runUntilComplete(future)).isEqualTo("done");
            assertThat(loop.isRunning()).isFalse();
        }

        @Test
        void runUntilCompleteRethrowsARuntimeExceptionUnchanged() {
            LoopFuture<String> future = loop.createFuture();
            IllegalArgumentException failure = new IllegalArgumentException("bad input");
            loop.callSoon(() -> future.setException(failure));

            assertThatThrownBy(() -> loop.runUntilComplete(future)).isSameAs(failure);
        }

        @Test
        void runUntilCompleteWrapsACheckedExceptionInCompletionException() {
            LoopFuture<String> future = loop.createFuture();
            IOException failure = new IOException("disk gone");
            loop.callSoon(() -> future.setException(failure));

            assertThatThrownBy(() -> loop.runUntilComplete(future))
                    .isInstanceOf(CompletionException.class)
                    .hasCause(failure);
        }

        @Test
        void runUntilCompleteThrowsWhenTheLoopStopsBeforeTheFutureCompletes() {
            LoopFuture<String> future = loop.createFuture();
            loop.callSoon(loop::stop);

            assertThatIllegalStateException()
                    .isThrownBy(() -> loop.runUntilComplete(future))
                    .withMessageContaining("stopped before the future completed");
            assertThat(future.isDone()).isFalse();
        }

        @Test
        void closeMarksTheLoopClosedAndMayBeRepeated() {
            assertThat(loop.isClosed()).isFalse();

            loop.close();
            loop.close();

            assertThat(loop.isClosed()).isTrue();
            assertThatIllegalStateException().isThrownBy(loop::runForever).withMessageContaining("closed");
        }
    }

    @Nested
    class Misuse {

        @Test
        void loopMethodsCalledFromAnotherThreadNameCallSoonThreadsafe() throws InterruptedException {
            LoopFuture<String> future = loop.createFuture();
            runInBackground();

            assertRejectedFromThisThread("callSoon", () -> loop.callSoon(NOTHING));
            assertRejectedFromThisThread("callLater", () -> loop.callLater(Duration.ofMillis(1), NOTHING));
            assertRejectedFromThisThread("callAt", () -> loop.callAt(loop.time(), NOTHING));
            assertRejectedFromThisThread("stop", loop::stop);
            assertRejectedFromThisThread("setResult", () -> future.setResult("from the wrong thread"));

            stopFromAnotherThreadAndJoin();
            assertThat(future.isDone()).isFalse();
        }

        private void assertRejectedFromThisThread(String method, ThrowingCallable call) {
            assertThatIllegalStateException()
                    .isThrownBy(call)
                    .withMessageStartingWith(method + "()")
                    .withMessageContaining("callSoonThreadsafe");
        }

        @Test
        void runForeverOnARunningLoopIsRejected() throws InterruptedException {
            assertThat(thrownOnTheLoop(loop::runForever))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already running");

            runInBackground();
            assertThatIllegalStateException().isThrownBy(loop::runForever).withMessageContaining("already running");
            stopFromAnotherThreadAndJoin();
        }

        @Test
        void runForeverInsideAnotherRunningLoopOnTheSameThreadIsRejected() {
            try (EventLoop other = new EventLoop()) {
                assertThat(thrownOnTheLoop(other::runForever))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("another loop is running on this thread");
                assertThat(other.isRunning()).isFalse();
            }
        }

        @Test
        void schedulingOnAClosedLoopIsRejected() {
            loop.close();

            assertThatIllegalStateException()
                    .isThrownBy(() -> loop.callSoon(NOTHING))
                    .withMessageContaining("closed");
            assertThatIllegalStateException()
                    .isThrownBy(() -> loop.callLater(Duration.ofMillis(1), NOTHING))
                    .withMessageContaining("closed");
            assertThatIllegalStateException()
                    .isThrownBy(() -> loop.callSoonThreadsafe(NOTHING))
                    .withMessageContaining("closed");
        }

        @Test
        void closingARunningLoopIsRejected() throws InterruptedException {
            assertThat(thrownOnTheLoop(loop::close))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("running");

            runInBackground();
            assertThatIllegalStateException().isThrownBy(loop::close).withMessageContaining("running");
            assertThat(loop.isClosed()).isFalse();
            stopFromAnotherThreadAndJoin();
        }

        @Test
        void aNullCallbackIsRejectedNamingTheParameter() {
            assertThatNullPointerException()
                    .isThrownBy(() -> loop.callSoon(null))
                    .withMessage("callback");
            assertThatNullPointerException()
                    .isThrownBy(() -> loop.callSoonThreadsafe(null))
                    .withMessage("callback");
            assertThatNullPointerException()
                    .isThrownBy(() -> loop.callLater(Duration.ofMillis(1), null))
                    .withMessage("callback");
            assertThatNullPointerException()
                    .isThrownBy(() -> loop.callAt(loop.time(), null))
                    .withMessage("callback");
        }
    }

    @Nested
    class Errors {

        @Test
        void aCallbackThatThrowsDoesNotStopTheLoop() {
            List<Map<String, Object>> reports = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            IllegalStateException boom = new IllegalStateException("boom");

            Handle failing = loop.callSoon(() -> {
                steps.add("failing");
                throw boom;
            });
            loop.callSoon(step("next"));
            loop.runOnce();

            assertThat(steps).containsExactly("failing", "next");
            assertThat(reports).singleElement().satisfies(context -> {
                assertThat(context.get("message")).asString().startsWith("Exception in callback");
                assertThat(context.get("exception")).isSameAs(boom);
                assertThat(context.get("handle")).isSameAs(failing);
            });
        }

        @Test
        void callExceptionHandlerPassesTheContextToTheInstalledHandler() {
            List<Map<String, Object>> reports = new ArrayList<>();
            ExceptionHandler handler = (l, context) -> reports.add(context);
            Map<String, Object> context = Map.of("message", "something went wrong");

            loop.setExceptionHandler(handler);
            loop.callExceptionHandler(context);

            assertThat(loop.getExceptionHandler()).isSameAs(handler);
            assertThat(reports).containsExactly(context);

            loop.setExceptionHandler(null);
            assertThat(loop.getExceptionHandler()).isNull();
        }

        @Test
        void aHandlerThatThrowsFallsBackToTheDefaultHandler() {
            RuntimeException handlerFailure = new RuntimeException("handler broke");
            loop.setExceptionHandler((l, context) -> {
                throw handlerFailure;
            });

            try (LogCapture log = new LogCapture()) {
                loop.callSoon(() -> {
                    throw new IllegalStateException("boom");
                });
                loop.callSoon(step("next"));
                loop.runOnce();

                assertThat(steps).containsExactly("next");
                assertThat(log.records).singleElement().satisfies(r -> {
                    assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                    assertThat(r.getMessage()).startsWith("Unhandled error in exception handler");
                    assertThat(r.getThrown()).isSameAs(handlerFailure);
                });
            }
        }

        @Test
        void theDefaultHandlerLogsTheMessageAndTheExceptionAtError() {
            IOException failure = new IOException("connection reset");
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Fatal read error");
            context.put("exception", failure);
            context.put("transport", "tcp://example");

            try (LogCapture log = new LogCapture()) {
                loop.callExceptionHandler(context);

                assertThat(log.records).singleElement().satisfies(r -> {
                    assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                    assertThat(r.getMessage()).isEqualTo("Fatal read error\ntransport: tcp://example");
                    assertThat(r.getThrown()).isSameAs(failure);
                });
            }
        }
    }

    @Nested
    class RunInExecutor {

        @Test
        void runInExecutorDeliversTheResultOnTheLoopThread() {
            LoopFuture<String> worker =
                    loop.runInExecutor(null, () -> Thread.currentThread().getName());
            worker.addDoneCallback(f -> steps.add("done on the loop thread: " + loop.inLoop()));

            assertThat(loop.runUntilComplete(worker)).startsWith("loopbridge-executor-");
            assertThat(steps).containsExactly("done on the loop thread: true");
        }

        @Test
        void runInExecutorDeliversTheFailureOnTheLoopThread() {
            IOException failure = new IOException("disk gone");
            LoopFuture<String> worker = loop.runInExecutor(null, () -> {
                throw failure;
            });
            worker.addDoneCallback(f -> steps.add("done on the loop thread: " + loop.inLoop()));

            assertThatThrownBy(() -> loop.runUntilComplete(worker))
                    .isInstanceOf(CompletionException.class)
                    .hasCause(failure);
            assertThat(worker.exception()).isSameAs(failure);
            assertThat(steps).containsExactly("done on the loop thread: true");
        }

        @Test
        void cancellingTheFutureBeforeTheTaskStartsKeepsItFromRunning() throws InterruptedException {
            ExecutorService single = Executors.newSingleThreadExecutor();
            CountDownLatch gate = new CountDownLatch(1);
            AtomicBoolean ran = new AtomicBoolean();
            try {
                single.execute(() -> awaitQuietly(gate));
                LoopFuture<String> worker = loop.runInExecutor(single, () -> {
                    ran.set(true);
                    return "ran";
                });

                worker.cancel();
                loop.callSoon(gate::countDown);
                loop.runOnce();

                assertThat(worker.isCancelled()).isTrue();
            } finally {
                gate.countDown();
                single.shutdown();
                assertThat(single.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(ran).isFalse();
        }

        @Test
        void closeShutsDownTheDefaultExecutor() {
            Thread worker = loop.runUntilComplete(loop.runInExecutor(null, Thread::currentThread));

            loop.close();

            await().atMost(Duration.ofSeconds(5)).until(() -> !worker.isAlive());
        }

        @Test
        void shutdownDefaultExecutorCompletesOnceItsThreadsHaveEnded() {
            Thread worker = loop.runUntilComplete(loop.runInExecutor(null, Thread::currentThread));

            LoopFuture<Void> shutdown = loop.shutdownDefaultExecutor();
            loop.callLater(SAFETY_STOP, loop::stop);
            loop.runUntilComplete(shutdown);

            assertThat(shutdown.isDone()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> !worker.isAlive());
        }

        @Test
        void shutdownDefaultExecutorWithoutOneIsDoneAtOnce() {
            assertThat(loop.shutdownDefaultExecutor().isDone()).isTrue();
        }

        private void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Nested
    class DebugMode {

        @Test
        void aSlowCallbackIsLoggedWithWhereItWasScheduled() {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(50));

            try (LogCapture log = new LogCapture()) {
                loop.callSoon(new Named("slowCallback", () -> sleep(150)));
                loop.runOnce();

                assertThat(log.records).singleElement().satisfies(r -> {
                    assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                    assertThat(r.getMessage()).contains("Executing", "slowCallback", "took");
                    assertThat(r.getThrown()).isNotNull();
                    assertThat(r.getThrown().getStackTrace())
                            .anyMatch(frame -> frame.getClassName().startsWith(EventLoopTest.class.getName()));
                });
            }
        }

        @Test
        void aSlowCallbackIsNotLoggedOutsideDebugMode() {
            loop.setSlowCallbackDuration(Duration.ofMillis(50));

            try (LogCapture log = new LogCapture()) {
                loop.callSoon(new Named("slowCallback", () -> sleep(150)));
                loop.runOnce();

                assertThat(loop.isDebug()).isFalse();
                assertThat(log.records).isEmpty();
            }
        }

        @Test
        void theSlowCallbackDurationCannotBeNegative() {
            assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofMillis(100));
            assertThatThrownBy(() -> loop.setSlowCallbackDuration(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        private void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Named(String name, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Collects what the loop logs: {@code System.Logger} routes to java.util.logging by default. */
    private static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger(EventLoop.class.getName());
        private final boolean usedParentHandlers = logger.getUseParentHandlers();
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogCapture() {
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(usedParentHandlers);
        }
    }
}
