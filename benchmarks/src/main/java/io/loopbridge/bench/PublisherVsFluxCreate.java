package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * {@code asyncgen_publisher_vs_flux_create_<engine>}: {@value ReactiveWorkloads#ITEMS} boxed ints
 * through {@code Reactive.publisher} against {@code Flux.create} emitting while there is demand
 * ({@link PeerWorkloads#createNumbers}; the default {@code BUFFER} strategy queues every item on
 * its way to the subscriber), into the same {@link BatchSubscriber}, as {@link
 * PublisherVsFluxGenerate} does.
 */
final class PublisherVsFluxCreate extends LoopVsPeer {
    private final Flux<Integer> create = PeerWorkloads.createNumbers(ITEMS);

    PublisherVsFluxCreate(CoroutineEngine engine) {
        super("asyncgen_publisher_vs_flux_create", "flux_create", engine, ITEMS, sumBelow(ITEMS));
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        Publisher<Integer> numbers = ReactiveWorkloads.asyncGenNumbers(loop, ITEMS);
        return () -> ReactiveWorkloads.subscribeAndAwait(numbers, new BatchSubscriber());
    }

    @Override
    long peerBatch() {
        return ReactiveWorkloads.subscribeAndJoin(create, new BatchSubscriber());
    }
}
