package io.loopbridge.rxjava;

import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.gen.GeneratorExit;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.rxjava.internal.UndeliverableErrors;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Errors RxJava cannot deliver: the observer has disposed its subscription (or has already had its
 * terminal signal), so nobody is left to receive them. The policy, as written in {@link RxBridge}:
 *
 * <ol>
 *   <li>the loop's exception handler always gets the error, on the loop, with the keys {@code
 *       "message"}, {@code "exception"} and {@code "source"};
 *   <li>{@link RxJavaPlugins#onError} gets it too (which wraps it in {@code UndeliverableException}
 *       unless it counts it as a bug) when an RxJava error handler is installed. Without one, RxJava's default
 *       (print the stack trace, then call the thread's uncaught-exception handler) is skipped: the
 *       loop's handler has already logged it, and the loop's thread is no place for an uncaught
 *       exception.
 * </ol>
 *
 * <p>A cancellation is not an error: a task cancelled by a dispose ends without a report.
 */
final class Undeliverable {
    private Undeliverable() {}

    /** Reports {@code error} as the policy says. Any thread. */
    static void report(EventLoop loop, String message, Throwable error, Object source) {
        UndeliverableErrors.report(loop, message, error, source);
    }

    /**
     * {@code body}, but a failure after its subscriber left ({@code left} is true) is reported as
     * undeliverable instead of being passed to the publisher, which could only log it. Closing and
     * cancelling ({@link GeneratorExit}, {@link CancellationException}) pass through: they are how
     * the body is stopped, not failures.
     */
    static <T> AsyncGenerator.Body<T, Void> guard(
            EventLoop loop, AsyncGenerator.Body<T, Void> body, BooleanSupplier left, Object source) {
        return y -> {
            try {
                body.run(y);
            } catch (GeneratorExit | CancellationException stopped) {
                throw stopped;
            } catch (Throwable t) {
                if (!left.getAsBoolean()) {
                    throw t;
                }
                report(loop, "the generator of " + source + " failed after its subscriber left", t, source);
            }
        };
    }
}
