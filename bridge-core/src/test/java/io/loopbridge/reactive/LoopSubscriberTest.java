package io.loopbridge.reactive;

import static io.loopbridge.reactive.RecordingSubscriber.eventually;
import static io.loopbridge.reactive.RecordingSubscriber.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;

/**
 * {@link LoopSubscriber} and {@code Reactive.iterate}: a publisher read with a for-each loop inside
 * a coroutine — prefetch and 75 % replenishment, cancellation by close/break/exception/task
 * cancel, errors raised where the coroutine iterates, and the §2 rules a subscriber must keep.
 * Every test runs on each coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class LoopSubscriberTest {
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

    /** A subscription that logs what it is asked and whether the caller owned the loop. */
    static final class FakeSubscription implements Subscription {
        final EventLoop loop;
        final List<Long> requests = new CopyOnWriteArrayList<>();
        final List<String> offLoop = new CopyOnWriteArrayList<>();
        final AtomicInteger cancels = new AtomicInteger();

        FakeSubscription(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void request(long n) {
            check("request " + n);
            requests.add(n);
        }

        @Override
        public void cancel() {
            check("cancel");
            cancels.incrementAndGet();
        }

        private void check(String what) {
            if (!loop.inLoop()) {
                offLoop.add(what + " on " + Thread.currentThread().getName());
            }
        }
    }

    @AllEngines
    void forEachReadsEveryItemInOrder(CoroutineEngine engine) {
        onEngine(engine, () -> {
            List<Integer> seen = new ArrayList<>();
            try (LoopSubscriber<Integer> items = Reactive.iterate(Flux.range(1, 1000), 16)) {
                for (int i : items) {
                    seen.add(i);
                }
                assertThat(items.isDone()).isTrue();
            }
            assertThat(seen).isEqualTo(range(1, 1000));

            List<Integer> again = new ArrayList<>();
            for (int i : Reactive.iterate(Flux.range(1, 1000))) {
                again.add(i);
            }
            assertThat(again).isEqualTo(range(1, 1000));
        });
    }

    @AllEngines
    void requestsThePrefetchThenReplenishesAt75Percent(CoroutineEngine engine) {
        onEngine(engine, () -> {
            List<Long> requests = new CopyOnWriteArrayList<>();
            AtomicInteger emitted = new AtomicInteger();
            int consumed = 0;
            int maxOutstanding = 0;
            try (LoopSubscriber<Integer> items = Reactive.iterate(
                    Flux.range(1, 100).doOnRequest(requests::add).doOnNext(i -> emitted.incrementAndGet()), 16)) {
                assertThat(requests).containsExactly(16L);
                for (int i : items) {
                    consumed++;
                    maxOutstanding = Math.max(maxOutstanding, emitted.get() - consumed);
                }
            }
            assertThat(consumed).isEqualTo(100);
            // 16 first, then 16 - 16/4 = 12 each time 12 items have been consumed, and none once
            // the range has completed (§2.4): 16 + 7 * 12 = 100
            List<Long> expected = new ArrayList<>(List.of(16L));
            expected.addAll(Collections.nCopies(7, 12L));
            assertThat(requests).isEqualTo(expected);
            assertThat(maxOutstanding)
                    .as("never more than the prefetch buffered")
                    .isLessThanOrEqualTo(16);

            List<Long> ones = new CopyOnWriteArrayList<>();
            List<Integer> seen = new ArrayList<>();
            for (int i : Reactive.iterate(Flux.range(1, 3).doOnRequest(ones::add), 1)) {
                seen.add(i);
            }
            assertThat(seen).containsExactly(1, 2, 3);
            assertThat(ones).containsExactly(1L, 1L, 1L);
        });
    }

    @AllEngines
    void closeCancelsTheUpstreamOnce(CoroutineEngine engine) {
        onEngine(engine, () -> {
            AtomicInteger cancels = new AtomicInteger();
            LoopSubscriber<Integer> items =
                    Reactive.iterate(Flux.range(1, 1000).doOnCancel(cancels::incrementAndGet), 8);
            assertThat(items.next()).isEqualTo(1);
            assertThat(items.next()).isEqualTo(2);
            assertThat(cancels).hasValue(0);
            items.close();
            assertThat(cancels).hasValue(1);
            assertThat(items.hasNext()).isFalse();
            assertThat(items.isDone()).isTrue();
            assertThatThrownBy(items::next).isInstanceOf(NoSuchElementException.class);
            items.close();
            assertThat(cancels).hasValue(1);
        });
    }

    @AllEngines
    void breakOutOfTryWithResourcesCancelsTheUpstream(CoroutineEngine engine) {
        onEngine(engine, () -> {
            AtomicInteger cancels = new AtomicInteger();
            List<Integer> seen = new ArrayList<>();
            try (LoopSubscriber<Integer> items =
                    Reactive.iterate(Flux.range(1, 1000).doOnCancel(cancels::incrementAndGet), 8)) {
                for (int i : items) {
                    if (i == 3) {
                        break;
                    }
                    seen.add(i);
                }
            }
            assertThat(seen).containsExactly(1, 2);
            assertThat(cancels).hasValue(1);
        });
    }

    @AllEngines
    void anExceptionInTheLoopBodyCancelsTheUpstream(CoroutineEngine engine) {
        onEngine(engine, () -> {
            AtomicInteger cancels = new AtomicInteger();
            IllegalStateException boom = new IllegalStateException("boom");
            Throwable thrown = catchThrowable(() -> {
                try (LoopSubscriber<Integer> items =
                        Reactive.iterate(Flux.range(1, 1000).doOnCancel(cancels::incrementAndGet), 8)) {
                    for (int i : items) {
                        if (i == 5) {
                            throw boom;
                        }
                    }
                }
            });
            assertThat(thrown).isSameAs(boom);
            assertThat(cancels).hasValue(1);
        });
    }

    @AllEngines
    void anUpstreamErrorIsRaisedByHasNextAfterTheItemsBeforeIt(CoroutineEngine engine) {
        onEngine(engine, () -> {
            IllegalStateException boom = new IllegalStateException("boom");
            List<Integer> seen = new ArrayList<>();
            // the error arrives with the items, yet surfaces only once they have been read
            Throwable thrown = catchThrowable(() -> {
                for (int i : Reactive.iterate(Flux.range(1, 3).concatWith(Flux.error(boom)), 16)) {
                    seen.add(i);
                }
            });
            assertThat(seen).containsExactly(1, 2, 3);
            assertThat(thrown).isSameAs(boom);

            IOException checked = new IOException("disk on fire");
            LoopSubscriber<Integer> items = Reactive.iterate(Flux.error(checked), 4);
            assertThat(catchThrowable(items::hasNext))
                    .isInstanceOf(CompletionException.class)
                    .hasCause(checked);
        });
    }

    @AllEngines
    void cancellingTheCoroutineWaitingInHasNextCancelsTheSubscription(CoroutineEngine engine) {
        onEngine(engine, () -> {
            AtomicInteger cancels = new AtomicInteger();
            List<String> steps = new CopyOnWriteArrayList<>();
            Task<Boolean> reader = Async.createTask(() -> {
                steps.add("waiting");
                // no try-with-resources: hasNext itself must give the subscription up
                return Reactive.iterate(Flux.never().doOnCancel(cancels::incrementAndGet), 4)
                        .hasNext();
            });
            settle();
            assertThat(steps).containsExactly("waiting");
            assertThat(cancels).hasValue(0);
            reader.cancel();
            assertThat(catchThrowable(() -> Async.await(reader))).isInstanceOf(CancellationException.class);
            assertThat(reader.isCancelled()).isTrue();
            assertThat(cancels).hasValue(1);
        });
    }

    @AllEngines
    void aSecondOnSubscribeIsCancelled(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            LoopSubscriber<Integer> s = new LoopSubscriber<>(loop, 4);
            FakeSubscription first = new FakeSubscription(loop);
            FakeSubscription second = new FakeSubscription(loop);
            s.onSubscribe(first);
            s.onSubscribe(second); // §2.5
            settle();
            assertThat(second.cancels).hasValue(1);
            assertThat(second.requests).isEmpty();
            assertThat(first.cancels).hasValue(0);
            assertThat(first.requests).containsExactly(4L);
            s.close();
            assertThat(first.cancels).hasValue(1);
        });
    }

    @AllEngines
    void aSubscriptionArrivingAfterCloseIsCancelledUnused(CoroutineEngine engine) {
        onEngine(engine, () -> {
            LoopSubscriber<Integer> s = new LoopSubscriber<>(Async.loop(), 4);
            s.close();
            FakeSubscription late = new FakeSubscription(Async.loop());
            s.onSubscribe(late);
            settle();
            assertThat(late.cancels).hasValue(1);
            assertThat(late.requests).isEmpty();
            assertThat(s.hasNext()).isFalse();
        });
    }

    @AllEngines
    void nullSignalsAreNullPointerExceptions(CoroutineEngine engine) {
        onEngine(engine, () -> {
            LoopSubscriber<Integer> s = new LoopSubscriber<>(Async.loop(), 4);
            assertThatNullPointerException()
                    .isThrownBy(() -> s.onSubscribe(null))
                    .withMessageContaining("2.13");
            s.onSubscribe(new FakeSubscription(Async.loop()));
            assertThatNullPointerException().isThrownBy(() -> s.onNext(null)).withMessageContaining("2.13");
            assertThatNullPointerException().isThrownBy(() -> s.onError(null)).withMessageContaining("2.13");
            assertThat(s.isDone()).as("a rejected signal changes nothing").isFalse();
            s.close();
        });
    }

    @AllEngines
    void aPrefetchBelowOneIsRejected(CoroutineEngine engine) {
        onEngine(engine, () -> {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new LoopSubscriber<Integer>(Async.loop(), 0))
                    .withMessageContaining("0");
            assertThatIllegalArgumentException().isThrownBy(() -> Reactive.toAsyncGenerator(Flux.just(1), 0));
        });
    }

    @AllEngines
    void signalsFromAnotherThreadReachTheCoroutineAndRequestsStayOnTheLoop(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            LoopSubscriber<Integer> s = new LoopSubscriber<>(loop, 2);
            FakeSubscription upstream = new FakeSubscription(loop);
            Thread producer = new Thread(
                    () -> {
                        s.onSubscribe(upstream);
                        // honours demand: emits what the requests so far allow, then waits for more
                        int emitted = 0;
                        while (emitted < 7) {
                            long allowed = Math.min(7, sum(upstream.requests));
                            while (emitted < allowed) {
                                s.onNext(++emitted);
                            }
                            Thread.onSpinWait();
                        }
                        s.onComplete();
                    },
                    "foreign-producer");
            producer.start();
            List<Integer> seen = new ArrayList<>();
            for (int i : s) {
                seen.add(i);
                Async.sleep(Duration.ofMillis(1));
            }
            assertThat(seen).isEqualTo(range(1, 7));
            assertThat(upstream.requests).as("2, then 2 - 2/4 = 2 at a time").containsOnly(2L);
            assertThat(upstream.offLoop).as("every request comes from the loop").isEmpty();
            eventually("the producer ends", () -> !producer.isAlive());
        });
    }

    static long sum(List<Long> xs) {
        synchronized (xs) {
            return xs.stream().mapToLong(Long::longValue).sum();
        }
    }

    @AllEngines
    void aPublisherEmittingBeyondDemandIsAnErrorAfterTheAcceptedItems(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            LoopSubscriber<Integer> s = new LoopSubscriber<>(loop, 4);
            FakeSubscription upstream = new FakeSubscription(loop);
            s.onSubscribe(upstream);
            for (int i = 1; i <= 5; i++) {
                s.onNext(i); // §1.1 broken: only 4 were requested
            }
            List<Integer> seen = new ArrayList<>();
            Throwable thrown = catchThrowable(() -> {
                for (int i : s) {
                    seen.add(i);
                }
            });
            assertThat(seen).as("nothing accepted is lost").containsExactly(1, 2, 3, 4);
            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("1.1");
            assertThat(upstream.cancels).hasValue(1);
        });
    }

    /**
     * An upstream that ignores our cancel and fails afterwards: nobody will read the error, so the
     * loop's exception handler gets it, once, on the loop, whatever thread it came from. So does an
     * error after the end (§1.7).
     */
    @AllEngines
    void anErrorAfterCloseGoesToTheLoopsExceptionHandlerOnce(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            List<Map<String, Object>> reported = new CopyOnWriteArrayList<>();
            List<Boolean> onLoop = new CopyOnWriteArrayList<>();
            loop.setExceptionHandler((l, ctx) -> {
                reported.add(ctx);
                onLoop.add(l.inLoop());
            });
            LoopSubscriber<Integer> s = new LoopSubscriber<>(loop, 4);
            FakeSubscription upstream = new FakeSubscription(loop);
            s.onSubscribe(upstream);
            s.onNext(1);
            assertThat(s.next()).isEqualTo(1);
            s.close();
            assertThat(upstream.cancels).hasValue(1);

            IllegalStateException late = new IllegalStateException("late");
            Thread producer = new Thread(() -> s.onError(late), "producer");
            producer.start();
            eventually("the late error is reported", () -> !reported.isEmpty() && !producer.isAlive());
            settle();
            assertThat(reported).singleElement().satisfies(ctx -> {
                assertThat(ctx.get("exception")).isSameAs(late);
                assertThat(ctx.get("subscriber")).isSameAs(s);
                assertThat((String) ctx.get("message")).contains("after the subscriber was closed");
            });
            assertThat(onLoop).containsExactly(true);

            LoopSubscriber<Integer> ended = new LoopSubscriber<>(loop, 4);
            ended.onSubscribe(new FakeSubscription(loop));
            ended.onComplete();
            IllegalStateException afterEnd = new IllegalStateException("after the end");
            ended.onError(afterEnd);
            assertThat(ended.hasNext()).as("the stream still just completed").isFalse();
            assertThat(reported).hasSize(2);
            assertThat(reported.get(1).get("exception")).isSameAs(afterEnd);
            assertThat((String) reported.get(1).get("message")).contains("1.7");
        });
    }

    /**
     * A {@code CancellationException} after our own cancel is that cancel's echo (a future-backed
     * source completing as cancelled), not an error: it goes nowhere, as Reactor's {@code
     * Mono.fromFuture} ignores it. After the end we cancelled nothing, so it is reported like any
     * late error.
     */
    @AllEngines
    void theEchoOfOurCancelIsNotReportedButACancellationAfterTheEndIs(CoroutineEngine engine) {
        onEngine(engine, () -> {
            EventLoop loop = Async.loop();
            List<Map<String, Object>> reported = new CopyOnWriteArrayList<>();
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
            LoopSubscriber<Integer> closed = new LoopSubscriber<>(loop, 4);
            closed.onSubscribe(new FakeSubscription(loop));
            closed.close();
            closed.onError(new CancellationException("the source saw our cancel"));

            LoopSubscriber<Integer> ended = new LoopSubscriber<>(loop, 4);
            ended.onSubscribe(new FakeSubscription(loop));
            ended.onComplete();
            CancellationException afterEnd = new CancellationException("after the end");
            ended.onError(afterEnd);
            Async.sleep(Duration.ZERO); // a report would come from the loop
            assertThat(reported)
                    .singleElement()
                    .satisfies(ctx -> assertThat(ctx.get("exception")).isSameAs(afterEnd));
        });
    }
}
