package io.loopbridge.rxjava;

import static io.loopbridge.rxjava.RxTesting.onEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.rxjava.RxTesting.NoThreadsLeft;
import io.loopbridge.rxjava.RxTesting.RxJavaErrors;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.exceptions.MissingBackpressureException;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subjects.PublishSubject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code RxBridge.iterate}: a {@code Flowable} read with backpressure ({@link LoopSubscriber}), an
 * {@code Observable} read through a bounded buffer ({@link LoopObserver}) that fails loudly when it
 * overflows.
 */
@ExtendWith({NoThreadsLeft.class, RxJavaErrors.class})
class IterateTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    @Nested
    class IterateFlowable {
        @AllEngines
        void requestsPrefetchThenReplenishesAtThreeQuarters(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Long> requests = new ArrayList<>();
                List<Integer> got = new ArrayList<>();
                try (LoopSubscriber<Integer> items =
                        RxBridge.iterate(Flowable.range(1, 20).doOnRequest(requests::add), 8)) {
                    for (int i : items) {
                        got.add(i);
                    }
                }
                assertThat(got).isEqualTo(range(1, 20));
                assertThat(requests.get(0)).isEqualTo(8L);
                assertThat(requests.subList(1, requests.size())).isNotEmpty().containsOnly(6L);
                assertThat(requests.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(20L);
            });
        }

        @AllEngines
        void breakingOutCancelsTheUpstream(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger cancelled = new AtomicInteger();
                try (LoopSubscriber<Integer> items = RxBridge.iterate(
                        RxBridge.<Integer>flowable(y -> {
                                    try {
                                        for (int i = 1; ; i++) {
                                            y.yield(i);
                                        }
                                    } finally {
                                        steps.add("finally");
                                    }
                                })
                                .doOnCancel(cancelled::incrementAndGet),
                        4)) {
                    for (int i : items) {
                        if (i == 3) {
                            break;
                        }
                    }
                }
                Async.sleep(Duration.ZERO);
                assertThat(cancelled).hasValue(1);
                assertThat(steps).containsExactly("finally");
            });
        }

        @AllEngines
        void itemsFromAnotherThreadHopOntoTheLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Long> got = new ArrayList<>();
                Flowable<Long> delayed = Flowable.rangeLong(0, 5)
                        .concatMap(i -> Flowable.just(i).delay(1, TimeUnit.MILLISECONDS, Schedulers.single()));
                try (LoopSubscriber<Long> items = RxBridge.iterate(delayed, 2)) {
                    for (long i : items) {
                        assertThat(Async.loop().inLoop()).isTrue();
                        got.add(i);
                    }
                }
                assertThat(got).containsExactly(0L, 1L, 2L, 3L, 4L);
            });
        }
    }

    @Nested
    class IterateObservable {
        @AllEngines
        void readsEveryItemThatFitsTheBuffer(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Integer> got = new ArrayList<>();
                try (LoopObserver<Integer> items = RxBridge.iterate(Observable.range(1, 8), 8)) {
                    for (int i : items) {
                        got.add(i);
                    }
                    assertThat(items.isDone()).isTrue();
                }
                assertThat(got).isEqualTo(range(1, 8));
            });
        }

        @AllEngines
        void anOverflowFailsWithMissingBackpressureNamingTheBufferSizeAfterTheBufferedItems(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger disposed = new AtomicInteger();
                List<Integer> got = new ArrayList<>();
                Throwable failure;
                try (LoopObserver<Integer> items =
                        RxBridge.iterate(Observable.range(1, 20).doOnDispose(disposed::incrementAndGet), 8)) {
                    failure = catchThrowable(() -> {
                        for (int i : items) {
                            got.add(i);
                        }
                    });
                }
                assertThat(got).isEqualTo(range(1, 8));
                assertThat(failure)
                        .isInstanceOf(MissingBackpressureException.class)
                        .hasMessageContaining("bufferSize=8");
                assertThat(disposed).hasValue(1);
            });
        }

        @AllEngines
        void anOverflowOnTestSchedulerTime(CoroutineEngine engine) {
            onEngine(engine, () -> {
                TestScheduler clock = new TestScheduler();
                try (LoopObserver<Long> ticks = RxBridge.iterate(Observable.interval(1, TimeUnit.SECONDS, clock), 4)) {
                    clock.advanceTimeBy(4, TimeUnit.SECONDS); // fills the buffer exactly
                    assertThat(ticks.next()).isZero();
                    clock.advanceTimeBy(1, TimeUnit.SECONDS); // the slot just read takes the 5th
                    clock.advanceTimeBy(1, TimeUnit.SECONDS); // the 6th finds it full
                    assertThat(List.of(ticks.next(), ticks.next(), ticks.next(), ticks.next()))
                            .containsExactly(1L, 2L, 3L, 4L);
                    assertThatThrownBy(ticks::hasNext)
                            .isInstanceOf(MissingBackpressureException.class)
                            .hasMessageContaining("bufferSize=4");
                }
            });
        }

        @AllEngines
        void readingMakesRoomAndItemsFromAnotherThreadHopOntoTheLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Integer> got = new ArrayList<>();
                Observable<Integer> slow = Observable.range(1, 50)
                        .concatMap(i -> Observable.just(i).delay(2, TimeUnit.MILLISECONDS, Schedulers.single()));
                try (LoopObserver<Integer> items = RxBridge.iterate(slow, 16)) {
                    for (int i : items) {
                        assertThat(Async.loop().inLoop()).isTrue();
                        got.add(i);
                    }
                }
                assertThat(got).isEqualTo(range(1, 50));
            });
        }

        @AllEngines
        void breakingOutDisposesTheUpstream(CoroutineEngine engine) {
            onEngine(engine, () -> {
                PublishSubject<Integer> subject = PublishSubject.create();
                Task<Void> producer = Async.createTask(() -> {
                    for (int i = 1; subject.hasObservers(); i++) {
                        subject.onNext(i);
                        Async.sleep(Duration.ZERO);
                    }
                    steps.add("no observers left");
                    return null;
                });
                List<Integer> got = new ArrayList<>();
                try (LoopObserver<Integer> items = RxBridge.iterate(subject, 2)) {
                    for (int i : items) {
                        got.add(i);
                        if (i == 5) {
                            break;
                        }
                    }
                }
                Async.await(producer);
                assertThat(got).isEqualTo(range(1, 5));
                assertThat(steps).containsExactly("no observers left");
            });
        }

        @AllEngines
        void cancellingTheReaderDisposesTheUpstream(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger disposed = new AtomicInteger();
                Task<Integer> reader = Async.createTask(() -> {
                    try (LoopObserver<Object> items =
                            RxBridge.iterate(Observable.never().doOnDispose(disposed::incrementAndGet), 4)) {
                        return items.hasNext() ? 1 : 0;
                    }
                });
                Async.sleep(Duration.ZERO);
                reader.cancel();
                assertThatThrownBy(() -> Async.await(reader)).isInstanceOf(CancellationException.class);
                assertThat(disposed).hasValue(1);
            });
        }

        @AllEngines
        void anUpstreamErrorIsRethrownAfterTheBufferedItems(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Integer> got = new ArrayList<>();
                Throwable failure;
                try (LoopObserver<Integer> items = RxBridge.iterate(
                        Observable.just(1, 2).concatWith(Observable.error(new IllegalStateException("upstream broke"))),
                        4)) {
                    failure = catchThrowable(() -> {
                        for (int i : items) {
                            got.add(i);
                        }
                    });
                }
                assertThat(got).containsExactly(1, 2);
                assertThat(failure).hasMessage("upstream broke");
            });
        }

        @AllEngines
        void closeIsIdempotentAndEndsTheIteration(CoroutineEngine engine) {
            onEngine(engine, () -> {
                LoopObserver<Integer> items = RxBridge.iterate(Observable.range(1, 3), 4);
                assertThat(items.next()).isEqualTo(1);
                items.close();
                items.close();
                assertThat(items.isDone()).isTrue();
                assertThat(items.hasNext()).isFalse();
            });
        }

        @AllEngines
        void aBridgedObservableOnTheSameLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Integer> got = new ArrayList<>();
                try (LoopObserver<Integer> items = RxBridge.iterate(
                        RxBridge.<Integer>observable(y -> {
                            for (int i = 1; i <= 10; i++) {
                                Async.sleep(Duration.ofMillis(1));
                                y.yield(i);
                            }
                        }),
                        2)) {
                    for (int i : items) {
                        got.add(i);
                    }
                }
                assertThat(got).isEqualTo(range(1, 10));
            });
        }

        @AllEngines
        void theBufferSizeMustBePositive(CoroutineEngine engine) {
            onEngine(
                    engine,
                    () -> assertThatIllegalArgumentException()
                            .isThrownBy(() -> RxBridge.iterate(Observable.just(1), 0))
                            .withMessage("bufferSize must be at least 1, got 0"));
        }

        @Test
        void outsideALoopItFails() {
            assertThatThrownBy(() -> RxBridge.iterate(Observable.just(1), 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("call it inside a coroutine");
        }
    }
}
