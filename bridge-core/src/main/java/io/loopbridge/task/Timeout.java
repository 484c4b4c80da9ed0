package io.loopbridge.task;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TimerHandle;
import io.loopbridge.task.internal.Driver;
import java.time.Duration;

/**
 * A deadline for the block of a try-with-resources (asyncio's {@code timeout()}): when it passes,
 * the await the task is suspended in throws {@link AsyncTimeoutException}, which leaves the block.
 * Created with {@code Async.timeout(delay)} or {@code Async.timeoutAt(when)} inside a coroutine.
 *
 * <pre>{@code
 * try (Timeout t = Async.timeout(Duration.ofSeconds(10))) {
 *     Async.await(longOperation);
 * } catch (AsyncTimeoutException e) {
 *     // longOperation was cancelled and has finished cancelling
 * }
 * }</pre>
 */
public final class Timeout implements AutoCloseable {
    private final Driver driver;
    private final EventLoop loop;
    /** The task's plain cancellation requests at entry: only one made since outranks the deadline. */
    private final int plainCancellingAtEntry;

    private TimerHandle timer;
    private long when;
    private boolean expired;
    private boolean closed;

    private Timeout(Driver driver, long when) {
        this.driver = driver;
        this.loop = driver.loop();
        this.plainCancellingAtEntry = driver.plainCancelling();
        schedule(when);
    }

    /**
     * The same as {@code Async.timeoutAt(when)}: {@code when} is loop time; {@code Long.MAX_VALUE}: none.
     *
     * @param when the deadline in loop time ({@link EventLoop#time()}, nanoseconds); a time already
     *     passed expires at the next step of the loop
     * @return the active timeout, to close when leaving the block
     * @throws IllegalStateException outside a coroutine
     */
    public static Timeout at(long when) {
        return new Timeout(Driver.current("Async.timeout()"), when);
    }

    /**
     * The same as {@code Async.timeout(delay)}; {@code null}: no deadline (until {@link #reschedule}).
     *
     * @param delay the time from now to the deadline; zero or negative expires at the next step of
     *     the loop; {@code null} for none
     * @return the active timeout, to close when leaving the block
     * @throws IllegalStateException outside a coroutine
     */
    public static Timeout after(Duration delay) {
        Driver d = Driver.current("Async.timeout()");
        return new Timeout(d, deadline(d.loop(), delay));
    }

    /** {@return the deadline in loop time ({@link EventLoop#time()}), or {@code Long.MAX_VALUE} for none} */
    public long when() {
        return when;
    }

    /** {@return whether the deadline passed and cancelled the block} */
    public boolean expired() {
        return expired;
    }

    /**
     * Moves the deadline to {@code delay} from now; {@code null} removes it.
     *
     * @param delay the time from now to the new deadline; zero or negative expires at the next step
     *     of the loop; {@code null} for none
     * @throws IllegalStateException if the timeout has expired or been closed
     */
    public void reschedule(Duration delay) {
        rescheduleAt(deadline(loop, delay));
    }

    /**
     * Moves the deadline to loop time {@code when}; {@code Long.MAX_VALUE} removes it.
     *
     * @param when the new deadline in loop time (nanoseconds); {@code Long.MAX_VALUE} for none
     * @throws IllegalStateException if the timeout has expired or been closed
     */
    public void rescheduleAt(long when) {
        if (closed) {
            throw new IllegalStateException("Timeout has already been exited");
        }
        if (expired) {
            throw new IllegalStateException("Timeout has already expired");
        }
        schedule(when);
    }

    private void schedule(long when) {
        this.when = when;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (when == Long.MAX_VALUE) {
            return;
        }
        Runnable fire = () -> {
            if (!closed && !expired) {
                expired = true;
                driver.requestTimeoutCancel("Timeout expired", plainCancellingAtEntry);
            }
        };
        timer = when <= loop.time() ? null : loop.callAt(when, fire);
        if (timer == null) {
            loop.callSoon(fire);
        }
    }

    /** Leaves the block: drops the deadline and withdraws its cancellation if it fired. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        if (expired) {
            driver.uncancel(true);
        }
    }

    private static long deadline(EventLoop loop, Duration delay) {
        if (delay == null) {
            return Long.MAX_VALUE;
        }
        long nanos;
        try {
            nanos = Math.max(0, delay.toNanos());
        } catch (ArithmeticException e) {
            return delay.isNegative() ? loop.time() : Long.MAX_VALUE;
        }
        long now = loop.time();
        long when = now + nanos;
        return when < now ? Long.MAX_VALUE : when;
    }

    @Override
    public String toString() {
        return "Timeout[" + (expired ? "expired" : closed ? "exited" : "active") + " when=" + when + "]";
    }
}
