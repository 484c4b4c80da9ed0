package io.loopbridge.bench;

import static io.loopbridge.bench.ReactiveWorkloads.ITEMS;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.reactivestreams.Publisher;

/**
 * {@code asyncgen_publisher_vs_fiber_interop}: {@value ReactiveWorkloads#ITEMS} boxed ints through
 * {@code Reactive.publisher} against rxjava3-fiber-interop's {@code FiberInterop.create} (a virtual
 * thread of a virtual-thread-per-task executor emits), into the same {@link BatchSubscriber} (256
 * requested from inside {@code onNext}, so neither side ever parks: fiber-interop's {@code onNext}
 * runs on its virtual thread, ours on the generator's task). Ours is subscribed from a coroutine on
 * the loop's thread; the peer is subscribed from the bench thread, which waits for the end.
 *
 * <p>Every engine runs; the {@code RATIO} uses the one fastest in the warm-up, and {@code
 * ABS ….loopbridge_<engine>} lines give each engine's figure.
 */
final class PublisherVsFiberInterop extends AcrossEnginesVsPeer {
    private ExecutorService executor;
    private Publisher<Integer> fibers;

    PublisherVsFiberInterop() {
        super("asyncgen_publisher_vs_fiber_interop", "fiber_interop", "item", null, ITEMS, LoopVsPeer.sumBelow(ITEMS));
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        Publisher<Integer> numbers = ReactiveWorkloads.asyncGenNumbers(loop, ITEMS);
        return () -> ReactiveWorkloads.subscribeAndAwait(numbers, new BatchSubscriber());
    }

    @Override
    void setUpPeer() {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        fibers = ReactiveWorkloads.fiberNumbers(executor, ITEMS);
    }

    @Override
    long peerBatch() {
        return ReactiveWorkloads.subscribeAndJoin(fibers, new BatchSubscriber());
    }

    @Override
    void closePeer() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
