package io.loopbridge.internal;

import java.nio.channels.SelectionKey;

/**
 * Receives the readiness of a channel registered with the loop's selector ({@link
 * LoopAccess#selector}) with this as the key's attachment; called as a loop callback. Not API.
 */
@FunctionalInterface
public interface IoCallback {
    void ready(SelectionKey key, int readyOps);
}
