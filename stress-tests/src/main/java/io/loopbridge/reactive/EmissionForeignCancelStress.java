package io.loopbridge.reactive;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@code Reactive.publisher}: the subscriber requests 2 from {@code onSubscribe} (on the loop)
 * and a foreign thread cancels while the body emits. Items already in flight may still arrive
 * (§3.8) but never more than requested; the cancel always ends the body through its {@code
 * finally} (or before it starts), with no terminal signal and no error. Results: (onNext count,
 * completed, errors, body: 0 = never started, 2 = ended through finally).
 */
@JCStressTest
@Description("Reactive.publisher: emission on the loop vs cancel() from a foreign thread")
@Outcome(
        id = "[012], 0, 0, 2",
        expect = ACCEPTABLE,
        desc = "at most the requested items; the body ended through finally")
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "cancelled before the body started")
@Outcome(
        expect = FORBIDDEN,
        desc = "more items than requested, a terminal signal after cancel, a body left running, or an error")
@State
public class EmissionForeignCancelStress extends EmissionState {
    @Override
    long initialRequest() {
        return 2;
    }

    @Actor
    public void owner() {
        startOnLoop(5);
    }

    @Actor
    public void canceller() {
        emission.cancel();
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
