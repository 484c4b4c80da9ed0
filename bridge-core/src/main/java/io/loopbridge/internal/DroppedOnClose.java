package io.loopbridge.internal;

/**
 * A callback that must hear it will never run: {@code EventLoop.close()} drops the callbacks still
 * queued, and tells those of this type (on the closing thread, once the loop is closed), so that
 * a signal handed to a stopped loop that then closes is not lost without a trace. Not API.
 */
public interface DroppedOnClose {
    /** The loop closed before running this callback; it never will. */
    void droppedOnClose();
}
