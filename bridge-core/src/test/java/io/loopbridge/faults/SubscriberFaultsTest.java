package io.loopbridge.faults;

import static io.loopbridge.faults.Faults.eventually;
import static io.loopbridge.faults.Faults.exceptions;
import static io.loopbridge.faults.Faults.noTaskLeftButMine;
import static io.loopbridge.faults.Faults.reportsOf;
import static io.loopbridge.faults.Faults.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.faults.Faults.Boom;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.reactive.ReactiveFlow;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A subscriber that throws from each of its signal methods, against each publisher of the core, on
 * each engine. Whatever it throws, §2.13 holds: the subscription counts as cancelled, no signal
 * follows the one that threw, the coroutine code behind the publisher ends (its {@code finally}
 * runs), no task is left, and the exception reaches the loop's exception handler, never lost.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class SubscriberFaultsTest {
    enum Signal {
        ON_SUBSCRIBE,
        ON_NEXT,
        ON_ERROR,
        ON_COMPLETE
    }

    /**
     * A publisher of 1, 2, 3 (times 10 for mapAsync) on the running loop; {@code failing}: it fails
     * with a {@link Boom} after the first item instead. {@code ended} counts the ends of the
     * coroutine code behind it.
     */
    interface Adapter {
        Publisher<Integer> make(EventLoop loop, boolean failing, AtomicInteger ended);
    }

    static AsyncGenerator.Body<Integer, Void> oneTwoThree(boolean failing, AtomicInteger ended) {
        return y -> {
            try {
                y.yield(1);
                if (failing) {
                    throw new Boom("the publisher");
                }
                y.yield(2);
                y.yield(3);
            } finally {
                ended.incrementAndGet();
            }
        };
    }

    static final Map<String, Adapter> ADAPTERS = Map.of(
            "Reactive.publisher", (loop, failing, ended) -> Reactive.publisher(loop, oneTwoThree(failing, ended)),
            "ReactiveFlow.publisher",
                    (loop, failing, ended) ->
                            FlowAdapters.toPublisher(ReactiveFlow.publisher(loop, oneTwoThree(failing, ended))),
            "Reactive.fromCoroutine",
                    (loop, failing, ended) -> Reactive.fromCoroutine(loop, () -> {
                        try {
                            Async.sleep(Duration.ofMillis(1));
                            if (failing) {
                                throw new Boom("the publisher");
                            }
                            return 1;
                        } finally {
                            ended.incrementAndGet();
                        }
                    }),
            "Reactive.fromAwaitable",
                    (loop, failing, ended) -> Reactive.fromAwaitable(
                            loop.createTask(() -> {
                                try {
                                    Async.sleep(Duration.ofMillis(1));
                                    if (failing) {
                                        throw new Boom("the publisher");
                                    }
                                    return 1;
                                } finally {
                                    ended.incrementAndGet();
                                }
                            }),
                            true),
            "Reactive.mapAsync",
                    (loop, failing, ended) ->
                            Reactive.mapAsync(Reactive.publisher(loop, oneTwoThree(false, ended)), loop, 2, i -> {
                                Async.sleep(Duration.ofMillis(1));
                                if (failing && i == 2) {
                                    throw new Boom("the publisher");
                                }
                                return i * 10;
                            }));

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (CoroutineEngine engine : CoroutineEngine.available()) {
            for (String adapter : new java.util.TreeSet<>(ADAPTERS.keySet())) {
                for (Signal signal : Signal.values()) {
                    all.add(Arguments.of(engine, adapter, signal));
                }
            }
        }
        return all.stream();
    }

    /** Requests everything from onSubscribe, records every signal, and throws from {@code at}. */
    static final class Throwing implements Subscriber<Integer> {
        final Signal at;
        final Boom boom;
        final List<String> signals = new CopyOnWriteArrayList<>();

        Throwing(Signal at) {
            this.at = at;
            this.boom = new Boom("the subscriber's " + at);
        }

        @Override
        public void onSubscribe(Subscription s) {
            signals.add("onSubscribe");
            s.request(Long.MAX_VALUE); // demand first: a publisher must still treat it as cancelled
            throwIf(Signal.ON_SUBSCRIBE);
        }

        @Override
        public void onNext(Integer item) {
            signals.add("onNext");
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

        String last() {
            synchronized (signals) {
                return signals.get(signals.size() - 1);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} throwing from {2}")
    @MethodSource("cases")
    void aSubscriberThrowingIsCancelledAndReportedAndNothingIsLeft(CoroutineEngine engine, String adapter, Signal at) {
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            List<Map<String, Object>> reports = reportsOf(loop);
            AtomicInteger ended = new AtomicInteger();
            Publisher<Integer> publisher = ADAPTERS.get(adapter).make(loop, at == Signal.ON_ERROR, ended);
            Throwing subscriber = new Throwing(at);

            publisher.subscribe(subscriber);
            eventually("the subscriber's exception is reported", () -> !reports.isEmpty());
            settle(10); // a signal after the one that threw would arrive by now

            assertThat(exceptions(reports))
                    .as("reported to the exception handler")
                    .containsExactly(subscriber.boom);
            assertThat(String.valueOf(reports.get(0).get("message")))
                    .contains("§2.13")
                    .contains("threw from");
            assertThat(reports.get(0))
                    .as("every adapter's report has the same keys")
                    .containsOnlyKeys("message", "exception", "subscriber")
                    .containsEntry("subscriber", subscriber);
            switch (at) {
                case ON_SUBSCRIBE:
                    assertThat(subscriber.signals)
                            .as("nothing after onSubscribe, despite the demand")
                            .containsExactly("onSubscribe");
                    break;
                case ON_NEXT:
                    assertThat(subscriber.signals)
                            .as("nothing after the onNext that threw")
                            .containsExactly("onSubscribe", "onNext");
                    break;
                case ON_ERROR:
                    assertThat(subscriber.last()).isEqualTo("onError boom in the publisher");
                    assertThat(subscriber.boom.getSuppressed())
                            .as("the publisher's own error travels with it")
                            .singleElement()
                            .satisfies(e -> assertThat(e).hasMessage("boom in the publisher"));
                    break;
                default:
                    assertThat(subscriber.last()).isEqualTo("onComplete");
            }
            // the coroutine code behind the publisher has ended, or never started
            eventually("the publisher's coroutine ended", () -> !adapterRunsCodeOf(adapter, at) || ended.get() > 0);
            noTaskLeftButMine();
            return null;
        });
    }

    /** Whether the publisher's coroutine code must have run (and ended) in this case. */
    private static boolean adapterRunsCodeOf(String adapter, Signal at) {
        // fromAwaitable's task is made before the subscription, so it always runs; the others start
        // their code on subscription, which a throwing onSubscribe cancels first
        return adapter.equals("Reactive.fromAwaitable") || at != Signal.ON_SUBSCRIBE;
    }
}
