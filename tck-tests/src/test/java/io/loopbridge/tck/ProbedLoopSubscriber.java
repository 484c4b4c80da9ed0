package io.loopbridge.tck;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;

/**
 * The {@link LoopSubscriber} under whitebox test: it tells the TCK's probe each signal it has
 * accepted, and its puppet drives a gated {@link TckConsumer}.
 *
 * <p>With a prefetch of 1, the subscriber requests one item on subscription and one more each
 * time the consumer takes an item; the consumer takes one item per {@code triggerRequest} permit.
 * So the demand the TCK sees is exactly what the puppet allowed, one request at a time (which
 * {@link SubscriberPuppet#triggerRequest} permits). {@code signalCancel()} is {@code close()}.
 */
final class ProbedLoopSubscriber<T> extends LoopSubscriber<T> {
    static final int PREFETCH = 1;

    private final WhiteboxSubscriberProbe<T> probe;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile TckConsumer<T> consumer;

    private ProbedLoopSubscriber(EventLoop loop, WhiteboxSubscriberProbe<T> probe) {
        super(loop, PREFETCH);
        this.probe = probe;
    }

    /** A probed subscriber on the TCK loop, with its consumer started. */
    static <T> ProbedLoopSubscriber<T> start(WhiteboxSubscriberProbe<T> probe) {
        EventLoop loop = Tck.loop();
        ProbedLoopSubscriber<T> s = new ProbedLoopSubscriber<>(loop, probe);
        s.consumer = TckConsumer.gated(loop, s);
        return s;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        super.onSubscribe(subscription);
        if (subscribed.compareAndSet(false, true)) { // a second subscription is cancelled, not registered (§2.5)
            probe.registerOnSubscribe(new SubscriberPuppet() {
                @Override
                public void triggerRequest(long elements) {
                    consumer.grant(elements);
                }

                @Override
                public void signalCancel() {
                    consumer.stop();
                }
            });
        }
    }

    @Override
    public void onNext(T item) {
        super.onNext(item);
        probe.registerOnNext(item);
    }

    @Override
    public void onError(Throwable error) {
        super.onError(error);
        probe.registerOnError(error);
    }

    @Override
    public void onComplete() {
        super.onComplete();
        probe.registerOnComplete();
    }
}
