package io.loopbridge.io;

import java.util.Objects;

/**
 * The reader and writer of one connection, as {@link Streams#openConnection} returns them (asyncio's
 * {@code reader, writer = await open_connection(...)}). Closing the pair closes the writer.
 */
public record StreamPair(StreamReader reader, StreamWriter writer) implements AutoCloseable {
    /**
     * Checks that both parts are there.
     *
     * @throws NullPointerException if {@code reader} or {@code writer} is null
     */
    public StreamPair {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(writer, "writer");
    }

    /** {@link StreamWriter#close()}. */
    @Override
    public void close() {
        writer.close();
    }
}
