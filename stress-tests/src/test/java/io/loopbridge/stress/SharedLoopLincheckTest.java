package io.loopbridge.stress;

import io.loopbridge.internal.SharedLoop;
import io.loopbridge.loop.EventLoop;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * The shared loop holder: however many threads ask at once, they all get the same loop, and it is
 * running. Stress mode on purpose: the holder is a lazily initialized class, so only the first
 * invocation races for real (model checking runs class initializers without interleaving them).
 */
public class SharedLoopLincheckTest {
    private static final int SAME_RUNNING_LOOP = 1;

    @Operation
    public int get() {
        EventLoop loop = SharedLoop.get();
        return loop == SharedLoop.get() && loop.isRunning() && !loop.isClosed() ? SAME_RUNNING_LOOP : 0;
    }

    @Operation
    public int identity() {
        return System.identityHashCode(SharedLoop.get());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(2)
                .check(getClass());
    }
}
