package io.loopbridge.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.IoCallback;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.loop.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Like {@link WakeUpStress}, but with I/O registered: the loop goes to sleep in {@code
 * Selector.select()} (a pipe that never becomes readable, no timer) while another thread hands it
 * a callback. The producer must see that the loop polls the selector and call {@code wakeup()} on
 * it, not unpark the thread; a lost wake-up leaves the owner blocked in {@code select()} forever,
 * which jcstress reports as a hung test. The pipe is opened and closed by the owner, so only one
 * is open per actor thread at a time.
 */
@JCStressTest
@Description("callSoonThreadsafe wakes a loop that is going to sleep in the selector")
@Outcome(id = "42, 1", expect = ACCEPTABLE, desc = "the loop woke from select() and ran the callback")
@Outcome(expect = FORBIDDEN, desc = "lost or duplicated hand-off")
@State
public class SelectorWakeUpStress {
    private static final IoCallback NEVER_READY = (key, ops) -> {
        throw new AssertionError("the pipe is never written");
    };

    final EventLoop loop = Loops.forCallbacks();
    final LoopFuture<Integer> handedIn = loop.createFuture();

    @Actor
    public void owner(II_Result r) {
        Pipe pipe = null;
        try {
            pipe = Pipe.open(); // nothing is ever written: the source stays not readable
            pipe.source().configureBlocking(false);
            // not running yet, so this thread may touch the loop's selector
            pipe.source().register(LoopAccess.get().selector(loop), SelectionKey.OP_READ, NEVER_READY);
            r.r1 = loop.runUntilComplete(handedIn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            loop.close();
            closeQuietly(pipe);
        }
    }

    @Actor
    public void producer(II_Result r) {
        loop.callSoonThreadsafe(() -> handedIn.setResult(42));
        r.r2 = 1;
    }

    private static void closeQuietly(Pipe pipe) {
        if (pipe == null) {
            return;
        }
        try {
            pipe.source().close();
            pipe.sink().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
