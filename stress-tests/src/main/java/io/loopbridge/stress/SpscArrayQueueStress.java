package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.reactive.internal.SpscArrayQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The bounded SPSC ring behind {@code LoopSubscriber}: a producer offers 1, 2, 3 into a ring of
 * two slots while the consumer polls twice. Items come out in order, once each, and the third
 * offer succeeds only if the consumer freed a slot. Results: (first poll, second poll, 0 = null;
 * third offer accepted; items left for a final drain, or -1 if they are not the expected ones).
 */
@JCStressTest
@Description("SpscArrayQueue offer vs poll on a full ring")
@Outcome(id = "0, 0, 0, 2", expect = ACCEPTABLE, desc = "consumer came first")
@Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE, desc = "second poll got 1; the ring was full at offer(3)")
@Outcome(id = "0, 1, 1, 2", expect = ACCEPTABLE, desc = "second poll got 1, which freed a slot for 3")
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "2 not yet visible at the second poll; ring full at offer(3)")
@Outcome(
        id = "1, 0, 1, 2",
        expect = ACCEPTABLE,
        desc = "2 not yet visible at the second poll; 3 fit after the first poll")
@Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE, desc = "polled 1 and 2; offer(3) found the ring full")
@Outcome(id = "1, 2, 1, 1", expect = ACCEPTABLE, desc = "polled 1 and 2; 3 fit")
@Outcome(expect = FORBIDDEN, desc = "lost, duplicated or reordered item, or an offer into a full ring")
@State
public class SpscArrayQueueStress {
    final SpscArrayQueue<Integer> queue = new SpscArrayQueue<>(2);
    boolean third;
    int p1;
    int p2;

    @Actor
    public void producer() {
        queue.offer(1);
        queue.offer(2);
        third = queue.offer(3);
    }

    @Actor
    public void consumer() {
        Integer a = queue.poll();
        Integer b = queue.poll();
        p1 = a == null ? 0 : a;
        p2 = b == null ? 0 : b;
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = p1;
        r.r2 = p2;
        r.r3 = third ? 1 : 0;
        int expected = Math.max(p1, p2) + 1;
        int last = third ? 3 : 2;
        int left = 0;
        for (Integer v; (v = queue.poll()) != null; left++) {
            if (v != expected++) {
                left = -1;
                break;
            }
        }
        if (left >= 0 && expected != last + 1) {
            left = -1;
        }
        r.r4 = left;
    }
}
