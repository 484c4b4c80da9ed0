package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
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
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code LoopFuture.toCompletableFuture().cancel()} on a foreign thread while the loop closes:
 * {@code CompletableFuture.cancel} must cancel the view and never throw because the loop closed
 * under it. Results: (cancel returned true 1 / threw 2, the view is cancelled 1).
 */
@JCStressTest
@Description("toCompletableFuture().cancel() from a foreign thread vs loop close()")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the view is cancelled")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "cancel() threw because the loop closed concurrently")
@Outcome(expect = FORBIDDEN, desc = "other")
@State
public class ToCompletableFutureCancelVsCloseStress {
    final EventLoop loop = Loops.forCallbacks();
    final LoopFuture<Integer> future = loop.createFuture();
    final CompletableFuture<Integer> view = future.toCompletableFuture();
    int cancelled;

    @Actor
    public void foreign() {
        try {
            cancelled = view.cancel(false) ? 1 : 0;
        } catch (IllegalStateException e) {
            cancelled = 2;
        }
    }

    @Actor
    public void owner() {
        Loops.laps(loop, 1);
        loop.close();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = cancelled;
        r.r2 = view.isCancelled() ? 1 : 0;
    }
}
