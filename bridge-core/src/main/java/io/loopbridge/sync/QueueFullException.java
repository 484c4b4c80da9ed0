package io.loopbridge.sync;

/**
 * {@link AsyncQueue#putNowait} on a full queue (asyncio's {@code QueueFull}). An {@link
 * IllegalStateException}, as {@code java.util.Queue.add} throws on a full queue.
 */
public class QueueFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A full-queue failure.
     *
     * @param message which queue was full, and its size
     */
    public QueueFullException(String message) {
        super(message);
    }
}
