package io.loopbridge.rxjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.loopbridge.Async;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.rxjava.RxTesting.LoopThread;
import io.loopbridge.rxjava.RxTesting.NoThreadsLeft;
import io.loopbridge.rxjava.RxTesting.RxJavaErrors;
import io.loopbridge.task.CoroutineEngine;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableObserver;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.MaybeObserver;
import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Fault injection (issue 12): an observer or subscriber that throws from each of its signal methods,
 * against each source of {@link RxBridge}, on each engine. Whatever it throws, the subscription is
 * cancelled (no signal follows the one that threw), the coroutine or generator behind the source
 * ends (its {@code finally} runs), no task is left, and the exception is reported as the
 * undeliverable-error policy says: to the loop's exception handler and, as an RxJava error handler is
 * installed, to {@code RxJavaPlugins.onError}, once each. The one exception: {@code onSubscribe} of a
 * {@code Single}/{@code Maybe}/{@code Completable} runs on the subscribing thread, so what it throws
 * is handled by RxJava's {@code subscribe()} as for RxJava's own sources, and no task starts.
 */
@ExtendWith({NoThreadsLeft.class, RxJavaErrors.class})
class SubscriberFaultsTest {
    /** {@code ON_NEXT} is {@code onSuccess} for a {@code Single} or {@code Maybe}. */
    enum Signal {
        ON_SUBSCRIBE,
        ON_NEXT,
        ON_ERROR,
        ON_COMPLETE
    }

    static final class Boom extends RuntimeException {
        Boom(String where) {
            super("boom in " + where, null, false, false);
        }
    }

    /**
     * Subscribes {@code to} to a source on {@code loop} whose coroutine code sleeps a millisecond and
     * then reaches the signal {@code to} throws from: items 1, 2, 3, or a {@link Boom} after the first
     * item for {@code ON_ERROR}; a {@code Maybe} completes empty for {@code ON_COMPLETE}. {@code
     * ended} counts the ends of the coroutine code.
     */
    interface Adapter {
        void subscribe(LoopThread lt, Throwing to, AtomicInteger ended);

        /** Whether the source has the signal at all. */
        default boolean has(Signal s) {
            return true;
        }
    }

    static AsyncGenerator.Body<Integer, Void> oneTwoThree(boolean failing, AtomicInteger ended) {
        return y -> {
            try {
                Async.sleep(Duration.ofMillis(1));
                y.yield(1);
                if (failing) {
                    throw new Boom("the source");
                }
                y.yield(2);
                y.yield(3);
            } finally {
                ended.incrementAndGet();
            }
        };
    }

    static Integer sleepThen(Integer value, boolean failing, AtomicInteger ended) {
        try {
            Async.sleep(Duration.ofMillis(1));
            if (failing) {
                throw new Boom("the source");
            }
            return value;
        } finally {
            ended.incrementAndGet();
        }
    }

    static final Map<String, Adapter> ADAPTERS = new TreeMap<>(Map.of(
            "flowable",
                    (lt, to, ended) -> RxBridge.flowable(lt.loop, oneTwoThree(to.at == Signal.ON_ERROR, ended))
                            .subscribe((Subscriber<Integer>) to),
            "observable",
                    (lt, to, ended) -> RxBridge.observable(lt.loop, oneTwoThree(to.at == Signal.ON_ERROR, ended))
                            .subscribe((Observer<Integer>) to),
            "mapAsync",
                    (lt, to, ended) -> Flowable.just(1, 2, 3)
                            .compose(RxBridge.<Integer, Integer>mapAsync(
                                    lt.loop, 2, i -> sleepThen(i, to.at == Signal.ON_ERROR && i == 2, ended)))
                            .subscribe((Subscriber<Integer>) to),
            "single",
                    new Adapter() {
                        @Override
                        public void subscribe(LoopThread lt, Throwing to, AtomicInteger ended) {
                            RxBridge.single(lt.loop, () -> sleepThen(1, to.at == Signal.ON_ERROR, ended))
                                    .subscribe((SingleObserver<Integer>) to);
                        }

                        @Override
                        public boolean has(Signal s) {
                            return s != Signal.ON_COMPLETE;
                        }
                    },
            "maybe",
                    (lt, to, ended) -> RxBridge.maybe(
                                    lt.loop,
                                    () -> sleepThen(
                                            to.at == Signal.ON_COMPLETE ? null : 1, to.at == Signal.ON_ERROR, ended))
                            .subscribe((MaybeObserver<Integer>) to),
            "completable",
                    new Adapter() {
                        @Override
                        public void subscribe(LoopThread lt, Throwing to, AtomicInteger ended) {
                            RxBridge.completable(lt.loop, () -> sleepThen(1, to.at == Signal.ON_ERROR, ended))
                                    .subscribe((CompletableObserver) to);
                        }

                        @Override
                        public boolean has(Signal s) {
                            return s != Signal.ON_NEXT;
                        }
                    }));

    /**
     * Sources that call {@code onSubscribe} on the subscribing thread, as RxJava's own {@code Single},
     * {@code Maybe} and {@code Completable} sources do: what that throws is RxJava's {@code
     * subscribe()}'s to handle.
     */
    static final Set<String> CALLERS_THREAD = Set.of("single", "maybe", "completable");

    /** RxJava's own ready sources of the same kinds, to compare with. */
    static final Map<String, Consumer<Throwing>> NATIVE = Map.of(
            "single", to -> Single.just(1).subscribe((SingleObserver<Integer>) to),
            "maybe", to -> Maybe.just(1).subscribe((MaybeObserver<Integer>) to),
            "completable", to -> Completable.complete().subscribe((CompletableObserver) to));

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (CoroutineEngine engine : CoroutineEngine.available()) {
            ADAPTERS.forEach((name, adapter) -> {
                for (Signal signal : Signal.values()) {
                    if (adapter.has(signal)) {
                        all.add(Arguments.of(engine, name, signal));
                    }
                }
            });
        }
        return all.stream();
    }

    /** Every kind of RxJava consumer at once: requests everything, records every signal, throws from {@code at}. */
    static final class Throwing
            implements Subscriber<Integer>,
                    Observer<Integer>,
                    SingleObserver<Integer>,
                    MaybeObserver<Integer>,
                    CompletableObserver {
        final Signal at;
        final Boom boom;
        final List<String> signals = new CopyOnWriteArrayList<>();

        Throwing(Signal at) {
            this.at = at;
            this.boom = new Boom("the observer's " + at);
        }

        @Override
        public void onSubscribe(Subscription s) {
            signals.add("onSubscribe");
            s.request(Long.MAX_VALUE); // demand first: the source must still treat it as cancelled
            throwIf(Signal.ON_SUBSCRIBE);
        }

        @Override
        public void onSubscribe(Disposable d) {
            signals.add("onSubscribe");
            throwIf(Signal.ON_SUBSCRIBE);
        }

        @Override
        public void onNext(Integer item) {
            signals.add("onNext");
            throwIf(Signal.ON_NEXT);
        }

        @Override
        public void onSuccess(Integer item) {
            signals.add("onSuccess");
            throwIf(Signal.ON_NEXT);
        }

        @Override
        public void onError(Throwable t) {
            signals.add("onError " + t.getMessage());
            throwIf(Signal.ON_ERROR);
        }

        @Override
        public void onComplete() {
            signals.add("onComplete");
            throwIf(Signal.ON_COMPLETE);
        }

        private void throwIf(Signal s) {
            if (s == at) {
                throw boom;
            }
        }
    }

    /** The boom itself, or the boom as the cause of RxJava's wrapper. */
    static Throwable unwrapped(Throwable t) {
        return t instanceof Boom || t.getCause() == null ? t : t.getCause();
    }

    @ParameterizedTest(name = "{0} {1} throwing from {2}")
    @MethodSource("cases")
    void anObserverThrowingIsDisposedAndReportedAndNothingIsLeft(CoroutineEngine engine, String adapter, Signal at)
            throws InterruptedException {
        try (LoopThread lt = new LoopThread(engine)) {
            AtomicInteger ended = new AtomicInteger();
            Throwing to = new Throwing(at);

            if (at == Signal.ON_SUBSCRIBE && CALLERS_THREAD.contains(adapter)) {
                // RxJava's subscribe() handles it, exactly as for its own sources: an NPE to the caller
                assertThatNullPointerException()
                        .isThrownBy(() -> ADAPTERS.get(adapter).subscribe(lt, to, ended))
                        .withCause(to.boom);
                List<Throwable> ours = RxJavaErrors.take();
                Throwing twin = new Throwing(at);
                catchThrowable(() -> NATIVE.get(adapter).accept(twin));
                List<Throwable> rxJavas = RxJavaErrors.take();
                assertThat(ours)
                        .as("RxJavaPlugins.onError as for RxJava's own source")
                        .hasSameSizeAs(rxJavas)
                        .allSatisfy(e -> assertThat(unwrapped(e)).isSameAs(to.boom));
                assertThat(rxJavas).allSatisfy(e -> assertThat(unwrapped(e)).isSameAs(twin.boom));
                Thread.sleep(20); // a task started despite the failed subscription would be running by now
                assertThat(lt.call(lt.loop::allTasks)).as("no task was started").isEmpty();
                assertThat(ended).hasValue(0);
                assertThat(lt.loopErrors).as("it never reached the loop").isEmpty();
                assertThat(to.signals).containsExactly("onSubscribe");
                return;
            }
            ADAPTERS.get(adapter).subscribe(lt, to, ended);

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(lt.loopErrors).isNotEmpty());
            lt.awaitNoLiveTasks();
            if (at != Signal.ON_SUBSCRIBE) {
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() ->
                                assertThat(ended).as("the coroutine code ended").hasPositiveValue());
            }
            Thread.sleep(20); // a signal or report after the one that threw would arrive by now

            assertThat(lt.loopErrors)
                    .as("reported to the loop's exception handler, once")
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("exception")).isSameAs(to.boom));
            assertThat(RxJavaErrors.take())
                    .as("and to RxJavaPlugins.onError, once")
                    .singleElement()
                    .satisfies(e -> assertThat(unwrapped(e)).isSameAs(to.boom));
            List<String> signals = List.copyOf(to.signals);
            switch (at) {
                case ON_SUBSCRIBE:
                    assertThat(signals).as("nothing after onSubscribe").containsExactly("onSubscribe");
                    break;
                case ON_NEXT:
                    assertThat(signals)
                            .as("nothing after the signal that threw")
                            .hasSize(2)
                            .startsWith("onSubscribe");
                    break;
                case ON_ERROR:
                    assertThat(signals).last().isEqualTo("onError boom in the source");
                    break;
                default:
                    assertThat(signals).last().isEqualTo("onComplete");
            }
            assertThat(lt.call(lt.loop::allTasks)).isEmpty();
        }
    }
}
