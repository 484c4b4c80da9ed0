package io.loopbridge.sync;

/**
 * A put on a queue that was {@linkplain AsyncQueue#shutdown(boolean) shut down}, or a get on one
 * that is shut down and empty (asyncio's {@code QueueShutDown}, Python 3.13).
 */
public class QueueShutDownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A shut-down-queue failure.
     *
     * @param message which queue, and whether a put or a get was refused
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}
