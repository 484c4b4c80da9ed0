package io.loopbridge.io;

import java.io.EOFException;

/**
 * The stream ended before a read could be satisfied (asyncio's {@code IncompleteReadError}): thrown
 * by {@link StreamReader#readexactly} and {@link StreamReader#readuntil}, carrying the bytes that
 * were read, which are no longer in the reader.
 */
public class IncompleteReadException extends EOFException {
    private static final long serialVersionUID = 1L;

    private final byte[] partial;
    private final int expected;

    /** {@code expected} is the number of bytes asked for, or -1 when unknown (a separator was). */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of "
                + (expected < 0 ? "undefined" : String.valueOf(expected)) + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /** The bytes read before the end of the stream (a copy). */
    public byte[] partial() {
        return partial.clone();
    }

    /** The number of bytes asked for, or -1 when the read was looking for a separator. */
    public int expected() {
        return expected;
    }
}
