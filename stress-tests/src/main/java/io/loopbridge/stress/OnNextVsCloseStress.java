package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.internal.ItemChannel;
import io.loopbridge.reactive.internal.SpscArrayQueue;
import java.lang.reflect.Field;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;
import org.reactivestreams.Subscription;

/**
 * {@link LoopSubscriber#onNext} on a foreign thread against {@code close()} on the consumer's: the
 * producer buffers the item, then re-checks whether the subscriber was closed; the close marks the
 * upstream cancelled, then sweeps the buffer to the discard route. One of them must see the other,
 * or the item stays in the buffer of a closed subscriber and never reaches the discard hook (a
 * leaked pooled buffer). Result: the items left in the buffer once the loop ran what was handed to
 * it (read by reflection: not API).
 */
@JCStressTest
@Description("LoopSubscriber: onNext's re-check vs close's sweep of the buffer")
@Outcome(
        id = "0",
        expect = ACCEPTABLE,
        desc = "the sweep of the close, or the one onNext handed to the loop, took the item")
@Outcome(id = "1", expect = FORBIDDEN, desc = "the item stayed in the buffer of a closed subscriber")
@Outcome(expect = FORBIDDEN, desc = "unexpected")
@State
public class OnNextVsCloseStress {
    private static final Field CHANNEL;
    private static final Field QUEUE;

    static {
        try {
            CHANNEL = LoopSubscriber.class.getDeclaredField("channel");
            CHANNEL.setAccessible(true);
            QUEUE = ItemChannel.class.getDeclaredField("queue");
            QUEUE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop = Loops.forCallbacks();
    final LoopSubscriber<Integer> items = new LoopSubscriber<>(loop, 4);

    {
        items.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
        });
        Loops.laps(loop, 1); // the subscriber requests from the loop: demand first, then the item (§1.1)
    }

    @Actor
    public void producer() {
        items.onNext(1);
    }

    @Actor
    public void consumer() {
        items.close(); // this thread stands in for the loop's, which runs nothing meanwhile
    }

    @Arbiter
    public void arbiter(I_Result r) {
        Loops.laps(loop, 1); // runs the sweep onNext handed in, if it did
        int left = 0;
        try {
            SpscArrayQueue<?> queue = (SpscArrayQueue<?>) QUEUE.get(CHANNEL.get(items));
            while (queue.poll() != null) {
                left++;
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        r.r1 = left;
        loop.close();
    }
}
