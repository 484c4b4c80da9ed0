package io.loopbridge.rxjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loopbridge.Async;
import io.loopbridge.rxjava.RxTesting.LoopThread;
import io.loopbridge.rxjava.RxTesting.NoThreadsLeft;
import io.loopbridge.rxjava.RxTesting.RxJavaErrors;
import io.loopbridge.task.CoroutineEngine;
import io.reactivex.rxjava3.core.CompletableObserver;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.MaybeObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8, disposal: disposing the {@code Disposable} that {@code subscribe(...)} returns for any
 * bridged source cancels the task or closes the generator behind it (its {@code finally} runs, no
 * task is left, nothing reaches {@code RxJavaPlugins.onError}), and {@code isDisposed()} says so:
 * false while it runs, true after the dispose. The {@code Disposable} a {@code Maybe} or {@code
 * Completable} hands its observer is disposed after the terminal signal too.
 */
@ExtendWith({NoThreadsLeft.class, RxJavaErrors.class})
class DisposalTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    /** A coroutine that logs, then sleeps "forever", logging its cancellation and its finally. */
    Integer sleepForever() {
        steps.add("running");
        try {
            Async.sleep(RxTesting.FOREVER);
            return 1;
        } catch (CancellationException e) {
            steps.add("cancelled");
            throw e;
        } finally {
            steps.add("finally");
        }
    }

    /** Each bridged source, subscribed with a plain lambda consumer on {@code lt}'s loop. */
    final Map<String, Function<LoopThread, Disposable>> sources = new TreeMap<>(Map.of(
            "single", lt -> RxBridge.single(lt.loop, this::sleepForever).subscribe(v -> {}, e -> {}),
            "maybe", lt -> RxBridge.maybe(lt.loop, this::sleepForever).subscribe(v -> {}, e -> {}),
            "completable",
                    lt -> RxBridge.completable(lt.loop, this::sleepForever).subscribe(() -> {}, e -> {}),
            "flowable",
                    lt -> RxBridge.<Integer>flowable(lt.loop, y -> y.yield(sleepForever()))
                            .subscribe(v -> {}, e -> {}),
            "observable",
                    lt -> RxBridge.<Integer>observable(lt.loop, y -> y.yield(sleepForever()))
                            .subscribe(v -> {}, e -> {}),
            "mapAsync",
                    lt -> Flowable.just(1)
                            .compose(RxBridge.<Integer, Integer>mapAsync(lt.loop, 1, i -> sleepForever()))
                            .subscribe(v -> {}, e -> {})));

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (CoroutineEngine engine : CoroutineEngine.available()) {
            for (String source : List.of("completable", "flowable", "mapAsync", "maybe", "observable", "single")) {
                all.add(Arguments.of(engine, source));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void disposingCancelsTheTaskAndIsDisposedSaysSo(CoroutineEngine engine, String source) {
        try (LoopThread lt = new LoopThread(engine)) {
            Disposable d = sources.get(source).apply(lt);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(steps).containsExactly("running"));
            assertThat(d.isDisposed()).as("while the coroutine runs").isFalse();
            assertThat(lt.call(lt.loop::allTasks)).isNotEmpty();

            d.dispose();

            assertThat(d.isDisposed()).as("after dispose").isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(steps).containsExactly("running", "cancelled", "finally"));
            lt.awaitNoLiveTasks();
            assertThat(lt.loopErrors).as("a cancellation is not an error").isEmpty();
        }
    }

    /** RxJava's own time operators on {@code TestScheduler} time dispose a bridged source as any other. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.loopbridge.rxjava.RxTesting#engines")
    void aTimeoutOnTestSchedulerTimeCancelsTheTask(CoroutineEngine engine) {
        try (LoopThread lt = new LoopThread(engine)) {
            TestScheduler clock = new TestScheduler();
            TestObserver<Integer> single = RxBridge.single(lt.loop, this::sleepForever)
                    .timeout(1, TimeUnit.MINUTES, clock)
                    .test();
            TestSubscriber<Integer> flowable = RxBridge.<Integer>flowable(lt.loop, y -> y.yield(sleepForever()))
                    .timeout(1, TimeUnit.MINUTES, clock)
                    .test();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(steps).containsExactly("running", "running"));

            clock.advanceTimeBy(59, TimeUnit.SECONDS);
            single.assertNotComplete().assertNoErrors();
            flowable.assertNotComplete().assertNoErrors();
            clock.advanceTimeBy(1, TimeUnit.SECONDS);

            single.assertError(TimeoutException.class);
            flowable.assertError(TimeoutException.class);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(steps)
                            .containsExactlyInAnyOrder(
                                    "running", "running", "cancelled", "finally", "cancelled", "finally"));
            lt.awaitNoLiveTasks();
            assertThat(lt.loopErrors).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.loopbridge.rxjava.RxTesting#engines")
    void theDisposableOfAMaybeOrCompletableIsDisposedAfterTheTerminalSignal(CoroutineEngine engine) {
        try (LoopThread lt = new LoopThread(engine)) {
            List<Disposable> given = new CopyOnWriteArrayList<>();
            List<String> signals = new CopyOnWriteArrayList<>();
            RxBridge.maybe(lt.loop, () -> null).subscribe(new MaybeObserver<Object>() {
                @Override
                public void onSubscribe(Disposable d) {
                    given.add(d);
                }

                @Override
                public void onSuccess(Object o) {
                    signals.add("maybe onSuccess");
                }

                @Override
                public void onError(Throwable e) {
                    signals.add("maybe onError");
                }

                @Override
                public void onComplete() {
                    signals.add("maybe onComplete");
                }
            });
            RxBridge.completable(lt.loop, () -> "ignored").subscribe(new CompletableObserver() {
                @Override
                public void onSubscribe(Disposable d) {
                    given.add(d);
                }

                @Override
                public void onComplete() {
                    signals.add("completable onComplete");
                }

                @Override
                public void onError(Throwable e) {
                    signals.add("completable onError");
                }
            });
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(signals)
                            .containsExactlyInAnyOrder("maybe onComplete", "completable onComplete"));
            assertThat(given)
                    .hasSize(2)
                    .allSatisfy(d -> assertThat(d.isDisposed()).isTrue());
            lt.awaitNoLiveTasks();
        }
    }
}
