package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import reactor.core.publisher.Flux;

/**
 * {@code flux_bridge_vs_flux_generate_<engine>}: {@value ReactiveWorkloads#ITEMS} boxed ints through
 * {@code ReactorBridge.flux(loop, generator)} against {@code Flux.generate}, into the same {@link
 * BatchSubscriber}; ours is subscribed from a coroutine on the loop's thread, the peer on the bench
 * thread. The difference to {@code asyncgen_publisher_vs_flux_generate} is what the Reactor wrapping
 * ({@code Flux.deferContextual}, {@code Flux.from}, context entry) adds.
 */
final class FluxBridgeVsFluxGenerate extends LoopVsPeer {
    private final Flux<Integer> generate = ReactiveWorkloads.generateNumbers(ITEMS);

    FluxBridgeVsFluxGenerate(CoroutineEngine engine) {
        super("flux_bridge_vs_flux_generate", "flux_generate", engine, ITEMS, sumBelow(ITEMS));
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        Flux<Integer> numbers = ReactiveWorkloads.bridgeFluxNumbers(loop, ITEMS);
        return () -> ReactiveWorkloads.subscribeAndAwait(numbers, new BatchSubscriber());
    }

    @Override
    long peerBatch() {
        return ReactiveWorkloads.subscribeAndJoin(generate, new BatchSubscriber());
    }
}
