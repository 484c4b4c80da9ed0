package io.loopbridge.io;

/**
 * What a stream server runs for each connection (asyncio's {@code client_connected_cb}): a coroutine
 * body, run as a task of its own, that may suspend on the reader and the writer.
 *
 * <p>If it throws, the error goes to the loop's exception handler and the connection is closed; if
 * its task is cancelled, the connection is closed. If it returns, the connection stays as it left
 * it: close the writer when done.
 */
@FunctionalInterface
public interface StreamHandler {
    /**
     * Serves one connection, in a task of its own on the server's loop thread.
     *
     * @param reader the bytes the peer sends
     * @param writer the way back to the peer; close it when done
     * @throws Exception a failure: reported to the loop's exception handler, and the connection is
     *     closed
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
