package io.loopbridge.tck;

import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.reactor.ReactorBridge;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.reactivestreams.tck.PublisherVerification;
import org.testng.annotations.AfterMethod;

/**
 * {@code ReactorBridge.toFlux(loop, generator)}: a {@code Flux} reading an async generator that
 * exists already. A generator runs once, so the {@code Flux} takes one subscriber and a later one
 * gets {@code onError}: the TCK then skips the optional multi-subscriber tests (§1.11) itself.
 */
public class ReactorBridgeToFluxTckTest extends PublisherVerification<Long> implements TckAudited {
    static final int PASSED = 26;
    static final Map<String, String> SKIPPED = skips();

    /** The subscriptions of the current test, for {@link #cancelAbandoned}; weak, not to hold a subscriber (§3.13). */
    static final List<WeakReference<Subscription>> SUBSCRIPTIONS = new CopyOnWriteArrayList<>();

    public ReactorBridgeToFluxTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    private static Map<String, String> skips() {
        String unicast = "§1.11 optional: toFlux takes one subscriber (a generator runs once); a second gets onError";
        Map<String, String> skips = new TreeMap<>(TckSkips.PUBLISHER_UNTESTED);
        skips.put("optional_spec111_maySupportMultiSubscribe", unicast);
        skips.put("optional_spec111_registeredSubscribersMustReceiveOnNextOrOnCompleteSignals", unicast);
        skips.put(
                "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne",
                unicast);
        skips.put(
                "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront",
                unicast);
        skips.put(
                "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected",
                unicast);
        return Map.copyOf(skips);
    }

    static Publisher<Long> toFlux(long elements) {
        return ReactorBridge.toFlux(Tck.loop(), AsyncGenerator.of(ReactivePublisherTckTest.body(elements)))
                .doOnSubscribe(s -> SUBSCRIPTIONS.add(new WeakReference<>(s)));
    }

    static Publisher<Long> failedToFlux() {
        return ReactorBridge.toFlux(Tck.loop(), AsyncGenerator.of(ReactivePublisherTckTest.failingBody()));
    }

    /**
     * A skipped §1.11 test stops at the second subscriber's error and never cancels the first, whose
     * generator would wait for demand past the class's audit: cancel it as its subscriber would.
     */
    @AfterMethod(alwaysRun = true)
    public void cancelAbandoned(Method test) {
        cancelAbandoned(test.getName());
    }

    static void cancelAbandoned(String test) {
        if (test.startsWith("optional_spec111_")) {
            for (WeakReference<Subscription> s : SUBSCRIPTIONS) {
                Subscription live = s.get();
                if (live != null) {
                    live.cancel();
                }
            }
        }
        SUBSCRIPTIONS.clear();
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return toFlux(elements);
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return failedToFlux();
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
