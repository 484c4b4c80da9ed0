package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.BATCH;
import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code asyncgen_publisher_vs_flux_generate_<engine>}: {@value ReactiveWorkloads#ITEMS} boxed ints
 * through {@code Reactive.publisher} (an async generator yielding {@code 0..n-1}) against {@code
 * Flux.generate}, into the same {@link BatchSubscriber} (256 requested from inside {@code onNext}).
 * Ours is subscribed from a coroutine on the loop's thread, so neither the start nor a request needs
 * a hop; the peer runs on the bench thread.
 *
 * <p>{@code asyncgen_publisher_vs_flux_generate_cross_thread_<engine>}: the same with {@code
 * publishOn(single)} between publisher and subscriber on both sides, so the subscriber consumes and
 * requests on another thread (Reactor's hand-off: a queue of 256, 192 re-requested at a time). Our
 * generator then parks at zero demand and the request from the other thread wakes it through the
 * loop; {@code Flux.generate} simply produces on whichever thread requests.
 */
final class PublisherVsFluxGenerate extends LoopVsPeer {
    private final boolean crossThread;
    private final Flux<Integer> generate = ReactiveWorkloads.generateNumbers(ITEMS);
    private Scheduler scheduler;

    PublisherVsFluxGenerate(CoroutineEngine engine, boolean crossThread) {
        super(
                crossThread
                        ? "asyncgen_publisher_vs_flux_generate_cross_thread"
                        : "asyncgen_publisher_vs_flux_generate",
                crossThread ? "flux_generate_publishOn" : "flux_generate",
                engine,
                ITEMS,
                sumBelow(ITEMS));
        this.crossThread = crossThread;
    }

    @Override
    void setUpPeer() {
        if (crossThread) {
            scheduler = Schedulers.newSingle("bench-publishOn", true);
        }
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        Publisher<Integer> numbers = ReactiveWorkloads.asyncGenNumbers(loop, ITEMS);
        if (crossThread) {
            return () -> ReactiveWorkloads.subscribeAcrossAndAwait(numbers, scheduler);
        }
        return () -> ReactiveWorkloads.subscribeAndAwait(numbers, new BatchSubscriber());
    }

    @Override
    long peerBatch() {
        Publisher<Integer> source = crossThread ? generate.publishOn(scheduler, BATCH) : generate;
        return ReactiveWorkloads.subscribeAndJoin(source, new BatchSubscriber());
    }

    @Override
    void closePeer() {
        if (scheduler != null) {
            scheduler.dispose();
        }
    }
}
