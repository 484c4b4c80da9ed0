package io.loopbridge.task;

import java.util.concurrent.CancellationException;

/**
 * A deadline of {@code Async.waitFor} or {@code Async.timeout} passed (asyncio's {@code
 * TimeoutError}).
 *
 * <p>It is a {@link CancellationException} because a timeout works by cancelling what runs inside
 * it: code in the timed block sees the cancellation it must clean up after (its {@code catch
 * (CancellationException e)} and {@code finally} blocks run), and code outside sees a timeout. A
 * task whose body ends with this exception <em>fails</em> with it; it is not cancelled.
 */
public class AsyncTimeoutException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /**
     * A timeout with a message saying which deadline passed.
     *
     * @param message what timed out, and after how long
     */
    public AsyncTimeoutException(String message) {
        super(message);
    }
}
