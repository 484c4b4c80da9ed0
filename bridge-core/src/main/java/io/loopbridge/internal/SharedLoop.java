package io.loopbridge.internal;

import io.loopbridge.loop.EventLoop;
import java.util.concurrent.CountDownLatch;

/**
 * The loop the bridges use when called without a loop from outside any coroutine: started on
 * first use on a daemon thread named {@code loopbridge-shared}, stopped and closed at JVM
 * shutdown. Not API: users reach it through the bridges' loop-less overloads.
 */
public final class SharedLoop {
    private SharedLoop() {}

    /** The running loop of the calling coroutine or callback, else the shared loop. */
    public static EventLoop currentOrShared() {
        EventLoop loop = EventLoop.running();
        return loop != null ? loop : get();
    }

    /** The shared loop, started if needed. Thread-safe. */
    public static EventLoop get() {
        return Holder.LOOP;
    }

    private static final class Holder {
        static final EventLoop LOOP = start();
    }

    // Outside Holder: the loop thread's lambda must not need Holder initialized (it is not yet).
    private static EventLoop start() {
        EventLoop loop = new EventLoop();
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        Thread t = new Thread(
                () -> {
                    try {
                        loop.runForever();
                    } finally {
                        loop.close();
                    }
                },
                "loopbridge-shared");
        t.setDaemon(true);
        t.start();
        try {
            running.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                loop.callSoonThreadsafe(loop::stop);
                                t.join(2_000);
                            } catch (IllegalStateException | InterruptedException alreadyClosed) {
                                // nothing left to stop
                            }
                        },
                        "loopbridge-shared-shutdown"));
        return loop;
    }
}
