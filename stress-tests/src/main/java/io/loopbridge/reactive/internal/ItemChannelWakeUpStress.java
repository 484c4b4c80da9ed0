package io.loopbridge.reactive.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.stress.Loops;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The hand-off inside {@link ItemChannel}, its two real halves racing on the actors' own threads: the
 * producer's {@link ItemChannel#offer} (publish the item, then wake the waiter it sees) against the
 * consumer's {@link ItemChannel#publishWaiter} (publish the waiter, then re-check the buffer), which
 * {@code hasNext()} calls on an empty buffer just before it suspends. One of them must see the
 * other: if the consumer decides to wait while the producer found no waiter, nothing ever completes
 * the waiter and the coroutine sleeps on a buffered item (a stream that stalls when that was its
 * last item). In the package of the channel, to call its package-private half.
 * Results: (the consumer waits, its waiter was completed once the loop ran what was handed to it).
 */
@JCStressTest
@Description("ItemChannel: offer vs the consumer publishing its waiter (Dekker: both store, then load)")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the consumer's re-check saw the item: no wait, no wake-up")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the consumer waits and the producer woke it")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: the consumer waits on a buffered item")
@Outcome(expect = FORBIDDEN, desc = "a waiter the consumer withdrew was completed")
@State
public class ItemChannelWakeUpStress {
    final EventLoop loop = Loops.forCallbacks();
    final ItemChannel<Integer> channel = new ItemChannel<>(loop, 2, () -> {});
    final LoopFuture<Void> waiter = loop.createFuture();
    boolean waits;

    @Actor
    public void producer() {
        channel.offer(1);
    }

    @Actor
    public void consumer() {
        waits = channel.publishWaiter(waiter);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        Loops.laps(loop, 1); // runs the wake-up, if the producer handed one in
        r.r1 = waits ? 1 : 0;
        r.r2 = waiter.isDone() ? 1 : 0;
        loop.close();
    }
}
