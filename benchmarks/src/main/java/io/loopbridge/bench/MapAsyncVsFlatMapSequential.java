package io.loopbridge.bench;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code map_async_vs_flatmap_sequential_<engine>} (context, no goal): {@value #ITEMS} boxed ints of
 * {@code Flux.range} through {@code Reactive.mapAsync(..., 16, i -> i)} — a task per item whose
 * coroutine returns its input at once — against {@code flatMapSequential(Mono::just, 16)}, into the
 * same {@link BatchSubscriber} (256 requested from inside {@code onNext}). {@code
 * map_async_1_vs_concat_map_<engine>}: the same with concurrency 1 against {@code
 * concatMap(Mono::just)}. Ours is subscribed from a coroutine on the loop's thread ({@code
 * Flux.range} then emits there too, so nothing hops); the peer runs on the bench thread.
 *
 * <p>What it measures is the price of a task per item (create, first step, done callback, one
 * more upstream request) against an operator that subscribes to a ready {@code Mono}: the ratio
 * tells how much work a coroutine must do before that price stops mattering.
 */
final class MapAsyncVsFlatMapSequential extends LoopVsPeer {
    /** Items per stream: a tenth of the other reactive comparisons, a task each being much dearer. */
    static final int ITEMS = 100_000;

    private final int concurrency;

    MapAsyncVsFlatMapSequential(CoroutineEngine engine, int concurrency) {
        super(
                concurrency == 1 ? "map_async_1_vs_concat_map" : "map_async_vs_flatmap_sequential",
                concurrency == 1 ? "concat_map" : "flatmap_sequential",
                engine,
                ITEMS,
                sumBelow(ITEMS));
        this.concurrency = concurrency;
    }

    /** Ours: a task per item on {@code loop}, at most {@code concurrency} at a time, that returns its item. */
    static Publisher<Integer> mapAsync(EventLoop loop, int n, int concurrency) {
        return Reactive.mapAsync(Flux.range(0, n), loop, concurrency, i -> i);
    }

    /** The peer: {@code flatMapSequential} over ready {@code Mono}s. */
    static Flux<Integer> flatMapSequential(int n, int concurrency) {
        return Flux.range(0, n).flatMapSequential(Mono::just, concurrency);
    }

    /** The peer at concurrency 1: {@code concatMap} over ready {@code Mono}s. */
    static Flux<Integer> concatMap(int n) {
        return Flux.range(0, n).concatMap(Mono::just);
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        Publisher<Integer> mapped = mapAsync(loop, ITEMS, concurrency);
        return () -> ReactiveWorkloads.subscribeAndAwait(mapped, new BatchSubscriber());
    }

    @Override
    long peerBatch() {
        Flux<Integer> peer = concurrency == 1 ? concatMap(ITEMS) : flatMapSequential(ITEMS, concurrency);
        return ReactiveWorkloads.subscribeAndJoin(peer, new BatchSubscriber());
    }
}
