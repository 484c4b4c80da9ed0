package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.reactivex.rxjava3.core.Flowable;

/**
 * {@code flowable_bridge_vs_flowable_generate_<engine>}: {@value ReactiveWorkloads#ITEMS} boxed ints
 * through {@code RxBridge.flowable(loop, generator)} against {@code Flowable.generate}, into the same
 * {@link BatchSubscriber} (256 requested from inside {@code onNext}); ours is subscribed from a
 * coroutine on the loop's thread, the peer on the bench thread. Both sides wrap the plain subscriber
 * in RxJava's {@code StrictSubscriber}; the difference to {@code asyncgen_publisher_vs_flux_generate}
 * is what {@code RxBridge}'s relay adds on our side and RxJava's generator instead of Reactor's on
 * the peer's.
 */
final class FlowableBridgeVsFlowableGenerate extends LoopVsPeer {
    private final Flowable<Integer> generate = RxWorkloads.generateNumbers(ITEMS);

    FlowableBridgeVsFlowableGenerate(CoroutineEngine engine) {
        super("flowable_bridge_vs_flowable_generate", "flowable_generate", engine, ITEMS, sumBelow(ITEMS));
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        Flowable<Integer> numbers = RxWorkloads.bridgeFlowableNumbers(loop, ITEMS);
        return () -> ReactiveWorkloads.subscribeAndAwait(numbers, new BatchSubscriber());
    }

    @Override
    long peerBatch() {
        return ReactiveWorkloads.subscribeAndJoin(generate, new BatchSubscriber());
    }
}
