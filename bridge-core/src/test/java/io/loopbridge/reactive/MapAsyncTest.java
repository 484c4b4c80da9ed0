package io.loopbridge.reactive;

import static io.loopbridge.reactive.RecordingSubscriber.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.CoroutineFunction;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import io.loopbridge.testing.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;

/**
 * {@code Reactive.mapAsync}: a coroutine per item, at most {@code concurrency} at a time, results
 * in upstream order as downstream demand allows; a failure or a cancel cancels every coroutine in
 * flight. Every test runs on each coroutine engine the JVM offers.
 *
 * <p>The test whose items must finish in the order of their sleeps runs on virtual time ({@link
 * VirtualTime}): there every coroutine starts at loop time 0 however slowly the machine starts
 * their threads, so the shortest sleep ends first.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class MapAsyncTest {
    static final Duration FOREVER = Duration.ofSeconds(30);

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

    static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    /** Logs its start, sleeps "forever", and logs its cancellation and finally. */
    CoroutineFunction<Integer, Integer> sleepsForever() {
        return i -> {
            steps.add("start " + i);
            try {
                Async.sleep(FOREVER);
                return i;
            } catch (CancellationException e) {
                steps.add("cancelled " + i);
                throw e;
            } finally {
                steps.add("finally " + i);
            }
        };
    }

    static void assertOnlyTaskLeftIsMine() {
        assertThat(Async.allTasks()).containsExactly(Async.currentTask());
    }

    /**
     * An upstream may signal from another thread and then from the loop's own (§1.3 only asks for
     * happens-before): item 1 from a helper thread while the loop is busy in {@code request}, item 2
     * inline right after. Item 2 must not overtake item 1, whose hop onto the loop has not run yet.
     */
    @AllEngines
    void keepsUpstreamOrderWhenTheUpstreamSwitchesFromAnotherThreadToTheLoops(CoroutineEngine engine) {
        onEngine(engine, () -> {
            Publisher<Integer> switching = subscriber -> subscriber.onSubscribe(new Subscription() {
                private int next = 1;

                @Override
                public void request(long n) {
                    if (next > 2) {
                        return;
                    }
                    Thread helper = new Thread(() -> subscriber.onNext(next++), "helper");
                    helper.start();
                    try {
                        helper.join(); // item 1's hop waits in the loop's queue
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    subscriber.onNext(next++); // inline, on the loop's thread
                    subscriber.onComplete();
                }

                @Override
                public void cancel() {}
            });
            assertThat(Reactive.toList(Reactive.mapAsync(switching, Async.loop(), 2, i -> i)))
                    .containsExactly(1, 2);
        });
    }

    @AllEngines
    void runsAtMostConcurrencyCoroutinesAtATime(CoroutineEngine engine) {
        onEngine(engine, () -> {
            for (int concurrency : new int[] {1, 4}) {
                AtomicInteger running = new AtomicInteger();
                AtomicInteger max = new AtomicInteger();
                Publisher<Integer> mapped = Reactive.mapAsync(Flux.range(1, 40), Async.loop(), concurrency, i -> {
                    max.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Async.sleep(Duration.ofMillis(1 + (i * 7) % 5));
                    } finally {
                        running.decrementAndGet();
                    }
                    return i * 10;
                });
                assertThat(Reactive.toList(mapped))
                        .isEqualTo(range(1, 40).stream().map(i -> i * 10).collect(Collectors.toList()));
                assertThat(max).as("concurrency %d", concurrency).hasValue(concurrency);
                assertThat(running).hasValue(0);
            }
        });
    }

    @AllEngines
    void emitsInUpstreamOrderEvenWhenLaterItemsFinishFirst(CoroutineEngine engine) {
        VirtualTime.run(engine, () -> {
            List<Integer> finished = new CopyOnWriteArrayList<>();
            Publisher<Integer> upstream = Reactive.publisher(Async.loop(), y -> {
                for (int i = 1; i <= 10; i++) {
                    y.yield(i);
                }
            });
            Publisher<String> mapped = Reactive.mapAsync(upstream, Async.loop(), 10, i -> {
                Async.sleep(Duration.ofMillis(3L * (11 - i)));
                finished.add(i);
                return "r" + i;
            });
            assertThat(Reactive.toList(mapped))
                    .containsExactly("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10");
            assertThat(finished).containsExactly(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
            return null;
        });
    }

    @AllEngines
    void respectsDownstreamDemand(CoroutineEngine engine) {
        onEngine(engine, () -> {
            List<Long> upstreamRequests = new CopyOnWriteArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps);
            Reactive.mapAsync(Flux.range(1, 5).doOnRequest(upstreamRequests::add), Async.loop(), 2, i -> {
                        calls.incrementAndGet();
                        return i;
                    })
                    .subscribe(s);
            settle();
            assertThat(steps).containsExactly("onSubscribe");
            assertThat(upstreamRequests).as("only as many items as may run").containsExactly(2L);
            assertThat(calls).hasValue(2);

            for (int n = 1; n <= 4; n++) {
                s.request(1);
                settle();
                assertThat(s.items).isEqualTo(range(1, n));
                assertThat(s.isTerminated()).isFalse();
            }
            s.request(1);
            settle();
            assertThat(s.items).isEqualTo(range(1, 5));
            assertThat(steps).endsWith("onNext 5", "onComplete");
            assertThat(calls).hasValue(5);
            assertThat(upstreamRequests)
                    .as("one more item for each result emitted")
                    .startsWith(2L, 1L, 1L, 1L)
                    .containsOnly(2L, 1L);
        });
    }

    @AllEngines
    void cancelCancelsTheUpstreamAndEveryCoroutineInFlight(CoroutineEngine engine) {
        onEngine(engine, () -> {
            AtomicInteger cancels = new AtomicInteger();
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, Long.MAX_VALUE);
            Reactive.mapAsync(Flux.range(1, 100).doOnCancel(cancels::incrementAndGet), Async.loop(), 3, sleepsForever())
                    .subscribe(s);
            settle();
            assertThat(steps).containsExactly("onSubscribe", "start 1", "start 2", "start 3");
            s.cancel();
            settle();
            assertThat(cancels).hasValue(1);
            assertThat(steps)
                    .contains("finally 1", "finally 2", "finally 3")
                    .doesNotContain("start 4")
                    .noneMatch(step -> step.startsWith("onError") || step.startsWith("onComplete"));
            assertOnlyTaskLeftIsMine();
        });
    }

    @AllEngines
    void anUpstreamErrorCancelsEveryCoroutineInFlight(CoroutineEngine engine) {
        onEngine(engine, () -> {
            IllegalStateException boom = new IllegalStateException("boom");
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, Long.MAX_VALUE);
            // the error comes once both coroutines run (a task cancelled before its start runs nothing)
            Publisher<Integer> upstream = Reactive.publisher(Async.loop(), y -> {
                y.yield(1);
                y.yield(2);
                Async.sleep(Duration.ofMillis(5));
                throw boom;
            });
            Reactive.mapAsync(upstream, Async.loop(), 4, sleepsForever()).subscribe(s);
            assertThat(s.awaitTerminal()).isSameAs(boom);
            settle();
            assertThat(steps).contains("cancelled 1", "finally 1", "cancelled 2", "finally 2");
            assertThat(s.items).isEmpty();
            assertOnlyTaskLeftIsMine();
        });
    }

    @AllEngines
    void aFailedCoroutineCancelsTheOthersAndTheUpstream(CoroutineEngine engine) {
        onEngine(engine, () -> {
            AtomicInteger cancels = new AtomicInteger();
            IllegalStateException boom = new IllegalStateException("boom");
            CoroutineFunction<Integer, Integer> forever = sleepsForever();
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, Long.MAX_VALUE);
            // items 1 and 2 never finish: the failure of item 3 must not wait behind them
            Reactive.mapAsync(Flux.range(1, 100).doOnCancel(cancels::incrementAndGet), Async.loop(), 4, i -> {
                        if (i == 3) {
                            Async.sleep(Duration.ofMillis(2));
                            throw boom;
                        }
                        return forever.apply(i);
                    })
                    .subscribe(s);
            assertThat(s.awaitTerminal()).isSameAs(boom);
            settle();
            assertThat(cancels).hasValue(1);
            assertThat(steps).contains("finally 1", "finally 2", "finally 4").doesNotContain("start 5");
            assertOnlyTaskLeftIsMine();
        });
    }

    @AllEngines
    void aNullResultIsOnErrorNullPointerException(CoroutineEngine engine) {
        onEngine(engine, () -> {
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, Long.MAX_VALUE);
            CoroutineFunction<Integer, Integer> forever = sleepsForever();
            // item 1 never finishes: the null of item 2 must not wait behind it
            Reactive.mapAsync(Flux.range(1, 3), Async.loop(), 3, i -> i == 2 ? null : forever.apply(i))
                    .subscribe(s);
            assertThat(s.awaitTerminal())
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("2.13");
            settle();
            assertThat(steps).contains("finally 1", "finally 3");
            assertOnlyTaskLeftIsMine();
        });
    }

    @AllEngines
    void aNonPositiveRequestIsOnErrorRule39(CoroutineEngine engine) {
        onEngine(engine, () -> {
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps);
            Reactive.mapAsync(Flux.range(1, 3), Async.loop(), 2, sleepsForever())
                    .subscribe(s);
            settle();
            s.request(-1);
            assertThat(s.awaitTerminal())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3.9");
            settle();
            assertThat(steps).contains("finally 1", "finally 2");
            assertOnlyTaskLeftIsMine();
        });
    }

    @AllEngines
    void aSubscriberThrowingFromOnNextIsCancelledAndReported(CoroutineEngine engine) {
        onEngine(engine, () -> {
            List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
            Async.loop().setExceptionHandler((loop, ctx) -> errors.add(ctx));
            AtomicInteger cancels = new AtomicInteger();
            IllegalStateException bug = new IllegalStateException("subscriber bug");
            CoroutineFunction<Integer, Integer> forever = sleepsForever();
            RecordingSubscriber<Integer> s = new RecordingSubscriber<Integer>(Async.loop(), steps, Long.MAX_VALUE)
                    .onNextDoing(i -> {
                        throw bug;
                    });
            Reactive.mapAsync(
                            Flux.range(1, 100).doOnCancel(cancels::incrementAndGet),
                            Async.loop(),
                            3,
                            i -> i == 1 ? i : forever.apply(i))
                    .subscribe(s);
            settle();
            assertThat(errors)
                    .singleElement()
                    .satisfies(ctx -> assertThat(ctx.get("exception")).isSameAs(bug));
            assertThat(cancels).hasValue(1);
            assertThat(steps)
                    .contains("onNext 1", "finally 2", "finally 3")
                    .noneMatch(step -> step.startsWith("onError") || step.startsWith("onComplete"));
            assertOnlyTaskLeftIsMine();
        });
    }

    @AllEngines
    void badArgumentsAreRejectedAtOnce(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            CoroutineFunction<Integer, Integer> id = i -> i;
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Reactive.mapAsync(Flux.just(1), loop, 0, id))
                    .withMessageContaining("concurrency")
                    .withMessageContaining("0");
            assertThatIllegalArgumentException().isThrownBy(() -> Reactive.mapAsync(Flux.just(1), loop, -1, id));
            assertThatNullPointerException()
                    .isThrownBy(() -> Reactive.mapAsync(null, loop, 1, id))
                    .withMessageContaining("publisher");
            assertThatNullPointerException()
                    .isThrownBy(() -> Reactive.mapAsync(Flux.just(1), loop, 1, null))
                    .withMessageContaining("fn");
        });
    }

    @AllEngines
    void tenThousandItemsWith256InFlightArriveInOrderAndLeaveNoTask(CoroutineEngine engine) {
        onEngine(engine, () -> {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            Publisher<Integer> mapped = Reactive.mapAsync(Flux.range(1, 10_000), Async.loop(), 256, i -> {
                max.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Async.sleep(Duration.ofMillis(1));
                } finally {
                    running.decrementAndGet();
                }
                return i;
            });
            assertThat(Reactive.toList(mapped)).isEqualTo(range(1, 10_000));
            assertThat(max.get()).isBetween(2, 256);
            assertOnlyTaskLeftIsMine();
            assertThat(Async.loop().allTasks()).hasSize(1);
        });
    }

    /** An upstream that ignores cancel: it gives the subscriber to the test and does nothing on a request. */
    static final class IgnoresCancel implements Publisher<Integer> {
        volatile org.reactivestreams.Subscriber<? super Integer> subscriber;

        @Override
        public void subscribe(org.reactivestreams.Subscriber<? super Integer> s) {
            subscriber = s;
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
        }
    }

    /**
     * An upstream error after the stream has ended — a coroutine failed and our cancel raced the
     * upstream's own failure, or the subscriber cancelled — reaches nobody downstream: the loop's
     * exception handler gets it, once.
     */
    @AllEngines
    void anUpstreamErrorAfterTheStreamEndedGoesToTheLoopsExceptionHandler(CoroutineEngine engine) {
        onEngine(engine, () -> {
            List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
            Async.loop().setExceptionHandler((loop, ctx) -> errors.add(ctx));
            IllegalStateException coroutineFailed = new IllegalStateException("coroutine failed");
            IgnoresCancel upstream = new IgnoresCancel();
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, Long.MAX_VALUE);
            Reactive.<Integer, Integer>mapAsync(upstream, Async.loop(), 2, i -> {
                        throw coroutineFailed;
                    })
                    .subscribe(s);
            settle();
            upstream.subscriber.onNext(1);
            settle();
            assertThat(s.terminated).isCompletedWithValue(coroutineFailed);
            IllegalStateException late = new IllegalStateException("upstream failed too");
            upstream.subscriber.onError(late);
            settle();
            assertThat(errors).singleElement().satisfies(ctx -> {
                assertThat(ctx.get("exception")).isSameAs(late);
                assertThat((String) ctx.get("message")).contains("upstream of mapAsync failed after its stream ended");
            });

            IgnoresCancel second = new IgnoresCancel();
            RecordingSubscriber<Integer> cancelling = new RecordingSubscriber<>(Async.loop(), steps, 1);
            Reactive.mapAsync(second, Async.loop(), 2, i -> i).subscribe(cancelling);
            settle();
            cancelling.cancel();
            IllegalStateException afterCancel = new IllegalStateException("after the cancel");
            second.subscriber.onError(afterCancel);
            settle();
            assertThat(errors).hasSize(2);
            assertThat(errors.get(1).get("exception")).isSameAs(afterCancel);
        });
    }

    /**
     * A {@code CancellationException} from the upstream after we cancelled it (a coroutine failed, or
     * the subscriber cancelled) is the echo of that cancel: not reported. After the upstream's own
     * end it is a late error like any other.
     */
    @AllEngines
    void theUpstreamsEchoOfOurCancelIsNotReported(CoroutineEngine engine) {
        onEngine(engine, () -> {
            List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
            Async.loop().setExceptionHandler((loop, ctx) -> errors.add(ctx));
            IgnoresCancel failing = new IgnoresCancel();
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, Long.MAX_VALUE);
            Reactive.<Integer, Integer>mapAsync(failing, Async.loop(), 2, i -> {
                        throw new IllegalStateException("coroutine failed");
                    })
                    .subscribe(s);
            settle();
            failing.subscriber.onNext(1);
            settle();
            failing.subscriber.onError(new CancellationException("our cancel, echoed"));

            IgnoresCancel cancelled = new IgnoresCancel();
            RecordingSubscriber<Integer> cancelling = new RecordingSubscriber<>(Async.loop(), steps, 1);
            Reactive.mapAsync(cancelled, Async.loop(), 2, i -> i).subscribe(cancelling);
            settle();
            cancelling.cancel();
            settle();
            cancelled.subscriber.onError(new CancellationException("our cancel, echoed"));

            IgnoresCancel completed = new IgnoresCancel();
            Reactive.mapAsync(completed, Async.loop(), 2, i -> i)
                    .subscribe(new RecordingSubscriber<>(Async.loop(), steps, 1));
            settle();
            completed.subscriber.onComplete();
            CancellationException afterEnd = new CancellationException("after its own end");
            completed.subscriber.onError(afterEnd);
            settle();
            assertThat(errors)
                    .singleElement()
                    .satisfies(ctx -> assertThat(ctx.get("exception")).isSameAs(afterEnd));
        });
    }

    /**
     * {@code Async.run} cancels the loop's leftover tasks when its main coroutine returns, as {@code
     * asyncio.run} does, the coroutines of a live stream among them. The stream then ends at once,
     * as when a coroutine fails: the upstream is cancelled and the subscriber gets {@code onError},
     * though the cancelled coroutines wait behind a result that no demand lets out yet.
     */
    @AllEngines
    void asyncRunCancellingTheCoroutinesInFlightEndsTheStream(CoroutineEngine engine) {
        AtomicInteger cancels = new AtomicInteger();
        List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
        List<Task<?>> jobs = new CopyOnWriteArrayList<>();
        List<RecordingSubscriber<Integer>> subscriber = new CopyOnWriteArrayList<>();
        VirtualTime.run(engine, () -> {
            Async.loop().setExceptionHandler((loop, ctx) -> errors.add(ctx));
            CoroutineFunction<Integer, Integer> forever = sleepsForever();
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps); // no demand
            subscriber.add(s);
            Reactive.mapAsync(Flux.range(1, 100).doOnCancel(cancels::incrementAndGet), Async.loop(), 3, i -> {
                        jobs.add(Async.currentTask());
                        return i == 1 ? i : forever.apply(i);
                    })
                    .subscribe(s);
            settle();
            assertThat(steps).containsExactly("onSubscribe", "start 2", "start 3");
            return null; // item 1's result waits for demand, items 2 and 3 sleep
        });
        RecordingSubscriber<Integer> s = subscriber.get(0);
        assertThat(s.terminated)
                .isCompletedWithValueMatching(e -> e instanceof CancellationException
                        && e.getMessage().contains("Async.run cancels the loop's leftover tasks"));
        assertThat(steps)
                .contains("cancelled 2", "finally 2", "cancelled 3", "finally 3")
                .doesNotContain("start 4")
                .noneMatch(step -> step.startsWith("onNext"));
        assertThat(cancels).as("upstream cancelled").hasValue(1);
        assertThat(jobs).hasSize(3).allMatch(Task::isDone);
        assertThat(jobs.subList(1, 3)).allMatch(Task::isCancelled);
        assertThat(errors).as("nothing for the exception handler").isEmpty();
        assertThat(s.offLoop).isEmpty();
    }

    /**
     * Same with demand: the coroutine of the item that took the place of an emitted one is cancelled
     * with the others, and no coroutine is left for the loop's close to unwind.
     */
    @AllEngines
    void asyncRunLeavesNoMapAsyncCoroutineForTheLoopsClose(CoroutineEngine engine) {
        List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
        List<Task<?>> jobs = new CopyOnWriteArrayList<>();
        List<RecordingSubscriber<Integer>> subscriber = new CopyOnWriteArrayList<>();
        VirtualTime.run(engine, () -> {
            Async.loop().setExceptionHandler((loop, ctx) -> errors.add(ctx));
            CoroutineFunction<Integer, Integer> forever = sleepsForever();
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, Long.MAX_VALUE);
            subscriber.add(s);
            Reactive.mapAsync(Flux.range(1, 100), Async.loop(), 3, i -> {
                        jobs.add(Async.currentTask());
                        return i == 1 ? i : forever.apply(i);
                    })
                    .subscribe(s);
            settle();
            assertThat(steps).containsExactly("onSubscribe", "start 2", "start 3", "onNext 1", "start 4");
            return null;
        });
        assertThat(subscriber.get(0).terminated).isCompletedWithValueMatching(e -> e instanceof CancellationException);
        for (int i = 2; i <= 4; i++) {
            assertThat(steps)
                    .as("item %d cancelled, not unwound by the loop's close", i)
                    .contains("cancelled " + i);
        }
        assertThat(jobs).hasSize(4).allMatch(Task::isDone);
        assertThat(errors).isEmpty();
    }

    /**
     * A stream with nothing in flight when its loop closes hears of it at its next signal, as
     * Reactor's {@code publishOn} hears that its worker is gone: an upstream item or a request that
     * finds the loop closed ends the stream on the signalling thread ({@code onError}, the upstream
     * cancelled, the item dropped). Otherwise an endless upstream such as {@code Flux.interval} would
     * feed a closed loop forever, and the subscriber would wait forever.
     */
    @AllEngines
    void aSignalThatFindsTheLoopClosedEndsTheStream(CoroutineEngine engine) {
        Manual items = new Manual();
        Manual requests = new Manual();
        Manual cancels = new Manual();
        Manual completes = new Manual();
        List<RecordingSubscriber<Integer>> subscribers = new CopyOnWriteArrayList<>();
        Async.run(engine, () -> {
            for (Manual upstream : List.of(items, requests, cancels, completes)) {
                RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, 1);
                subscribers.add(s);
                Reactive.mapAsync(upstream, Async.loop(), 2, i -> i).subscribe(s);
            }
            settle();
            return null;
        });
        assertThat(List.of(items, requests, cancels, completes)).allSatisfy(upstream -> {
            assertThat(upstream.requested).as("requested while the loop ran").hasValue(2);
            assertThat(upstream.cancels)
                    .as("not cancelled yet: nothing told the stream")
                    .hasValue(0);
        });
        assertThat(subscribers).noneMatch(RecordingSubscriber::isTerminated);
        String here = Thread.currentThread().getName();

        items.subscriber.onNext(1);
        RecordingSubscriber<Integer> fed = subscribers.get(0);
        assertThat(fed.terminated)
                .isCompletedWithValueMatching(e ->
                        e instanceof IllegalStateException && e.getMessage().contains("Event loop is closed"));
        assertThat(fed.offLoop).containsExactly("onError on " + here);
        assertThat(items.cancels).hasValue(1);
        items.subscriber.onNext(2); // the upstream has not seen the cancel yet: dropped, nothing else
        assertThat(fed.items).isEmpty();
        assertThat(items.cancels).hasValue(1);

        subscribers.get(1).request(1);
        assertThat(subscribers.get(1).terminated).isCompletedWithValueMatching(e -> e instanceof IllegalStateException);
        assertThat(requests.cancels).hasValue(1);

        subscribers.get(2).cancel();
        assertThat(cancels.cancels).as("a cancel still reaches the upstream").hasValue(1);
        assertThat(subscribers.get(2).isTerminated()).isFalse();

        completes.subscriber.onComplete(); // nothing was in flight: nothing is lost
        assertThat(subscribers.get(3).terminated).isCompletedWithValue(null);
        assertThat(completes.cancels).hasValue(0);
    }

    /**
     * A loop closed directly (not through {@code Async.run}) under running coroutines unwinds them
     * itself ({@code finally} runs, no cancellation is delivered, a {@code finally} that throws is
     * reported by the loop); the stream hears of it at its next signal, and reports nothing again.
     */
    @AllEngines
    void aLoopClosedUnderRunningCoroutinesEndsTheStreamAtItsNextSignal(CoroutineEngine engine) {
        Manual upstream = new Manual();
        List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop(engine);
        loop.setExceptionHandler((l, ctx) -> errors.add(ctx));
        RecordingSubscriber<Integer> s = new RecordingSubscriber<>(loop, steps, 1);
        IllegalStateException finallyFailed = new IllegalStateException("finally failed");
        CoroutineFunction<Integer, Integer> forever = sleepsForever();
        CoroutineFunction<Integer, Integer> coroutine = i -> {
            try {
                return forever.apply(i);
            } finally {
                if (i == 2) {
                    throw finallyFailed;
                }
            }
        };
        loop.runUntilComplete(loop.createTask(() -> {
            Reactive.mapAsync(upstream, loop, 2, coroutine).subscribe(s);
            settle();
            upstream.subscriber.onNext(1);
            upstream.subscriber.onNext(2);
            settle();
            return null;
        }));
        loop.close();
        assertThat(steps)
                .as("unwound by the close, not cancelled")
                .containsExactly("onSubscribe", "start 1", "start 2", "finally 1", "finally 2");

        s.request(1);
        assertThat(s.terminated)
                .isCompletedWithValueMatching(e ->
                        e instanceof IllegalStateException && e.getMessage().contains("Event loop is closed"));
        assertThat(upstream.cancels).hasValue(1);
        assertThat(errors)
                .as("the failed finally, reported once")
                .filteredOn(ctx -> ctx.get("exception") == finallyFailed)
                .hasSize(1);
        assertThat(errors)
                .as("nothing from the stream")
                .noneMatch(ctx -> String.valueOf(ctx.get("message")).contains("mapAsync"));
    }

    /** An upstream the test drives by hand: it counts the requests and the cancels, and does nothing else. */
    /**
     * An upstream signal handed to the loop while it was open but stopped (between two {@code
     * runUntilComplete} calls, or after {@code Async.run}'s main returned) is dropped when the loop
     * then closes, as every pending callback is: the stream must still end, not leave its subscriber
     * waiting for a terminal signal that nothing will send.
     */
    @AllEngines
    void anUpstreamCompletionQueuedOnAStoppedLoopThatThenClosesStillEndsTheStream(CoroutineEngine engine) {
        Manual upstream = new Manual();
        EventLoop loop = new EventLoop(engine);
        List<RecordingSubscriber<Integer>> subscriber = new CopyOnWriteArrayList<>();
        loop.runUntilComplete(loop.createTask(() -> {
            RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, 1);
            subscriber.add(s);
            Reactive.mapAsync(upstream, Async.loop(), 2, i -> i).subscribe(s);
            settle();
            return null;
        }));
        upstream.subscriber.onComplete(); // the loop is open: queued for its next lap, which never comes
        loop.close();

        assertThat(subscriber.get(0).terminated)
                .as("the subscriber hears of the end")
                .succeedsWithin(Duration.ofSeconds(5));
        assertThat(upstream.cancels)
                .as("the upstream completed: nothing to cancel")
                .hasValue(0);
    }

    /** Same for an item and for a request: the stream ends, the upstream is cancelled. */
    @AllEngines
    void anItemOrARequestQueuedOnAStoppedLoopThatThenClosesEndsTheStream(CoroutineEngine engine) {
        Manual items = new Manual();
        Manual requests = new Manual();
        EventLoop loop = new EventLoop(engine);
        List<RecordingSubscriber<Integer>> subscribers = new CopyOnWriteArrayList<>();
        loop.runUntilComplete(loop.createTask(() -> {
            for (Manual upstream : List.of(items, requests)) {
                RecordingSubscriber<Integer> s = new RecordingSubscriber<>(Async.loop(), steps, 1);
                subscribers.add(s);
                Reactive.mapAsync(upstream, Async.loop(), 2, i -> i).subscribe(s);
            }
            settle();
            return null;
        }));
        items.subscriber.onNext(1);
        subscribers.get(1).request(1);
        loop.close();

        for (RecordingSubscriber<Integer> s : subscribers) {
            assertThat(s.terminated).succeedsWithin(Duration.ofSeconds(5)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(items.cancels).hasValue(1);
        assertThat(requests.cancels).hasValue(1);
    }

    static final class Manual implements Publisher<Integer> {
        volatile org.reactivestreams.Subscriber<? super Integer> subscriber;
        final AtomicLong requested = new AtomicLong();
        final AtomicInteger cancels = new AtomicInteger();

        @Override
        public void subscribe(org.reactivestreams.Subscriber<? super Integer> s) {
            subscriber = s;
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    requested.addAndGet(n);
                }

                @Override
                public void cancel() {
                    cancels.incrementAndGet();
                }
            });
        }
    }
}
