package io.loopbridge.rxjava;

import static io.loopbridge.rxjava.RxTesting.captureLoopErrors;
import static io.loopbridge.rxjava.RxTesting.onEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.rxjava.RxTesting.NoThreadsLeft;
import io.loopbridge.rxjava.RxTesting.RxJavaErrors;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableObserver;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.UndeliverableException;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RxJava inside coroutines: {@code RxBridge.await(Single|Maybe|Completable)} and the {@code
 * awaitFirst}/{@code awaitSingle} families for {@code Flowable} and {@code Observable}.
 */
@ExtendWith({NoThreadsLeft.class, RxJavaErrors.class})
class AwaitTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    @Nested
    class AwaitSingleMaybeCompletable {
        @AllEngines
        void aReadySourceCostsNoSuspension(CoroutineEngine engine) {
            onEngine(engine, () -> {
                Async.loop().callSoon(() -> steps.add("other callback"));
                steps.add("single " + RxBridge.await(Single.just(1)));
                steps.add("maybe " + RxBridge.await(Maybe.just(2)));
                steps.add("empty " + RxBridge.await(Maybe.empty()));
                RxBridge.await(Completable.complete());
                steps.add("completable");
                Async.sleep(Duration.ZERO);
                assertThat(steps).containsExactly("single 1", "maybe 2", "empty null", "completable", "other callback");
            });
        }

        @AllEngines
        void aSignalFromAnotherThreadHopsOntoTheLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                EventLoop loop = Async.loop();
                Thread from = RxBridge.await(
                        Single.fromCallable(Thread::currentThread).subscribeOn(Schedulers.single()));
                assertThat(from.getName()).startsWith("RxSingleScheduler");
                assertThat(loop.inLoop()).isTrue();

                String late =
                        RxBridge.await(Maybe.timer(5, TimeUnit.MILLISECONDS).map(t -> "late"));
                assertThat(late).isEqualTo("late");
                RxBridge.await(Completable.timer(5, TimeUnit.MILLISECONDS));
                assertThat(EventLoop.running()).isSameAs(loop);
                assertThat(loop.inLoop()).isTrue();
            });
        }

        @AllEngines
        void theSourceSignalsWhenTheTestSchedulerSaysSo(CoroutineEngine engine) {
            onEngine(engine, () -> {
                TestScheduler clock = new TestScheduler();
                Async.createTask(() -> {
                    steps.add("advance 4s");
                    clock.advanceTimeBy(4, TimeUnit.SECONDS);
                    Async.sleep(Duration.ZERO);
                    steps.add("advance 1s");
                    clock.advanceTimeBy(1, TimeUnit.SECONDS);
                    return null;
                });
                steps.add("awaiting");
                Long v = RxBridge.await(Single.timer(5, TimeUnit.SECONDS, clock));
                steps.add("got " + v);
                assertThat(steps).containsExactly("awaiting", "advance 4s", "advance 1s", "got 0");
            });
        }

        @AllEngines
        void aBridgedSingleOnTheSameLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                int v = RxBridge.await(RxBridge.single(() -> {
                    Async.sleep(Duration.ofMillis(1));
                    return 5;
                }));
                assertThat(v).isEqualTo(5);
            });
        }

        @AllEngines
        void anErrorIsRethrownCheckedOnesWrapped(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThatThrownBy(() -> RxBridge.await(Single.error(new IllegalStateException("bad state"))))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("bad state");
                assertThatThrownBy(() -> RxBridge.await(Maybe.error(new IOException("io"))))
                        .isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(IOException.class);
                assertThatThrownBy(() -> RxBridge.await(Completable.error(new IllegalArgumentException("arg"))))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> RxBridge.await(Single.timer(1, TimeUnit.MILLISECONDS)
                                .flatMap(t -> Single.error(new IllegalStateException("later")))))
                        .hasMessage("later");
            });
        }

        @AllEngines
        void cancellingTheCoroutineDisposesTheSubscription(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger disposed = new AtomicInteger();
                List<Task<?>> tasks = List.of(
                        Async.createTask(() -> RxBridge.await(Single.never().doOnDispose(disposed::incrementAndGet))),
                        Async.createTask(() -> RxBridge.await(Maybe.never().doOnDispose(disposed::incrementAndGet))),
                        Async.createTask(() -> {
                            RxBridge.await(Completable.never().doOnDispose(disposed::incrementAndGet));
                            return null;
                        }));
                Async.sleep(Duration.ZERO);
                assertThat(disposed).hasValue(0);
                for (Task<?> t : tasks) {
                    t.cancel();
                }
                for (Task<?> t : tasks) {
                    assertThatThrownBy(() -> Async.await(t)).isInstanceOf(CancellationException.class);
                }
                assertThat(disposed).hasValue(3);
            });
        }

        @AllEngines
        void cancellingBeforeOnSubscribeArrivesDisposesItWhenItDoes(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicReference<SingleObserver<? super Integer>> late = new AtomicReference<>();
                Task<Integer> t = Async.createTask(() -> RxBridge.await(Single.<Integer>unsafeCreate(late::set)));
                Async.sleep(Duration.ZERO);
                t.cancel();
                assertThatThrownBy(() -> Async.await(t)).isInstanceOf(CancellationException.class);
                Disposable d = Disposable.empty();
                late.get().onSubscribe(d);
                assertThat(d.isDisposed()).isTrue();
            });
        }

        @AllEngines
        void anErrorAfterTheCoroutineLeftIsUndeliverableButACancellationIsNot(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Map<String, Object>> loopErrors = captureLoopErrors(Async.loop());
                AtomicReference<CompletableObserver> first = new AtomicReference<>();
                AtomicReference<CompletableObserver> second = new AtomicReference<>();
                Task<Object> a = Async.createTask(() -> {
                    RxBridge.await(Completable.unsafeCreate(first::set));
                    return null;
                });
                Task<Object> b = Async.createTask(() -> {
                    RxBridge.await(Completable.unsafeCreate(second::set));
                    return null;
                });
                Async.sleep(Duration.ZERO);
                a.cancel();
                b.cancel();
                Async.sleep(Duration.ZERO);
                first.get().onError(new RuntimeException("too late"));
                second.get().onError(new CancellationException("upstream gave up"));
                Async.sleep(Duration.ZERO);
                assertThat(loopErrors).singleElement().satisfies(ctx -> {
                    assertThat((String) ctx.get("message")).contains("after the coroutine awaiting it was cancelled");
                    assertThat((Throwable) ctx.get("exception")).hasMessage("too late");
                });
                assertThat(RxJavaErrors.take()).singleElement().isInstanceOf(UndeliverableException.class);
            });
        }

        /**
         * A source that signals again after its outcome breaks the contract: the first outcome is
         * the result, a later error is undeliverable (loop's handler and RxJavaPlugins) and a later
         * value is dropped, as RxJava drops late items.
         */
        @AllEngines
        void aSignalAfterTheOutcomeLeavesItAndALateErrorIsUndeliverable(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Map<String, Object>> loopErrors = captureLoopErrors(Async.loop());
                IOException late = new IOException("late");
                Single<Integer> ready = Single.unsafeCreate(o -> {
                    o.onSubscribe(Disposable.empty());
                    o.onSuccess(1);
                    o.onError(late);
                    o.onSuccess(2);
                });
                assertThat(RxBridge.await(ready)).isEqualTo(1);

                AtomicReference<SingleObserver<? super Integer>> observer = new AtomicReference<>();
                Task<Integer> waiting = Async.createTask(() -> RxBridge.await(Single.<Integer>unsafeCreate(o -> {
                    o.onSubscribe(Disposable.empty());
                    observer.set(o);
                })));
                Async.sleep(Duration.ZERO);
                observer.get().onSuccess(3);
                observer.get().onError(late);
                observer.get().onSuccess(4);
                assertThat(Async.await(waiting)).isEqualTo(3);
                Async.sleep(Duration.ZERO);

                assertThat(loopErrors).hasSize(2).allSatisfy(ctx -> {
                    assertThat((String) ctx.get("message")).contains("after it had already signalled its outcome");
                    assertThat(ctx.get("exception")).isSameAs(late);
                });
                assertThat(RxJavaErrors.take())
                        .hasSize(2)
                        .allSatisfy(e -> assertThat(e)
                                .isInstanceOf(UndeliverableException.class)
                                .hasCause(late));
            });
        }

        /**
         * A cancellation after the outcome is no echo of ours (the coroutine disposed nothing): it is the
         * source's late error, undeliverable like any other, as it is for the iterators.
         */
        @AllEngines
        void aCancellationAfterTheOutcomeIsUndeliverable(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Map<String, Object>> loopErrors = captureLoopErrors(Async.loop());
                CancellationException late = new CancellationException("after the value");
                Single<Integer> broken = Single.unsafeCreate(o -> {
                    o.onSubscribe(Disposable.empty());
                    o.onSuccess(1);
                    o.onError(late);
                });
                assertThat(RxBridge.await(broken)).isEqualTo(1);
                Async.sleep(Duration.ZERO);
                assertThat(loopErrors)
                        .singleElement()
                        .satisfies(ctx -> assertThat(ctx.get("exception")).isSameAs(late));
                assertThat(RxJavaErrors.take()).singleElement().isSameAs(late); // an IllegalStateException: a bug
            });
        }

        @Test
        void outsideACoroutineItFails() {
            assertThatThrownBy(() -> RxBridge.await(Single.just(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("RxBridge.await(Single) must be called inside a coroutine");
        }
    }

    @Nested
    class AwaitFirstAndSingleOfFlowable {
        @AllEngines
        void awaitFirstRequestsOneAtATimeAndCancelsAfterTheFirst(CoroutineEngine engine) {
            onEngine(engine, () -> {
                List<Long> requests = new ArrayList<>();
                AtomicInteger cancelled = new AtomicInteger();
                int first = RxBridge.awaitFirst(
                        Flowable.range(1, 100).doOnRequest(requests::add).doOnCancel(cancelled::incrementAndGet));
                assertThat(first).isEqualTo(1);
                // LoopSubscriber with prefetch 1 replenishes as it hands the item over, before the cancel
                assertThat(requests).startsWith(1L);
                assertThat(cancelled).hasValue(1);
            });
        }

        @AllEngines
        void awaitFirstClosesABridgedGenerator(CoroutineEngine engine) {
            onEngine(engine, () -> {
                int first = RxBridge.awaitFirst(RxBridge.<Integer>flowable(y -> {
                    try {
                        y.yield(1);
                        y.yield(2);
                    } finally {
                        steps.add("finally");
                    }
                }));
                Async.sleep(Duration.ZERO);
                assertThat(first).isEqualTo(1);
                assertThat(steps).containsExactly("finally");
            });
        }

        @AllEngines
        void theFamilyOnValuesEmptinessAndSecondItems(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThatThrownBy(() -> RxBridge.awaitFirst(Flowable.empty()))
                        .isInstanceOf(NoSuchElementException.class);
                assertThat(RxBridge.awaitFirstOrDefault(Flowable.<Integer>empty(), 9))
                        .isEqualTo(9);
                assertThat(RxBridge.awaitFirstOrDefault(Flowable.just(1), 9)).isEqualTo(1);
                assertThat(RxBridge.awaitFirstOrNull(Flowable.<Integer>empty())).isNull();
                assertThat(RxBridge.awaitFirstOrNull(Flowable.just(3, 4))).isEqualTo(3);
                assertThat(RxBridge.awaitLast(Flowable.range(1, 1000))).isEqualTo(1000);
                assertThatThrownBy(() -> RxBridge.awaitLast(Flowable.empty()))
                        .isInstanceOf(NoSuchElementException.class);
                assertThat(RxBridge.awaitSingle(Flowable.just("only"))).isEqualTo("only");
                assertThatThrownBy(() -> RxBridge.awaitSingle(Flowable.empty()))
                        .isInstanceOf(NoSuchElementException.class);
                assertThatIllegalArgumentException().isThrownBy(() -> RxBridge.awaitSingle(Flowable.just(1, 2)));
                assertThat(RxBridge.awaitSingleOrNull(Flowable.<Integer>empty()))
                        .isNull();
                assertThat(RxBridge.awaitSingleOrNull(Flowable.just(1))).isEqualTo(1);
                assertThatIllegalArgumentException().isThrownBy(() -> RxBridge.awaitSingleOrNull(Flowable.just(1, 2)));
                assertThatThrownBy(() -> RxBridge.awaitFirst(Flowable.error(new IllegalStateException("boom"))))
                        .hasMessage("boom");
            });
        }

        @AllEngines
        void itemsFromAnotherThreadHopOntoTheLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                long last = RxBridge.awaitLast(
                        Flowable.interval(1, TimeUnit.MILLISECONDS).take(5));
                assertThat(last).isEqualTo(4);
                assertThat(Async.loop().inLoop()).isTrue();
            });
        }
    }

    @Nested
    class AwaitFirstAndSingleOfObservable {
        @AllEngines
        void awaitFirstDisposesAfterIt(CoroutineEngine engine) {
            onEngine(engine, () -> {
                AtomicInteger disposed = new AtomicInteger();
                int first = RxBridge.awaitFirst(Observable.range(1, 100).doOnDispose(disposed::incrementAndGet));
                assertThat(first).isEqualTo(1);
                assertThat(disposed).hasValue(1);

                int fromGenerator = RxBridge.awaitFirst(RxBridge.<Integer>observable(y -> {
                    try {
                        y.yield(7);
                        y.yield(8);
                    } finally {
                        steps.add("finally");
                    }
                }));
                Async.sleep(Duration.ZERO);
                assertThat(fromGenerator).isEqualTo(7);
                assertThat(steps).containsExactly("finally");
            });
        }

        @AllEngines
        void theFamilyOnValuesEmptinessAndSecondItems(CoroutineEngine engine) {
            onEngine(engine, () -> {
                assertThatThrownBy(() -> RxBridge.awaitFirst(Observable.empty()))
                        .isInstanceOf(NoSuchElementException.class);
                assertThat(RxBridge.awaitFirstOrDefault(Observable.<Integer>empty(), 9))
                        .isEqualTo(9);
                assertThat(RxBridge.awaitFirstOrDefault(Observable.just(1), 9)).isEqualTo(1);
                assertThat(RxBridge.awaitFirstOrNull(Observable.<Integer>empty()))
                        .isNull();
                assertThat(RxBridge.awaitFirstOrNull(Observable.just(3, 4))).isEqualTo(3);
                assertThat(RxBridge.awaitLast(Observable.range(1, 1000))).isEqualTo(1000);
                assertThatThrownBy(() -> RxBridge.awaitLast(Observable.empty()))
                        .isInstanceOf(NoSuchElementException.class);
                assertThat(RxBridge.awaitSingle(Observable.just("only"))).isEqualTo("only");
                assertThatThrownBy(() -> RxBridge.awaitSingle(Observable.empty()))
                        .isInstanceOf(NoSuchElementException.class);
                assertThatIllegalArgumentException().isThrownBy(() -> RxBridge.awaitSingle(Observable.just(1, 2)));
                assertThat(RxBridge.awaitSingleOrNull(Observable.<Integer>empty()))
                        .isNull();
                assertThat(RxBridge.awaitSingleOrNull(Observable.just(1))).isEqualTo(1);
                assertThatIllegalArgumentException()
                        .isThrownBy(() -> RxBridge.awaitSingleOrNull(Observable.just(1, 2)));
                assertThatThrownBy(() -> RxBridge.awaitFirst(Observable.error(new IllegalStateException("boom"))))
                        .hasMessage("boom");
            });
        }

        @AllEngines
        void itemsFromAnotherThreadHopOntoTheLoop(CoroutineEngine engine) {
            onEngine(engine, () -> {
                long first = RxBridge.awaitFirst(Observable.interval(1, TimeUnit.MILLISECONDS));
                assertThat(first).isZero();
                assertThat(Async.loop().inLoop()).isTrue();
            });
        }
    }
}
