package io.loopbridge.bench;

import hu.akarnokd.rxjava3.fibers.FiberInterop;
import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.reactor.ReactorBridge;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The Reactive Streams workloads shared by the ratio driver (the {@code asyncgen_publisher_*},
 * {@code iterate_vs_subscribe_*}, {@code flux_bridge_*} and {@code mono_await_vs_block}
 * comparisons) and the JMH classes {@code PublisherBenchmark} and {@code ReactivePeerBenchmark}.
 *
 * <p>Every stream is {@value #ITEMS} boxed ints {@code 0..n-1}, consumed by the same {@link
 * BatchSubscriber}: it requests {@value #BATCH} in {@code onSubscribe} and {@value #BATCH} more from
 * inside {@code onNext} each time {@value #BATCH} have arrived.
 */
final class ReactiveWorkloads {
    private ReactiveWorkloads() {}

    /** Items per stream. */
    static final int ITEMS = 1_000_000;
    /** The subscriber's request batch, and the prefetch of {@code Reactive.iterate}. */
    static final int BATCH = 256;

    // ---------------------------------------------------------------- the subscriber

    /**
     * A plain Reactive Streams subscriber (not a Reactor {@code CoreSubscriber}, so Reactor and
     * RxJava wrap it in their {@code StrictSubscriber}, as they do any foreign subscriber): sums the
     * items and requests {@value #BATCH} more from inside {@code onNext} every {@value #BATCH} items.
     * {@link #done} completes with the sum on {@code onComplete}. One instance per stream.
     */
    static class BatchSubscriber implements Subscriber<Integer> {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private Subscription upstream;
        private int inBatch;
        private long sum;

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            s.request(BATCH);
        }

        @Override
        public void onNext(Integer item) {
            sum += item;
            if (++inBatch == BATCH) {
                inBatch = 0;
                upstream.request(BATCH);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(sum);
        }
    }

    /**
     * The same subscriber as a Reactor {@link CoreSubscriber}: Reactor then calls it directly (no
     * {@code StrictSubscriber}). For the JMH figures only, to show what the wrapper costs the peers.
     */
    static final class CoreBatchSubscriber extends BatchSubscriber implements CoreSubscriber<Integer> {}

    /** Waits on a plain thread for the subscriber's sum (rethrows a stream error). */
    static long join(BatchSubscriber s) {
        return s.done.join();
    }

    // ---------------------------------------------------------------- sources

    /** Ours: {@code Reactive.publisher} over an async generator yielding {@code 0..n-1}. */
    static Publisher<Integer> asyncGenNumbers(EventLoop loop, int n) {
        return Reactive.publisher(loop, y -> {
            for (int i = 0; i < n; i++) {
                y.yield(i);
            }
        });
    }

    /** Ours through bridge-reactor: {@code ReactorBridge.flux} with the same generator. */
    static Flux<Integer> bridgeFluxNumbers(EventLoop loop, int n) {
        return ReactorBridge.flux(loop, y -> {
            for (int i = 0; i < n; i++) {
                y.yield(i);
            }
        });
    }

    /**
     * Reactor's synchronous generator emitting {@code 0..n-1}; the state is a mutable counter, so
     * the only allocation per item is the boxed item, as on our side.
     */
    static Flux<Integer> generateNumbers(int n) {
        return Flux.generate(() -> new int[1], (state, sink) -> {
            int i = state[0]++;
            if (i < n) {
                sink.next(i);
            } else {
                sink.complete();
            }
            return state;
        });
    }

    /** rxjava3-fiber-interop: a virtual thread of {@code executor} emits {@code 0..n-1}. */
    static Publisher<Integer> fiberNumbers(ExecutorService executor, int n) {
        return FiberInterop.<Integer>create(
                emitter -> {
                    for (int i = 0; i < n; i++) {
                        emitter.emit(i);
                    }
                },
                executor);
    }

    // ---------------------------------------------------------------- our consumers, inside a coroutine

    /**
     * Inside a coroutine: subscribes {@code subscriber} to {@code publisher} from the loop's thread
     * and suspends until it completes; returns the sum. A same-thread publisher then needs no hop to
     * start or to take the subscriber's requests.
     */
    static long subscribeAndAwait(Publisher<Integer> publisher, BatchSubscriber subscriber) {
        publisher.subscribe(subscriber);
        return Async.await(subscriber.done);
    }

    /** Inside a coroutine: {@link #subscribeAndAwait} with a {@code publishOn(scheduler)} between. */
    static long subscribeAcrossAndAwait(Publisher<Integer> publisher, Scheduler scheduler) {
        return subscribeAndAwait(Flux.from(publisher).publishOn(scheduler, BATCH), new BatchSubscriber());
    }

    /** Inside a coroutine: sums {@code publisher} with {@code Reactive.iterate(publisher, BATCH)}. */
    static long iterateSum(Publisher<Integer> publisher) {
        long sum = 0;
        try (LoopSubscriber<Integer> items = Reactive.iterate(publisher, BATCH)) {
            for (Integer v : items) {
                sum += v;
            }
        }
        return sum;
    }

    /** Inside a coroutine: sums {@code flux} with {@code ReactorBridge.iterate(flux, BATCH)}. */
    static long reactorIterateSum(Flux<Integer> flux) {
        long sum = 0;
        try (LoopSubscriber<Integer> items = ReactorBridge.iterate(flux, BATCH)) {
            for (Integer v : items) {
                sum += v;
            }
        }
        return sum;
    }

    /**
     * A {@link LoopSubscriber} that is also a Reactor {@link CoreSubscriber}, so Reactor calls it
     * directly instead of through its {@code StrictSubscriber} (whose serialization costs two atomic
     * operations per item). Not what {@code Reactive.iterate} subscribes today: JMH only, to show
     * what {@code ReactorBridge.iterate} would gain by subscribing one.
     */
    static final class CoreLoopSubscriber<T> extends LoopSubscriber<T> implements CoreSubscriber<T> {
        CoreLoopSubscriber(EventLoop loop, int prefetch) {
            super(loop, prefetch);
        }
    }

    /** Inside a coroutine: sums {@code flux} through a {@link CoreLoopSubscriber} (prefetch {@value #BATCH}). */
    static long coreIterateSum(Flux<Integer> flux) {
        long sum = 0;
        CoreLoopSubscriber<Integer> items = new CoreLoopSubscriber<>(Async.loop(), BATCH);
        flux.subscribe(items);
        try (items) {
            for (Integer v : items) {
                sum += v;
            }
        }
        return sum;
    }

    /** Inside a coroutine: {@code n} times {@code ReactorBridge.await(mono)}. */
    static long monoAwait(Mono<Integer> mono, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += ReactorBridge.await(mono);
        }
        return sum;
    }

    // ---------------------------------------------------------------- the peers' consumers, on a plain thread

    /** Subscribes on the calling thread and waits for the sum. */
    static long subscribeAndJoin(Publisher<Integer> publisher, BatchSubscriber subscriber) {
        publisher.subscribe(subscriber);
        return join(subscriber);
    }

    /** {@code n} times {@code mono.block()}. */
    static long monoBlock(Mono<Integer> mono, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += mono.block();
        }
        return sum;
    }

    /**
     * The peer of {@code Reactive.iterate}: a plain {@link BaseSubscriber} summing the items,
     * {@value #BATCH} requested at a time (from inside {@code hookOnNext}).
     */
    static final class RangeSubscriber extends BaseSubscriber<Integer> {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private int inBatch;
        private long sum;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            request(BATCH);
        }

        @Override
        protected void hookOnNext(Integer item) {
            sum += item;
            if (++inBatch == BATCH) {
                inBatch = 0;
                request(BATCH);
            }
        }

        @Override
        protected void hookOnComplete() {
            done.complete(sum);
        }

        @Override
        protected void hookOnError(Throwable t) {
            done.completeExceptionally(t);
        }
    }

    /** {@code flux} into a {@link RangeSubscriber} on the calling thread; the sum. */
    static long baseSubscriberSum(Flux<Integer> flux) {
        RangeSubscriber s = new RangeSubscriber();
        flux.subscribe(s);
        return s.done.join();
    }
}
