package io.loopbridge.internal;

import io.loopbridge.loop.EventLoop;

/**
 * Installed as the uncaught-exception handler of a coroutine's own thread (threads and virtual
 * engines) to name the loop the thread belongs to: {@link EventLoop#running()} reads it from there
 * instead of a thread-local, whose map would cost about 140 bytes per suspended task. Not API.
 */
public interface LoopBinding extends Thread.UncaughtExceptionHandler {
    /** The loop the thread's coroutine belongs to. */
    EventLoop boundLoop();

    /** What escapes the thread's own run method: reported as the JVM would without a handler. */
    @Override
    default void uncaughtException(Thread t, Throwable e) {
        ThreadGroup g = t.getThreadGroup();
        if (g != null) {
            g.uncaughtException(t, e);
        } else {
            e.printStackTrace();
        }
    }
}
