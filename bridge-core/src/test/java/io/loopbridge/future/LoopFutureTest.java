package io.loopbridge.future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.loop.EventLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLoopbridgeThreadsLeft.class)
class LoopFutureTest {
    private final EventLoop loop = new EventLoop();
    private final List<String> steps = new ArrayList<>();

    @AfterEach
    void closeTheLoop() {
        loop.close();
    }

    /** Calling stop() before runForever() runs exactly one lap, as in asyncio. */
    private void runOneLap() {
        loop.stop();
        loop.runForever();
    }

    private Consumer<LoopFuture<String>> step(String name) {
        return f -> steps.add(name);
    }

    @Nested
    class Outcome {

        @Test
        void aPendingFutureHasNoResultAndNoExceptionYet() {
            LoopFuture<String> future = loop.createFuture();

            assertThat(future.isDone()).isFalse();
            assertThatIllegalStateException().isThrownBy(future::result).withMessageContaining("not ready");
            assertThatIllegalStateException().isThrownBy(future::exception);
        }

        @Test
        void setResultMakesTheResultAvailable() {
            LoopFuture<String> future = loop.createFuture();

            future.setResult("ok");

            assertThat(future.isDone()).isTrue();
            assertThat(future.isCancelled()).isFalse();
            assertThat(future.result()).isEqualTo("ok");
            assertThat(future.exception()).isNull();
        }

        @Test
        void anExceptionSetAsTheResultIsAValueNotAFailure() {
            LoopFuture<Throwable> future = loop.createFuture();
            IllegalStateException value = new IllegalStateException("a value, not a failure");

            future.setResult(value);

            assertThat(future.result()).isSameAs(value);
            assertThat(future.exception()).isNull();
            assertThat(future.toString()).contains("finished result=");
        }

        @Test
        void aStringSetAsTheResultIsNotACancelMessage() {
            LoopFuture<String> future = loop.createFuture();

            future.setResult("done");

            assertThat(future.isCancelled()).isFalse();
            assertThat(future.toString()).contains("finished result=done").doesNotContain("cancelled");
        }

        @Test
        void aFailureAndACancelMessageShowInTheDescriptionAsSuch() {
            LoopFuture<String> failed = loop.createFuture();
            LoopFuture<String> cancelled = loop.createFuture();
            LoopFuture<String> cancelledWithoutMessage = loop.createFuture();

            failed.setException(new IOException("disk gone"));
            cancelled.cancel("no longer needed");
            cancelledWithoutMessage.cancel();

            assertThat(failed.toString()).contains("finished exception=java.io.IOException: disk gone");
            assertThat(cancelled.toString()).contains("cancelled message='no longer needed'");
            assertThat(cancelledWithoutMessage.toString()).endsWith("[cancelled]");
            assertThat(catchThrowable(cancelledWithoutMessage::result))
                    .isInstanceOf(CancellationException.class)
                    .extracting(Throwable::getMessage)
                    .isNull();
        }

        @Test
        void aRuntimeFailureIsRethrownUnchanged() {
            LoopFuture<String> future = loop.createFuture();
            IllegalArgumentException failure = new IllegalArgumentException("bad input");

            future.setException(failure);

            assertThatThrownBy(future::result).isSameAs(failure);
            assertThat(future.exception()).isSameAs(failure);
        }

        @Test
        void aCheckedFailureIsRethrownWrappedInCompletionException() {
            LoopFuture<String> future = loop.createFuture();
            IOException failure = new IOException("disk gone");

            future.setException(failure);

            assertThatThrownBy(future::result)
                    .isInstanceOf(CompletionException.class)
                    .hasCause(failure);
            assertThat(future.exception()).isSameAs(failure);
        }

        @Test
        void aCancelledFutureThrowsCancellationExceptionWithTheMessage() {
            LoopFuture<String> future = loop.createFuture();

            assertThat(future.cancel("no longer needed")).isTrue();

            assertThat(future.isCancelled()).isTrue();
            assertThat(future.isDone()).isTrue();
            assertThatThrownBy(future::result)
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("no longer needed");
            assertThatThrownBy(future::exception)
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("no longer needed");
        }

        @Test
        void aDoneFutureCannotBeCompletedAgain() {
            LoopFuture<String> finished = loop.createFuture();
            finished.setResult("first");
            LoopFuture<String> cancelled = loop.createFuture();
            cancelled.cancel();

            assertThatIllegalStateException()
                    .isThrownBy(() -> finished.setResult("second"))
                    .withMessageContaining("already done");
            assertThatIllegalStateException().isThrownBy(() -> finished.setException(new IOException()));
            assertThatIllegalStateException().isThrownBy(() -> cancelled.setResult("late"));
            assertThatIllegalStateException().isThrownBy(() -> cancelled.setException(new IOException()));
            assertThat(finished.result()).isEqualTo("first");
        }

        @Test
        void cancelReturnsFalseOnADoneFuture() {
            LoopFuture<String> finished = loop.createFuture();
            finished.setResult("ok");
            LoopFuture<String> cancelled = loop.createFuture();
            cancelled.cancel();

            assertThat(finished.cancel()).isFalse();
            assertThat(cancelled.cancel("again")).isFalse();
            assertThat(finished.isCancelled()).isFalse();
        }
    }

    @Nested
    class DoneCallbacks {

        @Test
        void doneCallbacksAreScheduledWithCallSoonNeverRunInline() {
            LoopFuture<String> future = loop.createFuture();
            future.addDoneCallback(f -> steps.add("done callback sees " + f.result()));
            loop.callSoon(() -> {
                future.setResult("ok");
                steps.add("right after setResult");
            });
            loop.callSoon(() -> steps.add("rest of the lap"));

            runOneLap();
            assertThat(steps).containsExactly("right after setResult", "rest of the lap");

            runOneLap();
            assertThat(steps).containsExactly("right after setResult", "rest of the lap", "done callback sees ok");
        }

        @Test
        void doneCallbacksRunInRegistrationOrder() {
            LoopFuture<String> future = loop.createFuture();
            future.addDoneCallback(step("first"));
            future.addDoneCallback(step("second"));
            future.addDoneCallback(step("third"));

            future.cancel();
            runOneLap();

            assertThat(steps).containsExactly("first", "second", "third");
        }

        @Test
        void aCallbackAddedAfterCompletionIsStillScheduled() {
            LoopFuture<String> future = loop.createFuture();
            future.setResult("ok");

            future.addDoneCallback(step("added late"));
            assertThat(steps).isEmpty();

            runOneLap();
            assertThat(steps).containsExactly("added late");
        }

        @Test
        void removeDoneCallbackRemovesEveryRegistrationAndSaysHowMany() {
            LoopFuture<String> future = loop.createFuture();
            Consumer<LoopFuture<String>> twice = step("registered twice");
            future.addDoneCallback(twice);
            future.addDoneCallback(step("kept"));
            future.addDoneCallback(twice);

            assertThat(future.removeDoneCallback(twice)).isEqualTo(2);
            assertThat(future.removeDoneCallback(twice)).isZero();

            future.setResult("ok");
            runOneLap();
            assertThat(steps).containsExactly("kept");
        }
    }

    @Nested
    class ToCompletableFuture {

        @Test
        void completesWithTheResult() {
            LoopFuture<String> future = loop.createFuture();
            CompletableFuture<String> cf = future.toCompletableFuture();

            future.setResult("ok");
            assertThat(cf).isNotDone();
            runOneLap();

            assertThat(cf).isCompletedWithValue("ok");
        }

        @Test
        void completesExceptionallyWithTheFailure() {
            LoopFuture<String> future = loop.createFuture();
            CompletableFuture<String> cf = future.toCompletableFuture();
            IOException failure = new IOException("disk gone");

            future.setException(failure);
            runOneLap();

            assertThatThrownBy(cf::get).isInstanceOf(ExecutionException.class).hasCause(failure);
        }

        @Test
        void anExceptionThatIsTheResultCompletesItNormally() throws Exception {
            LoopFuture<Throwable> future = loop.createFuture();
            CompletableFuture<Throwable> cf = future.toCompletableFuture();
            IOException value = new IOException("a value, not a failure");

            future.setResult(value);
            runOneLap();

            assertThat(cf).isCompletedWithValue(value);
        }

        @Test
        void aCancelMessageReachesTheCompletableFuture() {
            LoopFuture<String> future = loop.createFuture();
            CompletableFuture<String> cf = future.toCompletableFuture();

            future.cancel("enough");
            runOneLap();

            assertThat(cf).isCancelled();
            assertThat(cf.handle((value, error) -> error).join())
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("enough");
        }

        @Test
        void aReaderOnAnotherThreadSeesTheOutcomeThroughIt() throws Exception {
            LoopFuture<Object> value = loop.createFuture();
            LoopFuture<Object> failed = loop.createFuture();
            CompletableFuture<Object> valueSeen = value.toCompletableFuture();
            CompletableFuture<Object> failureSeen = failed.toCompletableFuture();
            IOException failure = new IOException("disk gone");
            IllegalStateException exceptionAsValue = new IllegalStateException("a value");
            CompletableFuture<List<Object>> read = CompletableFuture.supplyAsync(() -> {
                Throwable thrown = failureSeen.handle((v, e) -> e).join();
                return List.of(valueSeen.join(), thrown);
            });

            loop.callSoon(() -> value.setResult(exceptionAsValue));
            loop.callSoon(() -> failed.setException(failure));
            loop.runUntilComplete(LoopFuture.from(loop, read));

            assertThat(read.get()).containsExactly(exceptionAsValue, failure);
        }

        @Test
        void isCancelledWhenTheFutureIsCancelled() {
            LoopFuture<String> future = loop.createFuture();
            CompletableFuture<String> cf = future.toCompletableFuture();

            future.cancel("enough");
            runOneLap();

            assertThat(cf).isCancelled();
        }

        @Test
        void cancellingTheCompletableFutureCancelsTheFuture() {
            LoopFuture<String> future = loop.createFuture();
            CompletableFuture<String> cf = future.toCompletableFuture();

            cf.cancel(false);
            runOneLap();

            assertThat(future.isCancelled()).isTrue();
        }
    }

    @Nested
    class FromCompletionStage {

        @Test
        void aStageWhoseValueIsAnExceptionCompletesTheFutureWithThatValue() {
            CompletableFuture<Throwable> stage = new CompletableFuture<>();
            LoopFuture<Throwable> future = LoopFuture.from(loop, stage);
            IOException value = new IOException("a value, not a failure");

            stage.complete(value);

            assertThat(loop.runUntilComplete(future)).isSameAs(value);
            assertThat(future.exception()).isNull();
        }

        @Test
        void aStageCompletedOnAnotherThreadCompletesTheFutureOnTheLoopThread() throws InterruptedException {
            CompletableFuture<String> stage = new CompletableFuture<>();
            LoopFuture<String> future = LoopFuture.from(loop, stage);
            List<Thread> loopThread = new ArrayList<>();
            List<Thread> observedOn = new ArrayList<>();
            future.addDoneCallback(f -> observedOn.add(Thread.currentThread()));
            Thread completer = new Thread(() -> stage.complete("from afar"), "completer");
            loop.callSoon(() -> {
                loopThread.add(Thread.currentThread());
                completer.start();
            });
            loop.callLater(Duration.ofSeconds(10), loop::stop);

            assertThat(loop.runUntilComplete(future)).isEqualTo("from afar");
            completer.join();

            assertThat(observedOn).containsExactlyElementsOf(loopThread).doesNotContain(completer);
        }

        @Test
        void aCompletionExceptionIsUnwrapped() {
            CompletableFuture<String> source = new CompletableFuture<>();
            CompletionStage<String> dependent = source.thenApply(s -> s);
            IllegalArgumentException failure = new IllegalArgumentException("bad input");
            source.completeExceptionally(failure);

            LoopFuture<String> future = LoopFuture.from(loop, dependent);
            runOneLap();

            assertThat(future.exception()).isSameAs(failure);
        }

        @Test
        void aCancelledStageCancelsTheFuture() {
            CompletableFuture<String> stage = new CompletableFuture<>();
            LoopFuture<String> future = LoopFuture.from(loop, stage);

            stage.cancel(false);
            runOneLap();

            assertThat(future.isCancelled()).isTrue();
        }

        @Test
        void cancellingTheFutureCancelsTheStage() {
            CompletableFuture<String> stage = new CompletableFuture<>();
            LoopFuture<String> future = LoopFuture.from(loop, stage);

            future.cancel();
            runOneLap();

            assertThat(stage).isCancelled();
        }

        @Test
        void withoutALoopArgumentItNeedsARunningLoop() {
            CompletableFuture<String> stage = CompletableFuture.completedFuture("ok");

            assertThatIllegalStateException()
                    .isThrownBy(() -> LoopFuture.from(stage))
                    .withMessageContaining("running event loop");

            List<EventLoop> boundTo = new ArrayList<>();
            loop.callSoon(() -> boundTo.add(LoopFuture.from(stage).loop()));
            runOneLap();
            assertThat(boundTo).containsExactly(loop);
        }
    }

    @Nested
    class DebugMode {

        @Test
        void aFailureNobodyRetrievedIsReportedWhenTheFutureIsCollected() {
            List<Map<String, Object>> reports = new ArrayList<>();
            loop.setDebug(true);
            loop.setExceptionHandler((l, context) -> reports.add(context));
            IOException lost = new IOException("lost");
            IOException seen = new IOException("seen");

            failAndForget(lost);
            failReadAndForget(seen);
            await().pollInSameThread()
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        collectGarbageAndRunBriefly();
                        return reports.stream().anyMatch(r -> r.get("exception") == lost);
                    });
            collectGarbageAndRunBriefly();
            collectGarbageAndRunBriefly();

            assertThat(reports).singleElement().satisfies(context -> {
                assertThat(context.get("message")).isEqualTo("Future exception was never retrieved");
                assertThat(context.get("exception")).isSameAs(lost);
                assertThat(context.get("future")).asString().contains("LoopFuture");
            });
        }

        private void failAndForget(Throwable failure) {
            loop.<String>createFuture().setException(failure);
        }

        private void failReadAndForget(Throwable failure) {
            LoopFuture<String> future = loop.createFuture();
            future.setException(failure);
            assertThat(future.exception()).isSameAs(failure);
        }

        private void collectGarbageAndRunBriefly() {
            System.gc();
            loop.callLater(Duration.ofMillis(10), loop::stop);
            loop.runForever();
        }
    }
}
