package io.loopbridge.tck;

import io.loopbridge.rxjava.RxBridge;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.testng.SkipException;
import org.testng.annotations.Test;

/**
 * {@code RxBridge.single(loop, coroutine).toFlowable()}: a new task per subscription, its result
 * the only item. A {@code Single} always has exactly one item, so {@code createPublisher(0)} emits
 * one too (the two required §1.9 tests that ask for 0 only subscribe). The TCK skips every test
 * that needs more than one element; the optional empty-stream test (§1.5) is skipped here, see
 * {@link #neverEmpty()} ({@link RxBridgeMaybeTckTest} covers the empty case).
 */
public class RxBridgeSingleTckTest extends PublisherVerification<Long> implements TckAudited {
    static final String EMPTY_STREAM_TEST = "optional_spec105_emptyStreamMustTerminateBySignallingOnComplete";
    static final int PASSED = 11;
    static final Map<String, String> SKIPPED = TckSkips.union(
            TckSkips.PUBLISHER_UNTESTED,
            TckSkips.AT_MOST_ONE_ELEMENT,
            TckSkips.of(EMPTY_STREAM_TEST, "§1.5 a Single is never empty: createPublisher(0) cannot be honoured"));

    public RxBridgeSingleTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return RxBridge.single(Tck.loop(), ReactiveFromCoroutineTckTest.coroutine(1))
                .toFlowable();
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return RxBridge.single(Tck.loop(), ReactiveFromCoroutineTckTest.failing())
                .toFlowable();
    }

    /**
     * The skip of the §1.5 empty-stream test, for the classes of a {@code Single}. Left to the TCK,
     * it would pass on a one-element stream: its optional tests record "Expected end-of-stream but
     * got element" as an asynchronous error, and nothing checks those errors on that path.
     */
    static SkipException neverEmpty() {
        return new SkipException(SKIPPED.get(EMPTY_STREAM_TEST));
    }

    @Override
    @Test
    public void optional_spec105_emptyStreamMustTerminateBySignallingOnComplete() {
        throw neverEmpty();
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
