package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.task.Task;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.reactivestreams.Subscription;

/**
 * An upstream that signals from two threads, serialized as §1.3 demands (here by a lock), into
 * the subscriber behind {@code Reactive.iterate}, while a coroutine iterates it on the loop and
 * the loop parks between items: one signal comes from a foreign thread, the other from a callback
 * on the loop's own thread (an upstream merging a loop source with a foreign one does that). No item may be lost or doubled, and the loop must wake for each
 * (a lost wake-up hangs the test). Results: (items seen, their sum, requested by the consumer).
 */
@JCStressTest
@Description("LoopSubscriber: onNext from a foreign thread and from the loop (serialized) vs a coroutine iterating")
@Outcome(id = "2, 3, 4", expect = ACCEPTABLE, desc = "both items, then the completion")
@Outcome(expect = FORBIDDEN, desc = "lost or duplicated item, or wrong demand")
@State
public class IterateFromManyThreadsStress {
    final EventLoop loop = Loops.forTasks();
    final LoopSubscriber<Integer> items = new LoopSubscriber<>(loop, 4);
    final Object serial = new Object();
    int signals;
    volatile long requested;

    {
        items.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                requested += n;
            }

            @Override
            public void cancel() {}
        });
    }

    private void emit(int item) {
        synchronized (serial) { // §1.3: signals are serialized, whatever thread sends them
            items.onNext(item);
            if (++signals == 2) {
                items.onComplete();
            }
        }
    }

    @Actor
    public void foreignUpstream() {
        emit(1);
    }

    @Actor
    public void loopWithConsumer(III_Result r) {
        loop.callSoon(() -> loop.callSoon(() -> emit(2))); // in lap 2: the consumer waits by then
        Task<int[]> iterate = loop.createTask(() -> {
            int n = 0;
            int sum = 0;
            for (int item : items) {
                n++;
                sum += item;
            }
            return new int[] {n, sum};
        });
        int[] seen = loop.runUntilComplete(iterate);
        loop.close();
        r.r1 = seen[0];
        r.r2 = seen[1];
        r.r3 = (int) requested;
    }
}
