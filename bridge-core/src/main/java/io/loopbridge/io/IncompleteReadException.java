package io.loopbridge.io;

import java.io.EOFException;

/**
 * The stream ended before a read could be satisfied (asyncio's {@code IncompleteReadError}): thrown
 * by {@link StreamReader#readexactly} and {@link StreamReader#readuntil}, carrying the bytes that
 * were read, which are no longer in the reader.
 */
public class IncompleteReadException extends EOFException {
    private static final long serialVersionUID = 1L;

    /** The bytes read before the stream ended. */
    private final byte[] partial;
    /** The number of bytes asked for, or -1 when a separator was. */
    private final int expected;

    /**
     * A read that ended early; the message says how many bytes came of how many expected.
     *
     * @param partial the bytes read before the end of the stream (copied)
     * @param expected the number of bytes asked for, or -1 when unknown (a separator was)
     */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : String.valueOf(expected))
                + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /**
     * The bytes read before the end of the stream (a copy).
     *
     * @return a new copy of the bytes read before the end of the stream; may be empty
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * The number of bytes asked for, or -1 when the read was looking for a separator.
     *
     * @return the byte count the read asked for, or -1 for a separator search
     */
    public int expected() {
        return expected;
    }
}
