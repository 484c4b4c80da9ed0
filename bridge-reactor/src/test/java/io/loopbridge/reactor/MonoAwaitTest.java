package io.loopbridge.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactor.testing.AllEngines;
import io.loopbridge.reactor.testing.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.publisher.TestPublisher;

/**
 * {@code ReactorBridge.await(Mono)}: suspends the coroutine until the {@code Mono} is done, except
 * when it is ready at subscription; whatever thread signals, the coroutine resumes on its loop.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class MonoAwaitTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    interface Body {
        void run() throws Exception;
    }

    static void onEngine(CoroutineEngine engine, Body body) {
        Async.run(engine, () -> {
            body.run();
            return null;
        });
    }

    @AllEngines
    void returnsTheValue(CoroutineEngine engine) {
        onEngine(engine, () -> {
            assertThat(ReactorBridge.await(Mono.just("now"))).isEqualTo("now");
            assertThat(ReactorBridge.await(Mono.just("later").delayElement(Duration.ofMillis(1))))
                    .isEqualTo("later");
        });
    }

    @AllEngines
    void emptyIsNullAndMonoVoidWorks(CoroutineEngine engine) {
        onEngine(engine, () -> {
            assertThat(ReactorBridge.await(Mono.<String>empty())).isNull();
            Mono<Void> done = Mono.delay(Duration.ofMillis(1)).then();
            Void nothing = ReactorBridge.await(done);
            assertThat(nothing).isNull();
            assertThat(ReactorBridge.await(Mono.<String>fromRunnable(() -> steps.add("ran"))))
                    .isNull();
            assertThat(steps).containsExactly("ran");
        });
    }

    /** A callback scheduled before the await runs only if the coroutine gave the loop a lap. */
    @AllEngines
    void aReadyMonoDoesNotSuspend(CoroutineEngine engine) {
        onEngine(engine, () -> {
            AtomicBoolean lap = new AtomicBoolean();
            Async.loop().callSoon(() -> lap.set(true));

            assertThat(ReactorBridge.<Integer>await(Mono.just(1).map(i -> i + 1)))
                    .isEqualTo(2);
            assertThat(ReactorBridge.await(Mono.fromCallable(() -> "sync"))).isEqualTo("sync");
            assertThat(ReactorBridge.await(Mono.<String>empty())).isNull();
            assertThat(catchThrowable(() -> ReactorBridge.await(Mono.error(new IllegalStateException("ready")))))
                    .hasMessage("ready");
            // hidden: no constant to read, so the outcome arrives through the subscriber while subscribing
            assertThat(ReactorBridge.await(Mono.just(3).hide())).isEqualTo(3);
            assertThat(ReactorBridge.await(Mono.<String>empty().hide())).isNull();
            assertThat(catchThrowable(() -> ReactorBridge.await(
                            Mono.error(new IllegalStateException("hidden")).hide())))
                    .hasMessage("hidden");
            assertThat(lap).as("the loop ran a lap").isFalse();

            Async.sleep(Duration.ZERO);
            assertThat(lap).isTrue();
        });
    }

    /** Here only a loop callback can complete the Mono: the await must give the loop its lap. */
    @AllEngines
    void aMonoThatIsNotReadySuspendsAndTheLoopRunsMeanwhile(CoroutineEngine engine) {
        onEngine(engine, () -> {
            CompletableFuture<String> later = new CompletableFuture<>();
            Async.loop().callSoon(() -> later.complete("completed by a loop callback"));
            assertThat(ReactorBridge.await(Mono.fromFuture(later))).isEqualTo("completed by a loop callback");
        });
    }

    /** The scenario: the value arrives on a parallel thread; the coroutine goes on on its loop. */
    @AllEngines
    void aValueFromAnotherThreadHopsBackOntoTheLoop(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            int[] counter = {0}; // loop state: plain, unsynchronized
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tasks.add(Async.createTask(() -> {
                    String emitter = ReactorBridge.await(
                            Mono.fromCallable(() -> Thread.currentThread().getName())
                                    .subscribeOn(Schedulers.parallel()));
                    assertThat(loop.inLoop())
                            .as("back on the loop after the await")
                            .isTrue();
                    counter[0]++;
                    loop.callSoon(() -> counter[0]++); // loop-only: throws on any other thread
                    return emitter;
                }));
            }
            for (Task<String> t : tasks) {
                assertThat(Async.await(t)).startsWith("parallel-");
            }
            Async.sleep(Duration.ZERO);
            assertThat(counter[0]).isEqualTo(100);
        });
    }

    @AllEngines
    void aFailureIsRethrown(CoroutineEngine engine) {
        onEngine(engine, () -> {
            IllegalStateException boom = new IllegalStateException("boom");
            assertThat(catchThrowable(() -> ReactorBridge.await(Mono.error(boom))))
                    .isSameAs(boom);
            assertThat(catchThrowable(() ->
                            ReactorBridge.await(Mono.delay(Duration.ofMillis(1)).then(Mono.error(boom)))))
                    .isSameAs(boom);
            assertThat(catchThrowable(() -> ReactorBridge.await(Mono.error(new IOException("checked")))))
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(IOException.class)
                    .hasMessage("checked");
        });
    }

    @AllEngines
    void cancellingTheCoroutineCancelsTheSubscription(CoroutineEngine engine) {
        onEngine(engine, () -> {
            Task<String> t = Async.createTask(() -> ReactorBridge.await(Mono.<String>never()
                    .doOnSubscribe(s -> steps.add("subscribed"))
                    .doOnCancel(() -> steps.add("cancel"))));
            Async.sleep(Duration.ofMillis(1));
            assertThat(steps).containsExactly("subscribed");
            t.cancel();
            assertThatThrownBy(() -> Async.await(t)).isInstanceOf(CancellationException.class);
            assertThat(steps).containsExactly("subscribed", "cancel");
        });
    }

    /**
     * An error that arrives after the coroutine gave up is Reactor's dropped error, not lost silently;
     * a {@code CancellationException} then is the echo of our cancel and is ignored, as Reactor's own
     * {@code Mono.fromFuture} ignores a future cancelled after its subscriber cancelled.
     */
    @AllEngines
    void anErrorAfterTheCoroutineWasCancelledGoesToOnErrorDropped(CoroutineEngine engine) {
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);
        try {
            onEngine(engine, () -> {
                AtomicReference<CoreSubscriber<? super String>> subscriber = new AtomicReference<>();
                Mono<String> ignoresCancel = new Mono<>() {
                    @Override
                    public void subscribe(CoreSubscriber<? super String> actual) {
                        actual.onSubscribe(reactor.core.publisher.Operators.emptySubscription());
                        subscriber.set(actual);
                    }
                };
                Task<String> t = Async.createTask(() -> ReactorBridge.await(ignoresCancel));
                Async.sleep(Duration.ofMillis(1));
                t.cancel();
                assertThatThrownBy(() -> Async.await(t)).isInstanceOf(CancellationException.class);

                subscriber.get().onError(new CancellationException("the echo of our cancel"));
                IllegalStateException late = new IllegalStateException("late");
                subscriber.get().onError(late);
                assertThat(dropped).containsExactly(late);
            });
        } finally {
            Hooks.resetOnErrorDropped();
        }
    }

    /**
     * A Mono that breaks the rules and signals after its end: as in Reactor's operators, an item goes
     * to Hooks.onNextDropped and an error to Hooks.onErrorDropped (an item after a cancel is discarded).
     */
    @AllEngines
    void signalsAfterTheEndGoToReactorsDroppedHooks(CoroutineEngine engine) {
        List<Object> droppedItems = new CopyOnWriteArrayList<>();
        List<Throwable> droppedErrors = new CopyOnWriteArrayList<>();
        Hooks.onNextDropped(droppedItems::add);
        Hooks.onErrorDropped(droppedErrors::add);
        IllegalStateException late = new IllegalStateException("late");
        try {
            onEngine(engine, () -> {
                Mono<String> signalsAfterItsEnd = new Mono<>() {
                    @Override
                    public void subscribe(CoreSubscriber<? super String> actual) {
                        actual.onSubscribe(reactor.core.publisher.Operators.emptySubscription());
                        actual.onNext("value");
                        actual.onComplete();
                        actual.onNext("after the end");
                        actual.onError(late);
                    }
                };
                assertThat(ReactorBridge.await(signalsAfterItsEnd)).isEqualTo("value");
            });
            assertThat(droppedItems).containsExactly("after the end");
            assertThat(droppedErrors).containsExactly(late);
        } finally {
            Hooks.resetOnNextDropped();
            Hooks.resetOnErrorDropped();
        }
    }

    /**
     * A Mono made from a publisher that sends two items and then an error breaks the Mono contract:
     * the first value is the result (Reactor's block() returns it too), the second item goes to
     * Hooks.onNextDropped and the error to Hooks.onErrorDropped.
     */
    @AllEngines
    void aSecondItemAndAnErrorAfterTheValueGoToReactorsDroppedHooks(CoroutineEngine engine) {
        List<Object> droppedItems = new CopyOnWriteArrayList<>();
        List<Throwable> droppedErrors = new CopyOnWriteArrayList<>();
        Hooks.onNextDropped(droppedItems::add);
        Hooks.onErrorDropped(droppedErrors::add);
        IllegalStateException late = new IllegalStateException("late");
        try {
            onEngine(engine, () -> {
                TestPublisher<String> source =
                        TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
                Task<String> t = Async.createTask(() -> ReactorBridge.await(source.mono()));
                Async.sleep(Duration.ofMillis(1));
                source.next("value", "second");
                source.error(late);
                assertThat(Async.await(t)).isEqualTo("value");
            });
            assertThat(droppedItems).containsExactly("second");
            assertThat(droppedErrors).containsExactly(late);
        } finally {
            Hooks.resetOnNextDropped();
            Hooks.resetOnErrorDropped();
        }
    }

    @Test
    void outsideACoroutineItThrowsWithoutSubscribing() {
        assertThatIllegalStateException()
                .isThrownBy(() -> ReactorBridge.await(Mono.just(1).doOnSubscribe(s -> steps.add("subscribed"))));
        assertThat(steps).isEmpty();
        assertThatNullPointerException()
                .isThrownBy(() -> ReactorBridge.await(null))
                .withMessage("mono");
    }
}
