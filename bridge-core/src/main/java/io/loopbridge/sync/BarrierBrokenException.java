package io.loopbridge.sync;

/**
 * {@link AsyncBarrier#await()} on a barrier that was aborted, or that was aborted or reset while
 * the caller waited (asyncio's {@code BrokenBarrierError}). Unchecked, unlike {@code
 * java.util.concurrent.BrokenBarrierException}.
 */
public class BarrierBrokenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken-barrier failure.
     *
     * @param message why the barrier is broken (reset, aborted, or a waiter cancelled)
     */
    public BarrierBrokenException(String message) {
        super(message);
    }
}
