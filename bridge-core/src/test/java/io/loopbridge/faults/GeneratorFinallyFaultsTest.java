package io.loopbridge.faults;

import static io.loopbridge.faults.Faults.eventually;
import static io.loopbridge.faults.Faults.exceptions;
import static io.loopbridge.faults.Faults.noTaskLeftButMine;
import static io.loopbridge.faults.Faults.reportsOf;
import static io.loopbridge.faults.Faults.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.faults.Faults.Boom;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.gen.Generator;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Generators whose {@code finally} throws while they are being closed or cancelled: the exception
 * replaces the close, and reaches whoever can see it — the caller of {@code close()}/{@code
 * aclose()}, or the loop's exception handler when the closing comes from a cancelled subscription or
 * from the loop's own shutdown. Nothing is left running.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class GeneratorFinallyFaultsTest {
    final List<String> steps = new CopyOnWriteArrayList<>();

    /** Takes one item, then cancels. */
    static final class TakeOne implements Subscriber<Integer> {
        final List<String> signals = new CopyOnWriteArrayList<>();
        volatile Subscription subscription;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Integer item) {
            signals.add("onNext " + item);
            subscription.cancel();
        }

        @Override
        public void onError(Throwable t) {
            signals.add("onError " + t.getMessage());
        }

        @Override
        public void onComplete() {
            signals.add("onComplete");
        }
    }

    @AllEngines
    void aPublishersFinallyThrowingOnCancelIsReportedNotSignalled(CoroutineEngine engine) {
        Boom boom = new Boom("finally");
        Async.run(engine, () -> {
            List<Map<String, Object>> reports = reportsOf(Async.loop());
            Publisher<Integer> p = Reactive.publisher(Async.loop(), y -> {
                try {
                    y.yield(1);
                    y.yield(2);
                } finally {
                    steps.add("finally");
                    throw boom;
                }
            });
            TakeOne s = new TakeOne();
            p.subscribe(s);
            eventually("the failure is reported", () -> !reports.isEmpty());
            settle(5);

            assertThat(s.signals)
                    .as("the subscriber left: it gets nothing more")
                    .containsExactly("onNext 1");
            assertThat(exceptions(reports)).containsExactly(boom);
            assertThat(String.valueOf(reports.get(0).get("message"))).contains("after its subscriber left");
            // the keys every reactive adapter's report has (the shared Signals helper's)
            assertThat(reports.get(0)).containsOnlyKeys("message", "exception", "subscriber");
            assertThat(steps).containsExactly("finally");
            noTaskLeftButMine();
            return null;
        });
    }

    /**
     * A coroutine that fails after another thread cancelled its subscription, before that cancel
     * reached the loop: the failure is reported at once, once (it used to wait for the garbage
     * collector's "never retrieved" report).
     */
    @AllEngines
    void aCoroutineFailingWhileItsCancelIsOnTheWayIsReportedOnce(CoroutineEngine engine) {
        Boom boom = new Boom("failed as the cancel came");
        Async.run(engine, () -> {
            List<Map<String, Object>> reports = reportsOf(Async.loop());
            LoopFuture<Void> gate = Async.loop().createFuture();
            Publisher<Integer> p = Reactive.fromCoroutine(Async.loop(), () -> {
                Async.await(gate);
                throw boom;
            });
            TakeOne s = new TakeOne();
            p.subscribe(s);
            settle(2); // the coroutine waits at the gate
            AtomicBoolean asked = new AtomicBoolean();
            new Thread(() -> {
                        s.subscription.cancel(); // reaches the loop after this step
                        asked.set(true);
                    })
                    .start();
            while (!asked.get()) {
                // spins, calling nothing BlockHound counts as blocking: the loop's thread stays on this step
            }
            gate.setResult(null); // the coroutine fails on the next lap, before the cancel arrives
            settle(5);

            assertThat(s.signals).as("the subscriber left: it gets nothing").isEmpty();
            assertThat(exceptions(reports)).containsExactly(boom);
            assertThat(String.valueOf(reports.get(0).get("message"))).contains("after its subscriber left");
            noTaskLeftButMine();
            return null;
        });
    }

    @AllEngines
    void aFinallyThatAwaitsThenThrowsWhileParkedAtAYieldIsReported(CoroutineEngine engine) {
        Boom boom = new Boom("finally");
        Async.run(engine, () -> {
            List<Map<String, Object>> reports = reportsOf(Async.loop());
            Publisher<Integer> p = Reactive.publisher(Async.loop(), y -> {
                try {
                    y.yield(1);
                    y.yield(2); // parks: no demand; a foreign thread cancels
                } finally {
                    Async.sleep(Duration.ofMillis(2));
                    steps.add("finally awaited");
                    throw boom;
                }
            });
            AtomicReference<Subscription> sub = new AtomicReference<>();
            List<String> signals = new CopyOnWriteArrayList<>();
            p.subscribe(new Subscriber<>() {
                @Override
                public void onSubscribe(Subscription s) {
                    sub.set(s);
                    s.request(1);
                }

                @Override
                public void onNext(Integer item) {
                    signals.add("onNext " + item);
                }

                @Override
                public void onError(Throwable t) {
                    signals.add("onError");
                }

                @Override
                public void onComplete() {
                    signals.add("onComplete");
                }
            });
            eventually("the first item", () -> signals.size() == 1);
            Async.await(CompletableFuture.runAsync(() -> sub.get().cancel())); // from another thread
            eventually("the failure is reported", () -> !reports.isEmpty());

            assertThat(exceptions(reports)).containsExactly(boom);
            assertThat(signals).containsExactly("onNext 1");
            assertThat(steps).containsExactly("finally awaited");
            noTaskLeftButMine();
            return null;
        });
    }

    @AllEngines
    void iterateClosedEarlyCancelsAPublisherWhoseFinallyThrows(CoroutineEngine engine) {
        Boom boom = new Boom("finally");
        Async.run(engine, () -> {
            List<Map<String, Object>> reports = reportsOf(Async.loop());
            Publisher<Integer> p = Reactive.publisher(Async.loop(), y -> {
                try {
                    for (int i = 1; ; i++) {
                        y.yield(i);
                    }
                } finally {
                    throw boom;
                }
            });
            try (LoopSubscriber<Integer> items = Reactive.iterate(p, 4)) {
                for (int i : items) {
                    if (i == 3) {
                        break; // closes the subscriber: cancels the upstream
                    }
                }
            }
            eventually("the failure is reported", () -> !reports.isEmpty());
            assertThat(exceptions(reports)).containsExactly(boom);
            noTaskLeftButMine();
            return null;
        });
    }

    @AllEngines
    void acloseGivesTheFinallysExceptionToItsCaller(CoroutineEngine engine) {
        Boom boom = new Boom("finally");
        Async.run(engine, () -> {
            List<Map<String, Object>> reports = reportsOf(Async.loop());
            AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                try {
                    y.yield(1);
                    y.yield(2);
                } finally {
                    Async.sleep(Duration.ofMillis(1));
                    throw boom;
                }
            });
            assertThat(Async.await(gen.anext())).isEqualTo(1);
            Throwable thrown = catchThrowable(() -> Async.await(gen.aclose()));

            assertThat(thrown).isSameAs(boom);
            assertThat(gen.isDone()).isTrue();
            assertThat(reports).as("the caller got it: nothing to report").isEmpty();
            noTaskLeftButMine();
            return null;
        });
    }

    @AllEngines
    void closeOfAGeneratorThrowsTheFinallysException(CoroutineEngine engine) {
        Boom boom = new Boom("finally");
        Async.run(engine, () -> {
            Generator<Integer, Void, Void> gen = Generator.of(y -> {
                try {
                    y.yield(1);
                    y.yield(2);
                    return null;
                } finally {
                    steps.add("finally");
                    throw boom;
                }
            });
            assertThat(gen.next()).isEqualTo(1);
            assertThat(catchThrowable(gen::close)).isSameAs(boom);
            assertThat(gen.isDone()).isTrue();
            assertThat(steps).containsExactly("finally");
            return null;
        });
    }

    @AllEngines
    void asyncRunReportsAnAsyncGeneratorWhoseFinallyThrowsAtShutdown(CoroutineEngine engine) {
        Boom boom = new Boom("finally");
        AtomicReference<List<Map<String, Object>>> reports = new AtomicReference<>();
        Async.run(engine, () -> {
            reports.set(reportsOf(Async.loop()));
            AsyncGenerator<Integer, Void> leftOpen = AsyncGenerator.of(y -> {
                try {
                    y.yield(1);
                    y.yield(2);
                } finally {
                    Async.sleep(Duration.ofMillis(1));
                    steps.add("finally");
                    throw boom;
                }
            });
            assertThat(Async.await(leftOpen.anext())).isEqualTo(1);
            return null; // the generator is still open: Async.run closes it on the way out
        });

        assertThat(steps).containsExactly("finally");
        assertThat(exceptions(reports.get())).containsExactly(boom);
        assertThat(String.valueOf(reports.get().get(0).get("message")))
                .contains("closing of an asynchronous generator");
    }

    @AllEngines
    void aCancelledMapAsyncCoroutineWhoseFinallyThrowsIsReported(CoroutineEngine engine) {
        Boom boom = new Boom("finally");
        Async.run(engine, () -> {
            List<Map<String, Object>> reports = reportsOf(Async.loop());
            Publisher<Integer> mapped = Reactive.<Integer, Integer>mapAsync(
                    Reactive.<Integer>publisher(Async.loop(), y -> {
                        for (int i = 1; i <= 3; i++) {
                            y.yield(i);
                        }
                    }),
                    Async.loop(),
                    3,
                    i -> {
                        if (i == 1) {
                            return i;
                        }
                        try {
                            Async.sleep(Duration.ofHours(1));
                            return i;
                        } finally {
                            if (i == 2) {
                                throw boom; // replaces the cancellation
                            }
                        }
                    });
            TakeOne s = new TakeOne();
            mapped.subscribe(s);
            eventually("the failure is reported", () -> !reports.isEmpty());

            assertThat(s.signals).containsExactly("onNext 1");
            assertThat(exceptions(reports)).containsExactly(boom);
            noTaskLeftButMine();
            return null;
        });
    }

    @AllEngines
    void aCancelledFromCoroutinePublisherWhoseFinallyThrowsIsReported(CoroutineEngine engine) {
        Boom boom = new Boom("finally");
        Async.run(engine, () -> {
            List<Map<String, Object>> reports = reportsOf(Async.loop());
            Publisher<Integer> p = Reactive.fromCoroutine(Async.loop(), () -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return 1;
                } catch (CancellationException e) {
                    throw boom; // replaces the cancellation
                }
            });
            AtomicReference<Subscription> sub = new AtomicReference<>();
            p.subscribe(new Subscriber<>() {
                @Override
                public void onSubscribe(Subscription s) {
                    sub.set(s);
                    s.request(1);
                }

                @Override
                public void onNext(Integer item) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
            });
            settle(3);
            sub.get().cancel();
            eventually("the failure is reported", () -> !reports.isEmpty());

            assertThat(exceptions(reports)).containsExactly(boom);
            noTaskLeftButMine();
            return null;
        });
    }
}
