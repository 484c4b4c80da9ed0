package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.reactive.internal.BatchQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The batch-published SPSC queue behind ASYNC fusion: a producer offers 1 and 2, publishes, offers
 * 3 and publishes again while the consumer polls three times. The consumer sees only a prefix of
 * what was published when it looked, in order: never 1 without 2 (they are published together), never
 * an item before the publish that carries it, never a null where a published item stands. Results:
 * (three polls, 0 = null; items left for a final drain, or -1 if they are not the expected ones).
 */
@JCStressTest
@Description("BatchQueue offer/publish vs poll")
@Outcome(id = "0, 0, 0, 3", expect = ACCEPTABLE, desc = "consumer came first")
@Outcome(id = "0, 0, 1, 2", expect = ACCEPTABLE, desc = "the first batch appeared at the third poll")
@Outcome(id = "0, 1, 2, 1", expect = ACCEPTABLE, desc = "the first batch appeared at the second poll")
@Outcome(id = "1, 2, 0, 1", expect = ACCEPTABLE, desc = "got the first batch; 3 not yet published")
@Outcome(id = "1, 2, 3, 0", expect = ACCEPTABLE, desc = "got both batches")
@Outcome(expect = FORBIDDEN, desc = "unpublished or half a batch seen; lost, duplicated, reordered or null item")
@State
public class BatchQueueStress {
    final BatchQueue<Integer> queue = new BatchQueue<>();
    int p1;
    int p2;
    int p3;

    @Actor
    public void producer() {
        queue.push(1);
        queue.push(2);
        queue.publish();
        queue.push(3);
        queue.publish();
    }

    @Actor
    public void consumer() {
        Integer a = queue.poll();
        Integer b = queue.poll();
        Integer c = queue.poll();
        p1 = a == null ? 0 : a;
        p2 = b == null ? 0 : b;
        p3 = c == null ? 0 : c;
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = p1;
        r.r2 = p2;
        r.r3 = p3;
        int expected = Math.max(p1, Math.max(p2, p3)) + 1;
        int left = 0;
        for (Integer v; (v = queue.poll()) != null; left++) {
            if (v != expected++) {
                left = -1;
                break;
            }
        }
        if (left >= 0 && expected != 4) {
            left = -1;
        }
        r.r4 = left;
    }
}
