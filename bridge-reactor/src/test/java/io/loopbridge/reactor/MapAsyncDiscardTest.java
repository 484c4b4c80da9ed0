package io.loopbridge.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.reactor.testing.AllEngines;
import io.loopbridge.reactor.testing.NoLoopbridgeThreadsLeft;
import io.loopbridge.sync.AsyncEvent;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * What {@code ReactorBridge.mapAsync} drops when its subscriber cancels goes to the discard hook of
 * that subscriber's context ({@code doOnDiscard}), as Reactor's {@code flatMapSequential} discards
 * its queues: the results of finished coroutines not emitted yet and the items whose coroutine had
 * not started. An item whose coroutine started is that coroutine's (cancelled, it cleans up itself).
 * Everything runs on the loop's thread, so the order is fixed without timing.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class MapAsyncDiscardTest {
    /** Lets the loop run every step and callback now queued, and those they queue, a few rounds deep. */
    private static void settle() {
        for (int i = 0; i < 10; i++) {
            Async.sleep(Duration.ZERO);
        }
    }

    @AllEngines
    void aCancelDiscardsUnemittedResultsAndUnstartedItemsOnce(CoroutineEngine engine) {
        List<Object> discarded = new ArrayList<>();
        List<Integer> cancelledInside = new ArrayList<>();
        List<String> received = new ArrayList<>();
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            AsyncEvent never = new AsyncEvent();
            Flux<String> mapped = Flux.range(1, 100)
                    .transform(ReactorBridge.<Integer, String>mapAsync(loop, 4, i -> {
                        if (i == 2) {
                            try {
                                never.await(); // the head of the queue, still running at the cancel
                            } catch (CancellationException e) {
                                cancelledInside.add(i);
                                throw e;
                            }
                        }
                        return "r" + i;
                    }))
                    .doOnDiscard(Object.class, discarded::add);
            mapped.subscribe(new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(Subscription s) {
                    request(1);
                }

                @Override
                protected void hookOnNext(String value) {
                    received.add(value);
                    // queued ahead of the first step of item 5, which mapAsync asks for after this onNext
                    loop.callSoon(this::cancel);
                }
            });
            settle();
            return null;
        });
        assertThat(received).containsExactly("r1");
        assertThat(cancelledInside).as("item 2's coroutine had taken it").containsExactly(2);
        // r3 and r4 waited behind 2; 5 was requested after r1 and cancelled before its coroutine started
        assertThat(discarded).containsExactlyInAnyOrder("r3", "r4", 5);
    }

    /**
     * Each item the upstream emitted ends in exactly one place: emitted as a result, discarded as a
     * result, discarded as an item, or taken by a coroutine that was cancelled.
     */
    @AllEngines
    void everyUpstreamItemIsEmittedDiscardedOrTakenExactlyOnce(CoroutineEngine engine) {
        List<Integer> offered = new ArrayList<>();
        List<Object> discarded = new ArrayList<>();
        List<Integer> cancelledInside = new ArrayList<>();
        List<String> received = new ArrayList<>();
        Async.run(engine, () -> {
            AsyncEvent gate = new AsyncEvent();
            BaseSubscriber<String> subscriber = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(Subscription s) {
                    request(2);
                }

                @Override
                protected void hookOnNext(String value) {
                    received.add(value);
                    request(1);
                }
            };
            Flux.range(1, 500)
                    .doOnNext(offered::add)
                    .transform(ReactorBridge.<Integer, String>mapAsync(Async.loop(), 8, i -> {
                        try {
                            if (i % 5 == 0) {
                                gate.await();
                            } else if (i % 5 == 2) {
                                Async.sleep(Duration.ZERO);
                            }
                        } catch (CancellationException e) {
                            cancelledInside.add(i);
                            throw e;
                        }
                        return "r" + i;
                    }))
                    .doOnDiscard(Object.class, discarded::add)
                    .subscribe(subscriber);
            settle();
            gate.set();
            gate.clear(); // the items after the gate's release wait again
            settle();
            subscriber.cancel();
            settle();
            return null;
        });
        List<Integer> accounted = new ArrayList<>(cancelledInside);
        for (String r : received) {
            accounted.add(Integer.parseInt(r.substring(1)));
        }
        int discardedResults = 0;
        for (Object d : discarded) {
            if (d instanceof String) {
                discardedResults++;
                accounted.add(Integer.parseInt(((String) d).substring(1)));
            } else {
                accounted.add((Integer) d);
            }
        }
        Set<Integer> unique = new HashSet<>(accounted);
        assertThat(unique).as("no item counted twice").hasSize(accounted.size());
        assertThat(accounted).as("no item lost").containsExactlyInAnyOrderElementsOf(offered);
        assertThat(received).as("some results were emitted").isNotEmpty();
        assertThat(discardedResults).as("some finished results were discarded").isPositive();
        assertThat(cancelledInside).as("some running coroutines were cancelled").isNotEmpty();
    }

    @AllEngines
    void itemsWhoseCoroutinesSomeoneElseCancelledBeforeTheyStartedAreDiscarded(CoroutineEngine engine) {
        List<Object> discarded = new ArrayList<>();
        List<Object> signals = new ArrayList<>();
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            Flux.range(1, 10)
                    .transform(ReactorBridge.<Integer, Integer>mapAsync(loop, 4, i -> i))
                    .doOnDiscard(Object.class, discarded::add)
                    .subscribe(signals::add, e -> signals.add(e.getClass().getSimpleName()));
            for (io.loopbridge.task.Task<?> t : Async.allTasks()) {
                if (t != Async.currentTask()) {
                    t.cancel(); // e.g. a shutdown cancelling the loop's tasks, before any coroutine ran
                }
            }
            settle();
            return null;
        });

        assertThat(signals).containsExactly("CancellationException");
        assertThat(discarded).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @AllEngines
    void aCoroutineFailingWhileACancelFromAnotherThreadIsOnItsWayIsReportedOnce(CoroutineEngine engine) {
        List<Throwable> dropped = java.util.Collections.synchronizedList(new ArrayList<>());
        reactor.core.publisher.Hooks.onErrorDropped(dropped::add);
        try {
            java.util.concurrent.atomic.AtomicReference<Subscription> subscription =
                    new java.util.concurrent.atomic.AtomicReference<>();
            RuntimeException boom = new RuntimeException("boom");
            Async.run(engine, () -> {
                EventLoop loop = Async.loop();
                Flux.range(1, 3)
                        .transform(ReactorBridge.<Integer, Integer>mapAsync(loop, 4, i -> {
                            if (i == 1) {
                                Thread canceller =
                                        new Thread(() -> subscription.get().cancel());
                                canceller.start();
                                while (canceller.isAlive()) {
                                    // the cancel reached the subscription; its work on the loop waits
                                    // for this step (no join or onSpinWait: BlockHound counts them)
                                }
                                throw boom;
                            }
                            return i;
                        }))
                        .subscribe(new BaseSubscriber<>() {
                            @Override
                            protected void hookOnSubscribe(Subscription s) {
                                subscription.set(s);
                                s.request(Long.MAX_VALUE);
                            }
                        });
                settle();
                return null;
            });

            assertThat(dropped).containsExactly(boom);
        } finally {
            reactor.core.publisher.Hooks.resetOnErrorDropped();
        }
    }

    /**
     * {@code Async.run} cancels the coroutines still in flight when its main coroutine returns; the
     * stream ends then as when one fails: the upstream is cancelled, the subscriber gets {@code
     * onError}, and the result that was waiting for demand goes to the discard hook.
     */
    @AllEngines
    void asyncRunReturningDiscardsTheResultsNotEmitted(CoroutineEngine engine) {
        List<Object> discarded = new ArrayList<>();
        List<Object> signals = new ArrayList<>();
        Async.run(() -> new TestEventLoop(engine), () -> {
            Flux.range(1, 100)
                    .doOnCancel(() -> signals.add("upstream cancelled"))
                    .transform(ReactorBridge.<Integer, String>mapAsync(Async.loop(), 3, i -> {
                        if (i > 1) {
                            Async.sleep(Duration.ofHours(1));
                        }
                        return "r" + i;
                    }))
                    .doOnDiscard(Object.class, discarded::add)
                    .subscribe(new BaseSubscriber<>() {
                        @Override
                        protected void hookOnSubscribe(Subscription s) {} // no demand yet

                        @Override
                        protected void hookOnError(Throwable t) {
                            signals.add(t.getClass().getSimpleName());
                        }
                    });
            settle();
            return null;
        });

        assertThat(signals).containsExactly("upstream cancelled", "CancellationException");
        assertThat(discarded).containsExactly("r1");
    }

    /**
     * A stream with nothing in flight when {@code Async.run} returns is not a task, so nothing
     * cancels it then: the first upstream item that finds the loop closed ends it (the upstream
     * cancelled, the item discarded, {@code onError} on the upstream's thread), instead of an endless
     * {@code Flux.interval} ticking into a closed loop forever.
     */
    @AllEngines
    void anEndlessUpstreamIsCancelledAtItsFirstItemAfterTheLoopClosed(CoroutineEngine engine) {
        List<Object> discarded = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Throwable> error = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger cancels = new java.util.concurrent.atomic.AtomicInteger();
        Async.run(engine, () -> {
            Flux.interval(Duration.ofMillis(500), Duration.ofMillis(5)) // no tick while the loop runs
                    .doOnCancel(cancels::incrementAndGet)
                    .transform(ReactorBridge.<Long, Long>mapAsync(Async.loop(), 2, i -> i))
                    .doOnDiscard(Object.class, discarded::add)
                    .subscribe(item -> {}, error::complete);
            settle();
            return null;
        });

        assertThat(error)
                .succeedsWithin(Duration.ofSeconds(10))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("Event loop is closed"));
        assertThat(cancels).hasValue(1);
        assertThat(discarded).containsExactly(0L);
    }

    /**
     * An item handed to the loop while it was stopped, which then closes, never reaches a coroutine:
     * the close gives it to the discard hook, and the subscriber hears the loop is closed.
     */
    @AllEngines
    void anItemHandedToAStoppedLoopThatThenClosesIsDiscarded(CoroutineEngine engine) {
        List<Object> discarded = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.publisher.Sinks.Many<Integer> items =
                reactor.core.publisher.Sinks.many().unicast().onBackpressureBuffer();
        java.util.concurrent.CompletableFuture<Throwable> ended = new java.util.concurrent.CompletableFuture<>();
        EventLoop loop = new EventLoop(engine);
        loop.runUntilComplete(loop.createTask(() -> {
            items.asFlux()
                    .transform(ReactorBridge.<Integer, Integer>mapAsync(Async.loop(), 2, i -> i))
                    .doOnDiscard(Object.class, discarded::add)
                    .subscribe(v -> {}, ended::complete, () -> ended.complete(null));
            settle();
            return null;
        }));
        items.tryEmitNext(7); // delivered on this thread: the stream hands it to the stopped loop
        loop.close();

        assertThat(ended).succeedsWithin(Duration.ofSeconds(5)).isInstanceOf(IllegalStateException.class);
        assertThat(discarded).containsExactly(7);
    }
}
