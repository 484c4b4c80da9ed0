package io.loopbridge.internal;

import java.nio.channels.SelectionKey;

/**
 * Receives the readiness of a channel registered with the loop's selector ({@link
 * LoopAccess#selector}) with this as the key's attachment; called as a loop callback. Not API.
 */
@FunctionalInterface
public interface IoCallback {
    void ready(SelectionKey key, int readyOps);

    /**
     * The loop is closing while the channel is registered: end what uses it (a connection calls
     * {@code connectionLost}) and close it. Called by {@code EventLoop.close()} on its calling
     * thread, once the loop has stopped and before it drops its callbacks, so callbacks scheduled
     * here never run.
     */
    default void loopClosing() {}
}
