package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import org.reactivestreams.Publisher;

/**
 * {@code asyncgen_publisher_vs_kotlinx_publish}: {@value ReactiveWorkloads#ITEMS} boxed ints through
 * {@code Reactive.publisher} against kotlinx-coroutines-reactive's {@code publish { send(i) }} (a
 * coroutine on {@code Dispatchers.Default}, see {@code KotlinxPeer.kt}), into the same {@link
 * BatchSubscriber}. Ours is subscribed from a coroutine on the loop's thread; the peer is subscribed
 * from the bench thread, which waits for the end.
 *
 * <p>Every engine runs; the {@code RATIO} uses the one fastest in the warm-up, and {@code
 * ABS ….loopbridge_<engine>} lines give each engine's figure.
 */
final class PublisherVsKotlinx extends AcrossEnginesVsPeer {
    private Publisher<Integer> kotlinx;

    PublisherVsKotlinx() {
        super(
                "asyncgen_publisher_vs_kotlinx_publish",
                "kotlinx_publish",
                "item",
                null,
                ITEMS,
                LoopVsPeer.sumBelow(ITEMS));
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        Publisher<Integer> numbers = ReactiveWorkloads.asyncGenNumbers(loop, ITEMS);
        return () -> ReactiveWorkloads.subscribeAndAwait(numbers, new BatchSubscriber());
    }

    @Override
    void setUpPeer() {
        kotlinx = KotlinxPeer.numbers(ITEMS);
    }

    @Override
    long peerBatch() {
        return ReactiveWorkloads.subscribeAndJoin(kotlinx, new BatchSubscriber());
    }
}
