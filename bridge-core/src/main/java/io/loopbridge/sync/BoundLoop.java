package io.loopbridge.sync;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.internal.Driver;

/**
 * The event loop a primitive belongs to: the loop of the first coroutine or callback that uses it
 * (asyncio's {@code _LoopBoundMixin}). Every coroutine waiting on the primitive waits on a future of
 * that loop, so a primitive cannot serve two loops.
 */
final class BoundLoop {
    private final Object primitive;
    private EventLoop loop;

    BoundLoop(Object primitive) {
        this.primitive = primitive;
    }

    /**
     * For a method that may suspend: the calling coroutine's driver.
     *
     * @throws IllegalStateException outside a coroutine, or in a coroutine of another loop
     */
    Driver enter(String method) {
        Driver d = Driver.current(method);
        EventLoop l = loop;
        if (l == null) {
            loop = d.loop();
        } else if (l != d.loop()) {
            throw new IllegalStateException(
                    primitive + " is bound to a different event loop; " + "create one per loop");
        }
        return d;
    }

    /**
     * For a method that does not suspend: throws unless the caller may touch the bound loop's state
     * (its thread, or any thread while it does not run).
     */
    void check(String method) {
        EventLoop l = loop;
        if (l == null) {
            l = EventLoop.running();
            if (l == null) {
                return;
            }
            loop = l;
        }
        l.checkOwner(method);
    }
}
