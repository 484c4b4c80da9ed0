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
 * An upstream whose signals come from two threads that do not run the loop (serialized by a lock,
 * as §1.3 demands; whichever sends the second item also completes) into the subscriber behind
 * {@code Reactive.iterate}: both race each other into its item channel, and one of them races the
 * coroutine that reads it. Each item goes into the channel's buffer and wakes the waiting reader
 * through the loop: none may be lost, doubled or overtaken by the completion, and the reader must
 * wake for each (a lost wake-up hangs the test). jcstress runs at most as many actors as
 * there are CPUs (two here), so the second upstream is the thread that then runs the loop; while
 * it emits, the loop has no owner and the signal takes the foreign path.
 * Results: (items seen, their sum, requested by the consumer).
 */
@JCStressTest
@Description("LoopSubscriber: onNext from two foreign threads (serialized) vs a coroutine iterating")
@Outcome(id = "2, 3, 4", expect = ACCEPTABLE, desc = "both items, then the completion")
@Outcome(expect = FORBIDDEN, desc = "lost or duplicated item, or wrong demand")
@State
public class IterateFromForeignThreadsStress {
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
        Loops.laps(loop, 1); // the subscriber requests from the loop: demand first, then the items (§1.1)
    }

    private void emit(int item) {
        synchronized (serial) {
            items.onNext(item);
            if (++signals == 2) {
                items.onComplete();
            }
        }
    }

    @Actor
    public void upstreamA() {
        emit(1);
    }

    @Actor
    public void upstreamBThenLoopWithConsumer(III_Result r) {
        emit(2); // before this thread runs the loop: a foreign signal racing upstream A's
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
