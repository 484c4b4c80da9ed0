package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@code LoopFuture.from(stage)}: the stage completes on a foreign thread while the loop cancels
 * the loop future (which cancels the stage in turn). Whatever the order, the loop future ends
 * exactly once, agrees with the stage, and nothing is reported as an error. Results: (loop future
 * 1 = result / 2 = cancelled / 0 = pending, stage 1 = completed / 2 = cancelled, complete()
 * returned true 1 / false 0, errors reported).
 */
@JCStressTest
@Description("LoopFuture.from(CompletableFuture): foreign completion vs cancel on the loop")
@Outcome(
        id = "1, 1, 1, 0",
        expect = ACCEPTABLE,
        desc = "completion hopped onto the loop first; the cancel came too late")
@Outcome(id = "2, 1, 1, 0", expect = ACCEPTABLE, desc = "cancelled on the loop first; the stage had completed already")
@Outcome(
        id = "2, 2, 0, 0",
        expect = ACCEPTABLE_INTERESTING,
        desc = "cancelled on the loop, which cancelled the stage before complete()")
@Outcome(expect = FORBIDDEN, desc = "lost completion, disagreement with the stage, or an error")
@State
public class LoopFutureFromStageVsCancelStress {
    final EventLoop loop = Loops.forCallbacks();
    final CompletableFuture<Integer> stage = new CompletableFuture<>();
    final LoopFuture<Integer> future = LoopFuture.from(loop, stage);
    int errors;
    int completed;

    {
        loop.setExceptionHandler((l, context) -> errors++);
    }

    @Actor
    public void foreign() {
        completed = stage.complete(42) ? 1 : 0;
    }

    @Actor
    public void owner() {
        Loops.laps(loop, 1); // the completion may hop in here
        loop.callSoon(future::cancel);
        Loops.laps(loop, 2); // the cancel, then the done callback that cancels the stage
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        Loops.laps(loop, 3);
        r.r1 = !future.isDone() ? 0 : future.isCancelled() ? 2 : future.result() == 42 ? 1 : -1;
        r.r2 = stage.isCancelled() ? 2 : stage.getNow(-1) == 42 ? 1 : -1;
        r.r3 = completed;
        r.r4 = errors;
        loop.close();
    }
}
