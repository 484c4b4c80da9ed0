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
 * As {@link ItemChannelWakeUpStress}, with the end of the stream instead of an item: {@link
 * ItemChannel#complete} (mark the end, then wake the waiter it sees) against the consumer's {@link
 * ItemChannel#publishWaiter}. A lost wake-up here leaves the coroutine waiting for an end that
 * already came. Results: (the consumer waits, its waiter was completed once the loop ran what was
 * handed to it).
 */
@JCStressTest
@Description("ItemChannel: complete vs the consumer publishing its waiter")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the consumer's re-check saw the end: no wait, no wake-up")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the consumer waits and the completion woke it")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: the consumer waits for an end that came")
@Outcome(expect = FORBIDDEN, desc = "a waiter the consumer withdrew was completed")
@State
public class ItemChannelCompleteWakeUpStress {
    final EventLoop loop = Loops.forCallbacks();
    final ItemChannel<Integer> channel = new ItemChannel<>(loop, 2, () -> {});
    final LoopFuture<Void> waiter = loop.createFuture();
    boolean waits;

    @Actor
    public void producer() {
        channel.complete();
    }

    @Actor
    public void consumer() {
        waits = channel.publishWaiter(waiter);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        Loops.laps(loop, 1); // runs the wake-up, if the completion handed one in
        r.r1 = waits ? 1 : 0;
        r.r2 = waiter.isDone() ? 1 : 0;
        loop.close();
    }
}
