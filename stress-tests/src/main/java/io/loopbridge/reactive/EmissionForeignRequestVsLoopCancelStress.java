package io.loopbridge.reactive;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.stress.Loops;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@code Reactive.publisher}: a foreign thread requests 2 while, on the loop, the body emits and
 * a callback cancels the subscription (a timeout or a {@code take} would). Never more items than
 * requested; the body ends through {@code finally} (or never starts); no terminal signal, no
 * error. Results: (onNext count, completed, errors, body: 0 = never started, 2 = ended through
 * finally).
 */
@JCStressTest
@Description("Reactive.publisher: request(2) from a foreign thread vs cancel() on the loop vs emission")
@Outcome(
        id = "[012], 0, 0, 2",
        expect = ACCEPTABLE,
        desc = "at most the requested items; the body ended through finally")
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "cancelled before the body started")
@Outcome(
        expect = FORBIDDEN,
        desc = "more items than requested, a terminal signal after cancel, a body left running, or an error")
@State
public class EmissionForeignRequestVsLoopCancelStress extends EmissionState {
    @Actor
    public void owner() {
        loop.callSoon(emission::start);
        Loops.laps(loop, 3);
        loop.callSoon(emission::cancel);
        Loops.laps(loop, 3);
    }

    @Actor
    public void requester() {
        emission.request(2);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        settle();
        r.r1 = subscriber.onNext;
        r.r2 = subscriber.onComplete;
        r.r3 = subscriber.onError + errors;
        r.r4 = body;
        loop.close();
    }
}
