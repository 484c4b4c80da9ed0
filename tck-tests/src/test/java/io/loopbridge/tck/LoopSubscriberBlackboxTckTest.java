package io.loopbridge.tck;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import java.util.Map;
import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberBlackboxVerification;

/**
 * {@link LoopSubscriber}, blackbox: the default prefetch of {@code Reactive.iterate}, read by a
 * coroutine on the TCK loop that takes every item as it arrives.
 */
public class LoopSubscriberBlackboxTckTest extends SubscriberBlackboxVerification<Integer> implements TckAudited {
    static final int PASSED = 11;
    static final Map<String, String> SKIPPED = TckSkips.BLACKBOX_UNTESTED;

    public LoopSubscriberBlackboxTckTest() {
        super(Tck.env());
    }

    /** A subscriber as {@code Reactive.iterate(publisher)} makes it, with its reading coroutine started. */
    static LoopSubscriber<Integer> subscriber() {
        EventLoop loop = Tck.loop();
        LoopSubscriber<Integer> s = new LoopSubscriber<>(loop, Reactive.DEFAULT_PREFETCH);
        TckConsumer.ungated(loop, s);
        return s;
    }

    @Override
    public Subscriber<Integer> createSubscriber() {
        return subscriber();
    }

    @Override
    public Integer createElement(int element) {
        return element;
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
