package io.loopbridge.reactor;

import static io.loopbridge.reactor.testing.BackgroundLoop.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactor.testing.BackgroundLoop;
import io.loopbridge.reactor.testing.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;

/**
 * Fault injection (issue 12): a subscriber that throws from each of its signal methods, against each
 * publisher of {@link ReactorBridge}, on each engine. Whatever it throws, the subscription counts as
 * cancelled (no signal follows the one that threw), the coroutine or generator behind the publisher
 * ends (its {@code finally} runs), no task is left, and the exception reaches the loop's exception
 * handler, where the core reports a §2.13 breach (Reactor's operators pass a subscriber's exception
 * up to the publisher, and nobody downstream can take it); it is never lost and never reported
 * twice ({@code Hooks.onErrorDropped} stays empty).
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class SubscriberFaultsTest {
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
     * A publisher of 1, 2, 3 on {@code loop} ({@code failing}: it fails with a {@link Boom} after the
     * first item instead); {@code ended} counts the ends of the coroutine code behind it.
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

    static final Map<String, Adapter> ADAPTERS = new TreeMap<>(Map.of(
            "mono",
                    (loop, failing, ended) -> ReactorBridge.mono(loop, () -> {
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
            "flux", (loop, failing, ended) -> ReactorBridge.flux(loop, oneTwoThree(failing, ended)),
            "toFlux",
                    (loop, failing, ended) ->
                            ReactorBridge.toFlux(loop, AsyncGenerator.of(oneTwoThree(failing, ended))),
            "mapAsync",
                    (loop, failing, ended) -> Flux.just(1, 2, 3)
                            .transform(ReactorBridge.<Integer, Integer>mapAsync(loop, 2, i -> {
                                try {
                                    Async.sleep(Duration.ofMillis(1));
                                    if (failing && i == 2) {
                                        throw new Boom("the publisher");
                                    }
                                    return i;
                                } finally {
                                    ended.incrementAndGet();
                                }
                            }))));

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (CoroutineEngine engine : CoroutineEngine.available()) {
            for (String adapter : ADAPTERS.keySet()) {
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
            s.request(Long.MAX_VALUE); // demand first: the publisher must still treat it as cancelled
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
    }

    final List<Throwable> dropped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void captureDrops() {
        Hooks.onErrorDropped(dropped::add);
    }

    @AfterEach
    void resetHooks() {
        Hooks.resetOnErrorDropped();
    }

    @ParameterizedTest(name = "{0} {1} throwing from {2}")
    @MethodSource("cases")
    void aSubscriberThrowingIsCancelledAndReportedOnceAndNothingIsLeft(
            CoroutineEngine engine, String adapter, Signal at) throws InterruptedException {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            AtomicInteger ended = new AtomicInteger();
            Throwing subscriber = new Throwing(at);

            ADAPTERS.get(adapter).make(bg.loop(), at == Signal.ON_ERROR, ended).subscribe(subscriber);

            eventually().untilAsserted(() -> assertThat(bg.reported).isNotEmpty());
            bg.awaitNoLiveTasks();
            if (at != Signal.ON_SUBSCRIBE) {
                eventually()
                        .untilAsserted(() ->
                                assertThat(ended).as("the coroutine code ended").hasPositiveValue());
            }
            Thread.sleep(20); // a signal or report after the one that threw would arrive by now

            assertThat(bg.reported)
                    .as("reported to the loop's exception handler, once")
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.get("exception")).isSameAs(subscriber.boom);
                        assertThat(String.valueOf(r.get("message"))).contains("§2.13");
                    });
            assertThat(dropped).as("not reported twice").isEmpty();
            List<String> signals = List.copyOf(subscriber.signals);
            switch (at) {
                case ON_SUBSCRIBE:
                    assertThat(signals)
                            .as("nothing after onSubscribe, despite the demand")
                            .containsExactly("onSubscribe");
                    break;
                case ON_NEXT:
                    assertThat(signals)
                            .as("nothing after the onNext that threw")
                            .containsExactly("onSubscribe", "onNext");
                    break;
                case ON_ERROR:
                    assertThat(signals).last().isEqualTo("onError boom in the publisher");
                    break;
                default:
                    assertThat(signals).last().isEqualTo("onComplete");
            }
            assertThat(bg.liveTasks()).isEmpty();
        }
    }
}
