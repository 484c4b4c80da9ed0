package io.loopbridge.testing;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;

/**
 * Runs a test's main coroutine on virtual time: {@code Async.run} on a {@link TestEventLoop} of the
 * given engine. When nothing is ready the loop jumps its clock to the next timer, so sleeps, timers
 * and deadlines complete in the order of their deadlines however loaded the machine is (a task
 * sleeping 5 steps finishes after one sleeping 1 step even if the second took 100 ms to start), and
 * a test can assert the exact loop time at which something happened.
 *
 * <p>Only for tests whose work stays on the loop: while nothing is ready the clock moves on at
 * once, so a timeout racing a thread that completes something in real time ({@code
 * Async.toThread}, a {@code CompletableFuture} completed elsewhere, Reactor schedulers) would fire
 * early. Those tests stay on {@code Async.run(engine, ...)}.
 */
public final class VirtualTime {
    private VirtualTime() {}

    /** {@code Async.run(() -> new TestEventLoop(engine), main)}. */
    public static <T> T run(CoroutineEngine engine, Coroutine<T> main) {
        return Async.run(() -> new TestEventLoop(engine), main);
    }

    /**
     * Inside a coroutine run by {@link #run}: the loop's clock, which starts at zero.
     *
     * @throws IllegalStateException on a loop that is not on virtual time
     */
    public static Duration now() {
        EventLoop loop = Async.loop();
        if (!(loop instanceof TestEventLoop)) {
            throw new IllegalStateException("VirtualTime.now() needs a loop on virtual time, not " + loop);
        }
        return Duration.ofNanos(loop.time());
    }
}
