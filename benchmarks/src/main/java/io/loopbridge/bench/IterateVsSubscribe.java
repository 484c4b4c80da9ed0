package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import reactor.core.publisher.Flux;

/**
 * {@code iterate_vs_subscribe_<engine>}: a coroutine sums {@code Flux.range(0, }{@value
 * ReactiveWorkloads#ITEMS}{@code )} with a for-each loop over {@code Reactive.iterate(flux, 256)}
 * (requests 256, then 192 each time 192 were consumed) against a plain {@code BaseSubscriber}
 * summing the same range on the bench thread, requesting 256 at a time from inside {@code
 * hookOnNext}. {@code Flux.range} emits synchronously on the requesting thread, so our coroutine
 * never suspends: the cost is the subscriber's queue and the iterator.
 */
final class IterateVsSubscribe extends LoopVsPeer {
    private final Flux<Integer> range = Flux.range(0, ITEMS);

    IterateVsSubscribe(CoroutineEngine engine) {
        super("iterate_vs_subscribe", "base_subscriber", engine, ITEMS, sumBelow(ITEMS));
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        return () -> ReactiveWorkloads.iterateSum(range);
    }

    @Override
    long peerBatch() {
        return ReactiveWorkloads.baseSubscriberSum(range);
    }
}
