package io.loopbridge.io;

import java.io.IOException;

/**
 * A line, or a chunk up to a separator, is longer than the reader's limit (asyncio's {@code
 * LimitOverrunError}).
 *
 * <p>After {@link StreamReader#readuntil} throws it the buffered data is untouched, so the caller
 * can {@link StreamReader#read} {@link #consumed()} bytes and go on; after {@link
 * StreamReader#readline} throws it the offending line has been dropped from the buffer (up to and
 * including its newline if it had arrived, else all of the buffer), so the next {@code readline}
 * starts on fresh data, as asyncio's {@code readline} does.
 */
public class LimitOverrunException extends IOException {
    private static final long serialVersionUID = 1L;

    /** See {@link #consumed()}. */
    private final int consumed;

    /**
     * A limit overrun.
     *
     * @param message what was being read and the limit it passed
     * @param consumed how many bytes may be read before the separator, or were searched without
     *     finding it
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /**
     * How many bytes may be read before the separator, or were searched without finding it.
     *
     * @return the byte count: the length allowed before the separator, or how many bytes were
     *     searched
     */
    public int consumed() {
        return consumed;
    }
}
