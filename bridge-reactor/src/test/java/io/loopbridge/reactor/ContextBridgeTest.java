package io.loopbridge.reactor;

import static io.loopbridge.reactor.testing.BackgroundLoop.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.loopbridge.Async;
import io.loopbridge.context.ContextVar;
import io.loopbridge.reactor.testing.AllEngines;
import io.loopbridge.reactor.testing.BackgroundLoop;
import io.loopbridge.reactor.testing.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.StepVerifierOptions;
import reactor.util.context.Context;

/**
 * Context both ways: a {@link ContextVar} bound to a Reactor context key takes the key's value
 * inside {@code mono}/{@code flux} coroutines, and a coroutine's value of the var is put under the
 * key into the subscriber context of what it awaits. A tracing id thereby survives Reactor →
 * coroutine → Reactor → coroutine → Reactor.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class ContextBridgeTest {
    static final String TRACE_KEY = "test.trace-id";
    static final ContextVar<String> TRACE = ContextVar.of("trace");

    static {
        ReactorBridge.bind(TRACE, TRACE_KEY);
    }

    /** A Mono of what its subscriber context holds under the trace key. */
    static Mono<String> traceSeenByReactor() {
        return Mono.deferContextual(view -> Mono.just(view.getOrDefault(TRACE_KEY, "no trace")));
    }

    // ---------------------------------------------------------------- Reactor → coroutine

    @AllEngines
    void aContextEntryIsTheBoundVarInsideAMonoCoroutine(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Mono<String> mono = ReactorBridge.mono(bg.loop(), () -> {
                String before = TRACE.get();
                Async.sleep(Duration.ofMillis(1));
                return before + "/" + TRACE.get();
            });
            StepVerifier.create(mono.contextWrite(Context.of(TRACE_KEY, "t-1")))
                    .expectNext("t-1/t-1")
                    .expectComplete()
                    .verify(PATIENCE);
            StepVerifier.create(mono.contextWrite(Context.of(TRACE_KEY, "t-2")))
                    .expectNext("t-2/t-2")
                    .expectComplete()
                    .verify(PATIENCE);
            StepVerifier.create(ReactorBridge.mono(bg.loop(), () -> TRACE.get("unset")))
                    .as("without the key the var has no value")
                    .expectNext("unset")
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void aContextEntryIsTheBoundVarInsideAFluxCoroutine(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Flux<String> flux = ReactorBridge.flux(bg.loop(), y -> {
                y.yield(TRACE.get());
                Async.sleep(Duration.ofMillis(1));
                y.yield(TRACE.get());
            });
            StepVerifier.create(flux, StepVerifierOptions.create().withInitialContext(Context.of(TRACE_KEY, "t-3")))
                    .expectNext("t-3", "t-3")
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void concurrentSubscriptionsEachSeeTheirOwnContext(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Mono<String> mono = ReactorBridge.mono(bg.loop(), () -> {
                Async.sleep(Duration.ofMillis(2));
                return TRACE.get();
            });
            Flux<String> both = Flux.merge(
                    mono.contextWrite(Context.of(TRACE_KEY, "a")),
                    mono.contextWrite(Context.of(TRACE_KEY, "b")),
                    mono.contextWrite(Context.of(TRACE_KEY, "c")));
            StepVerifier.create(both.collectSortedList())
                    .expectNext(List.of("a", "b", "c"))
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void theWholeSubscriberContextIsReadableAndTasksInheritIt(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Mono<String> mono = ReactorBridge.mono(bg.loop(), () -> {
                String child = Async.await(Async.createTask(() -> TRACE.get() + " in a child task"));
                return ReactorBridge.subscriberContext().get("other") + ", " + child;
            });
            StepVerifier.create(mono.contextWrite(Context.of("other", "o-1", TRACE_KEY, "t-4")))
                    .expectNext("o-1, t-4 in a child task")
                    .expectComplete()
                    .verify(PATIENCE);
        }
        assertThat(ReactorBridge.subscriberContext().isEmpty())
                .as("outside a coroutine")
                .isTrue();
    }

    /**
     * mapAsync is an operator like any other: the subscriber context reaches its upstream (as through
     * flatMapSequential), and each item's coroutine sees it as a mono coroutine does.
     */
    @AllEngines
    void mapAsyncPassesTheContextUpstreamAndIntoItsCoroutines(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Flux<String> upstream = Flux.deferContextual(
                    view -> Flux.just("a", "b").map(s -> s + " upstream " + view.getOrDefault(TRACE_KEY, "no trace")));
            Flux<String> mapped = upstream.transform(ReactorBridge.mapAsync(bg.loop(), 2, s -> {
                Async.sleep(Duration.ofMillis(1));
                return s + ", coroutine " + TRACE.get("unset") + " "
                        + ReactorBridge.subscriberContext().getOrDefault("other", "no other");
            }));
            StepVerifier.create(mapped.contextWrite(Context.of(TRACE_KEY, "t-9", "other", "o-9")))
                    .expectNext("a upstream t-9, coroutine t-9 o-9", "b upstream t-9, coroutine t-9 o-9")
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    // ---------------------------------------------------------------- coroutine → Reactor

    @AllEngines
    void theBoundVarIsWrittenIntoTheSubscriberContextOfWhatACoroutineAwaits(CoroutineEngine engine) {
        Async.run(engine, () -> {
            assertThat(ReactorBridge.await(traceSeenByReactor())).isEqualTo("no trace");
            assertThat(ReactorBridge.subscriberContext().isEmpty()).isTrue();

            TRACE.set("t-5");
            Flux<String> traced = Flux.deferContextual(view -> Flux.just(view.get(TRACE_KEY), "second"));
            assertThat(ReactorBridge.await(traceSeenByReactor())).isEqualTo("t-5");
            assertThat(ReactorBridge.await(traceSeenByReactor().delayElement(Duration.ofMillis(1))))
                    .isEqualTo("t-5");
            assertThat(ReactorBridge.awaitFirst(traced)).isEqualTo("t-5");
            assertThat(ReactorBridge.awaitFirstOrDefault(traced, "x")).isEqualTo("t-5");
            assertThat(ReactorBridge.awaitFirstOrNull(traced)).isEqualTo("t-5");
            assertThat(ReactorBridge.awaitLast(traced.take(1))).isEqualTo("t-5");
            assertThat(ReactorBridge.awaitSingle(traced.take(1))).isEqualTo("t-5");
            assertThat(ReactorBridge.awaitSingleOrNull(traced.take(1))).isEqualTo("t-5");
            List<String> iterated = new ArrayList<>();
            try (var it = ReactorBridge.iterate(traced, 4)) {
                it.forEachRemaining(iterated::add);
            }
            assertThat(iterated).containsExactly("t-5", "second");
            return null;
        });
    }

    /** The round trip: Reactor → mono coroutine → awaited Mono → the coroutine → Reactor. */
    @AllEngines
    void aTracingKeySurvivesTheRoundTrip(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Mono<String> inner = ReactorBridge.mono(bg.loop(), () -> "inner coroutine " + TRACE.get());
            Mono<String> outer = ReactorBridge.mono(bg.loop(), () -> {
                        String here = "coroutine " + TRACE.get();
                        String awaited =
                                ReactorBridge.await(traceSeenByReactor().map(t -> "awaited Mono " + t));
                        String nested = ReactorBridge.await(inner);
                        return here + ", " + awaited + ", " + nested + ", again " + TRACE.get();
                    })
                    .flatMap(s -> traceSeenByReactor().map(t -> s + ", back in Reactor " + t));

            StepVerifier.create(outer.contextWrite(Context.of(TRACE_KEY, "t-6")))
                    .expectNext("coroutine t-6, awaited Mono t-6, inner coroutine t-6, again t-6, back in Reactor t-6")
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @AllEngines
    void aValueSetInsideTheCoroutineReachesWhatItAwaitsButNotItsSubscriber(CoroutineEngine engine) {
        try (BackgroundLoop bg = new BackgroundLoop(engine)) {
            Mono<String> mono = ReactorBridge.mono(bg.loop(), () -> {
                        TRACE.set("child span");
                        return ReactorBridge.await(traceSeenByReactor());
                    })
                    .flatMap(s -> traceSeenByReactor().map(t -> s + " inside, " + t + " outside"));
            StepVerifier.create(mono.contextWrite(Context.of(TRACE_KEY, "t-7")))
                    .expectNext("child span inside, t-7 outside")
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    // ---------------------------------------------------------------- binding

    @Test
    void aVarIsBoundToOneKey() {
        ReactorBridge.bind(TRACE, TRACE_KEY); // again, to the same key: fine
        assertThatIllegalStateException()
                .isThrownBy(() -> ReactorBridge.bind(TRACE, "another key"))
                .withMessageContaining(TRACE_KEY);
        assertThatNullPointerException()
                .isThrownBy(() -> ReactorBridge.bind(null, "k"))
                .withMessage("var");
        assertThatNullPointerException()
                .isThrownBy(() -> ReactorBridge.bind(TRACE, null))
                .withMessage("key");
    }
}
