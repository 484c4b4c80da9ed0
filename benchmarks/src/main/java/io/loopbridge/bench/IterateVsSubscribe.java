package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.BATCH;
import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code iterate_vs_subscribe_<engine>}: a coroutine sums {@code Flux.range(0, }{@value
 * ReactiveWorkloads#ITEMS}{@code )} with a for-each loop over {@code Reactive.iterate(flux, 256)}
 * (requests 256, then 192 each time 192 were consumed) against a plain {@code BaseSubscriber}
 * summing the same range on the bench thread, requesting 256 at a time from inside {@code
 * hookOnNext}. {@code Flux.range} emits synchronously on the requesting thread, so our coroutine
 * never suspends: the cost is the subscriber's queue and the iterator.
 *
 * <p>{@code iterate_publishon_vs_subscribe_<engine>} (context, no goal): the same with {@code
 * publishOn(single, 256)} before both subscribers, so the items arrive from Reactor's worker
 * thread. Ours then suspends whenever it has read what arrived and is woken from the worker; the
 * peer's {@code hookOnNext} runs on the worker itself.
 */
final class IterateVsSubscribe extends LoopVsPeer {
    private final Flux<Integer> range = Flux.range(0, ITEMS);
    private final boolean publishOn;
    private Scheduler scheduler;

    IterateVsSubscribe(CoroutineEngine engine, boolean publishOn) {
        super(
                publishOn ? "iterate_publishon_vs_subscribe" : "iterate_vs_subscribe",
                publishOn ? "base_subscriber_publishOn" : "base_subscriber",
                engine,
                ITEMS,
                sumBelow(ITEMS));
        this.publishOn = publishOn;
    }

    @Override
    void setUpPeer() {
        if (publishOn) {
            scheduler = Schedulers.newSingle("bench-iterate-publishOn", true);
        }
    }

    private Flux<Integer> source() {
        return publishOn ? range.publishOn(scheduler, BATCH) : range;
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        return () -> ReactiveWorkloads.iterateSum(source()); // the scheduler is made after this
    }

    @Override
    long peerBatch() {
        return ReactiveWorkloads.baseSubscriberSum(source());
    }

    @Override
    void closePeer() {
        if (scheduler != null) {
            scheduler.dispose();
        }
    }
}
