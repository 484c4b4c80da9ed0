package io.loopbridge.tck;

import io.loopbridge.rxjava.RxBridge;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code RxBridge.flowable(loop, body)}: a {@code Flowable} running an async generator body per
 * subscription, each yield an {@code onNext}, as {@link ReactivePublisherTckTest} but behind
 * RxJava's {@code Flowable.subscribe} (which wraps the TCK's plain subscribers in its {@code
 * StrictSubscriber}). Unbounded, so every TCK test but the {@code untested_*} ones runs.
 */
public class RxBridgeFlowableTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 31;
    static final Map<String, String> SKIPPED = TckSkips.PUBLISHER_UNTESTED;

    public RxBridgeFlowableTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return RxBridge.flowable(Tck.loop(), ReactivePublisherTckTest.body(elements));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return RxBridge.flowable(Tck.loop(), ReactivePublisherTckTest.failingBody());
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
