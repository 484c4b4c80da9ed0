package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.loop.EventLoop;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code callSoonThreadsafe} from another thread while the loop runs its last lap and closes.
 * The contract ({@link EventLoop#callSoonThreadsafe}): on a closed loop the call throws {@link
 * IllegalStateException} and the callback never runs; a callback queued while the loop closes is
 * dropped with the loop's other pending callbacks. Results: (1 accepted / 2 threw, callback ran,
 * callbacks left in the closed loop's cross-thread queue).
 */
@JCStressTest
@Description("callSoonThreadsafe vs the loop's last lap and close()")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "accepted and run in the last lap")
@Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "the loop was closed: rejected, never run")
@Outcome(
        id = "1, 0, 0",
        expect = ACCEPTABLE_INTERESTING,
        desc = "queued while the loop closed: dropped by close() with the other pending callbacks, as documented")
@Outcome(id = "1, 0, 1", expect = FORBIDDEN, desc = "accepted after close() emptied the queues: lingers, never runs")
@Outcome(expect = FORBIDDEN, desc = "a rejected callback ran, or another impossible state")
@State
public class CallSoonThreadsafeVsCloseStress {
    final EventLoop loop = Loops.forCallbacks();
    int accepted;
    int ran;

    @Actor
    public void producer() {
        try {
            loop.callSoonThreadsafe(() -> ran++);
            accepted = 1;
        } catch (IllegalStateException closed) {
            accepted = 2;
        }
    }

    @Actor
    public void owner() {
        Loops.laps(loop, 1);
        loop.close();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = accepted;
        r.r2 = ran;
        r.r3 = Loops.inboundSize(loop);
    }
}
