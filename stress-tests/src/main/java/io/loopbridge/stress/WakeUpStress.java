package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The loop is about to park (nothing ready, no timer) while another thread hands it a callback:
 * the {@code awake} flag must never let that wake-up get lost. A lost wake-up leaves the loop
 * actor parked forever, which jcstress reports as a hung test.
 */
@JCStressTest
@Description("callSoonThreadsafe wakes a loop that is going to sleep")
@Outcome(id = "42, 1", expect = ACCEPTABLE, desc = "the loop woke and ran the callback")
@Outcome(expect = FORBIDDEN, desc = "lost or duplicated hand-off")
@State
public class WakeUpStress {
    final EventLoop loop = Loops.forCallbacks();
    final LoopFuture<Integer> handedIn = loop.createFuture();

    @Actor
    public void owner(II_Result r) {
        r.r1 = loop.runUntilComplete(handedIn);
        loop.close();
    }

    @Actor
    public void producer(II_Result r) {
        loop.callSoonThreadsafe(() -> handedIn.setResult(42));
        r.r2 = 1;
    }
}
