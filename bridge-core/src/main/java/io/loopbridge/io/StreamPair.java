package io.loopbridge.io;

import java.util.Objects;

/**
 * The reader and writer of one connection, as {@link Streams#openConnection} returns them (asyncio's
 * {@code reader, writer = await open_connection(...)}). Closing the pair closes the writer.
 *
 * @param reader the side that reads what the peer sends; not null
 * @param writer the side that writes to the peer and closes the connection; not null
 */
public record StreamPair(StreamReader reader, StreamWriter writer) implements AutoCloseable {
    /**
     * Checks that both parts are there.
     *
     * @param reader the connection's reader; must not be null
     * @param writer the connection's writer; must not be null
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
