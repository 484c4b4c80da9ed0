package io.loopbridge.tck;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.Reactive;
import java.io.IOException;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code Reactive.fromAwaitable(future)}: the outcome of one future shared by every subscriber
 * ({@code null}: empty). The future completes on the loop around the time of the first
 * subscription, so subscriptions find it both pending and done. A 0..1 publisher.
 */
public class ReactiveFromAwaitableTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 12;
    static final Map<String, String> SKIPPED =
            TckSkips.union(TckSkips.PUBLISHER_UNTESTED, TckSkips.AT_MOST_ONE_ELEMENT);

    public ReactiveFromAwaitableTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    /** A future of {@code 1} ({@code null} for an empty stream), completed from the loop soon. */
    static LoopFuture<Long> future(long elements) {
        EventLoop loop = Tck.loop();
        LoopFuture<Long> future = new LoopFuture<>(loop);
        loop.callSoonThreadsafe(() -> future.setResult(elements == 0 ? null : 1L));
        return future;
    }

    /** A future that fails, from the loop soon. */
    static LoopFuture<Long> failedFuture() {
        EventLoop loop = Tck.loop();
        LoopFuture<Long> future = new LoopFuture<>(loop);
        loop.callSoonThreadsafe(() -> future.setException(new IOException("the TCK's failed future")));
        return future;
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return Reactive.fromAwaitable(future(elements));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return Reactive.fromAwaitable(failedFuture());
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
    }

    @Override
    public int expectedPassed() {
        return PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return SKIPPED;
    }
}
