package io.loopbridge.tck;

import io.loopbridge.rxjava.RxBridge;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * {@code RxBridge.maybe(loop, coroutine).toFlowable()}: a new task per subscription, its result the
 * only item ({@code null}: empty), as {@link ReactiveFromCoroutineTckTest} but behind RxJava's
 * {@code Maybe}. A 0..1 publisher, so the TCK skips every test that needs more than one element.
 */
public class RxBridgeMaybeTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 12;
    static final Map<String, String> SKIPPED =
            TckSkips.union(TckSkips.PUBLISHER_UNTESTED, TckSkips.AT_MOST_ONE_ELEMENT);

    public RxBridgeMaybeTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return RxBridge.maybe(Tck.loop(), ReactiveFromCoroutineTckTest.coroutine(elements))
                .toFlowable();
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return RxBridge.maybe(Tck.loop(), ReactiveFromCoroutineTckTest.failing())
                .toFlowable();
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
