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
 * {@code Reactive.publisher}: two {@code request(1)} calls from a foreign thread while the body
 * yields on the loop, parking at zero demand. Exactly the two requested items arrive (a lost
 * wake-up would leave fewer, an accounting error more) and the body then waits at its third
 * yield. Results: (onNext count, completed, errors, body state: 1 = parked at a yield).
 */
@JCStressTest
@Description("Reactive.publisher: request(1) twice from a foreign thread vs emission on the loop")
@Outcome(id = "2, 0, 0, 1", expect = ACCEPTABLE, desc = "two items for two requests; the third yield waits")
@Outcome(expect = FORBIDDEN, desc = "more items than requested, a lost wake-up, or a spurious signal")
@State
public class EmissionRequestStress extends EmissionState {
    @Actor
    public void owner() {
        startOnLoop(5);
    }

    @Actor
    public void requester() {
        emission.request(1);
        emission.request(1);
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
