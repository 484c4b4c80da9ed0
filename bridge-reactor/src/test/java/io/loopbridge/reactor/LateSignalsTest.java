package io.loopbridge.reactor;

import static io.loopbridge.reactor.testing.BackgroundLoop.PATIENCE;
import static io.loopbridge.reactor.testing.BackgroundLoop.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.reactor.testing.AllEngines;
import io.loopbridge.reactor.testing.BackgroundLoop;
import io.loopbridge.reactor.testing.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * An error from a Reactor source that nobody can receive any more — it came after the coroutine
 * closed its subscriber, or after the stream of a {@code mapAsync} had ended — goes to {@code
 * Hooks.onErrorDropped}, as Reactor's own operators send it, and not to the loop's exception handler;
 * an item after the end goes to {@code Hooks.onNextDropped}. Items the coroutine leaves unread when
 * it closes its subscriber go to the discard hook of the subscriber's context ({@code doOnDiscard}
 * around the bridged coroutine), as Reactor's operators clear their queues on cancel.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class LateSignalsTest {
    final List<Throwable> dropped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void recordDroppedErrors() {
        Hooks.onErrorDropped(dropped::add);
    }

    @AfterEach
    void resetHooks() {
        Hooks.resetOnErrorDropped();
        Hooks.resetOnNextDropped();
    }

    @AllEngines
    void anItemAfterTheEndGoesToOnNextDropped(CoroutineEngine engine) {
        List<Object> droppedItems = new CopyOnWriteArrayList<>();
        Hooks.onNextDropped(droppedItems::add);
        List<Integer> read = Async.run(engine, () -> {
            TestPublisher<Integer> source =
                    TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
            LoopSubscriber<Integer> items = ReactorBridge.iterate(source.flux(), 4);
            source.next(1).complete();
            source.next(2); // after the end: §1.7 broken
            List<Integer> seen = new java.util.ArrayList<>();
            items.forEach(seen::add);
            return seen;
        });
        assertThat(read).containsExactly(1);
        assertThat(droppedItems).containsExactly(2);
        assertThat(dropped).isEmpty();
    }

    @AllEngines
    void anErrorAfterTheCoroutineClosedItsSubscriberGoesToOnErrorDropped(CoroutineEngine engine) {
        IllegalStateException late = new IllegalStateException("late");
        List<Object> reported = new CopyOnWriteArrayList<>();
        Async.run(engine, () -> {
            Async.loop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            TestPublisher<Integer> source =
                    TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION);
            LoopSubscriber<Integer> items = ReactorBridge.iterate(source.flux(), 4);
            source.next(1);
            assertThat(items.next()).isEqualTo(1);
            items.close();
            source.assertCancelled();
            source.error(late); // the source ignored the cancel
            Async.sleep(java.time.Duration.ofMillis(1));
            return null;
        });
        assertThat(dropped).containsExactly(late);
        assertThat(reported).as("the loop's exception handler").isEmpty();
    }

    @AllEngines
    void anUpstreamErrorAfterMapAsyncFailedGoesToOnErrorDropped(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException late = new IllegalStateException("the upstream failed as well");
            TestPublisher<Integer> source =
                    TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION);
            Flux<Integer> mapped = source.flux().transform(ReactorBridge.<Integer, Integer>mapAsync(bg.loop(), 2, i -> {
                throw boom;
            }));
            StepVerifier.create(mapped)
                    .then(() -> {
                        // mapAsync subscribes upstream from the loop: wait for its request
                        eventually().untilAsserted(() -> source.assertMinRequested(1));
                        source.next(1);
                    })
                    .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                    .verify(PATIENCE);
            source.assertCancelled();
            source.error(late); // racing our cancel, and losing
            eventually().untilAsserted(() -> assertThat(dropped).containsExactly(late));
            assertThat(bg.call(() -> bg.reported))
                    .as("the loop's exception handler")
                    .isEmpty();
        }
    }

    /**
     * Reads the first item of {@code source}, asks whether there is another and closes, inside a
     * {@code mono} with a discard hook.
     */
    static Mono<Integer> firstThenClose(Flux<Integer> source, List<Object> discarded) {
        return ReactorBridge.mono(() -> {
                    try (LoopSubscriber<Integer> items = ReactorBridge.iterate(source, 8)) {
                        int first = items.next();
                        assertThat(items.hasNext()).isTrue(); // holds the second item
                        return first;
                    }
                })
                .doOnDiscard(Object.class, discarded::add);
    }

    @AllEngines
    void bufferedItemsLeftByTheCoroutineGoToTheDiscardHook(CoroutineEngine engine) {
        List<Object> discarded = new CopyOnWriteArrayList<>();
        Integer first = Async.run(
                engine,
                () -> ReactorBridge.await(firstThenClose(Flux.range(1, 5).hide(), discarded)));
        assertThat(first).isEqualTo(1);
        assertThat(discarded).as("requested 8, read 1").containsExactly(2, 3, 4, 5);
    }

    @AllEngines
    void aFusedSourceDiscardsWhatItStillHolds(CoroutineEngine engine) {
        List<Object> discarded = new CopyOnWriteArrayList<>();
        Integer first = Async.run(
                engine, () -> ReactorBridge.await(firstThenClose(Flux.fromIterable(List.of(1, 2, 3)), discarded)));
        assertThat(first).isEqualTo(1);
        // the held item by us, the rest by Flux.fromIterable's cancel
        assertThat(discarded).containsExactlyInAnyOrder(2, 3);
    }

    @AllEngines
    void anItemArrivingAfterTheCloseGoesToTheDiscardHook(CoroutineEngine engine) {
        List<Object> discarded = new CopyOnWriteArrayList<>();
        TestPublisher<Integer> source = TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION);
        Async.run(
                engine,
                () -> ReactorBridge.await(ReactorBridge.mono(() -> {
                            LoopSubscriber<Integer> items = ReactorBridge.iterate(source.flux(), 4);
                            source.next(1, 2);
                            assertThat(items.next()).isEqualTo(1);
                            items.close();
                            source.next(3); // the source ignored the cancel
                            return null;
                        })
                        .doOnDiscard(Object.class, discarded::add)));
        assertThat(discarded).containsExactly(2, 3);
        assertThat(dropped).isEmpty();
    }

    /**
     * A core publisher subscribed by a Reactor subscriber directly: its generator or coroutine
     * failing after the cancel goes to {@code Hooks.onErrorDropped}, where {@code Flux.generate} sends
     * a failure of its state cleanup, and not to the loop's exception handler.
     */
    @AllEngines
    void aCorePublisherFailingAfterItsReactorSubscriberCancelledGoesToOnErrorDropped(CoroutineEngine engine)
            throws InterruptedException {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            IllegalStateException generatorLate = new IllegalStateException("the generator's cleanup failed");
            IllegalStateException coroutineLate = new IllegalStateException("the coroutine's cleanup failed");
            CountDownLatch running = new CountDownLatch(2);
            Publisher<Integer> generator = Reactive.publisher(bg.loop(), y -> {
                try {
                    running.countDown();
                    Async.sleep(Duration.ofDays(1));
                } catch (CancellationException cancelled) {
                    throw generatorLate;
                }
            });
            Publisher<Integer> coroutine = Reactive.fromCoroutine(bg.loop(), () -> {
                try {
                    running.countDown();
                    Async.sleep(Duration.ofDays(1));
                    return 1;
                } catch (CancellationException cancelled) {
                    throw coroutineLate;
                }
            });
            Disposable fromGenerator = Flux.from(generator).subscribe();
            Disposable fromCoroutine = Mono.from(coroutine).subscribe();
            assertThat(running.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .isTrue();
            fromGenerator.dispose();
            fromCoroutine.dispose();
            eventually()
                    .untilAsserted(() -> assertThat(dropped).containsExactlyInAnyOrder(generatorLate, coroutineLate));
            assertThat(bg.call(() -> bg.reported))
                    .as("the loop's exception handler")
                    .isEmpty();
        }
    }
}
