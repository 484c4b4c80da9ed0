package io.loopbridge.task.internal;

import io.loopbridge.internal.LoopAccess;
import io.loopbridge.internal.LoopBinding;
import io.loopbridge.loop.EventLoop;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * A fiber on its own thread (platform or virtual), handed control by park/unpark. While it runs,
 * it owns its loop (the resumer gave it up), so loop-only methods work inside the coroutine.
 */
final class ThreadFiber extends Fiber implements Runnable, LoopBinding {
    private static final LoopAccess LOOPS = LoopAccess.get();

    private final Thread thread;
    private final EventLoop loop;
    /** The body: a driver's (no extra object per task) or any runnable's. */
    private final Driver driver;

    private final Runnable body;
    private boolean started;
    private Throwable failure;
    private volatile Thread resumer;
    /** True while the fiber has control; the hand-off flag both sides spin-park on. */
    private volatile boolean fiberTurn;

    private volatile boolean done;
    private volatile boolean killed;

    ThreadFiber(ThreadFactory threads, EventLoop loop, String name, Driver driver, Runnable body) {
        this.loop = loop;
        this.driver = driver;
        this.body = body;
        this.thread = threads.newThread(this);
        if (!thread.getName().isEmpty()) {
            // keep the factory's loopbridge- prefix: thread dumps and leak checks look for it;
            // virtual threads stay unnamed, a name would cost more than the rest of the fiber
            // (and a task's default name is not even made for them)
            String n = driver != null ? driver.fiberName() : name;
            if (n != null) {
                thread.setName(thread.getName() + " " + n);
            }
        }
        thread.setDaemon(true);
        if (loop != null) {
            // how EventLoop.running() finds the loop on this thread (no thread-local map per fiber)
            thread.setUncaughtExceptionHandler(this);
        }
    }

    /** The fiber's thread: runs the body. */
    @Override
    public void run() {
        try {
            if (!killed) {
                if (driver != null) {
                    driver.enterBody();
                } else {
                    body.run();
                }
            }
        } catch (FiberKilled expected) {
            // unwound on purpose
        } catch (Throwable t) {
            failure = t;
        } finally {
            done = true;
            Thread r = resumer;
            fiberTurn = false;
            LockSupport.unpark(r);
        }
    }

    @Override
    public EventLoop boundLoop() {
        return loop;
    }

    @Override
    public void resume() {
        if (done) {
            throw new IllegalStateException("cannot resume a fiber that has ended");
        }
        Thread me = Thread.currentThread();
        resumer = me;
        boolean own = loop != null && loop.inLoop();
        if (own) {
            LOOPS.transferOwner(loop, thread);
        }
        fiberTurn = true;
        if (!started) {
            started = true;
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
        while (fiberTurn) {
            LockSupport.park(this);
        }
        if (own) {
            LOOPS.transferOwner(loop, me);
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            throw sneakyThrow(f);
        }
    }

    @Override
    public void suspend() {
        if (driver != null && LOOPS.takeLoneStep(loop, driver)) {
            return; // the loop would only resume us: no hand-off to its thread and back
        }
        Thread r = resumer;
        fiberTurn = false;
        LockSupport.unpark(r);
        while (!fiberTurn) {
            LockSupport.park(this);
        }
        if (killed) {
            throw new FiberKilled();
        }
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    @Override
    public StackTraceElement[] stackTrace() {
        return thread.getStackTrace();
    }

    @Override
    public void kill() {
        if (done) {
            return;
        }
        killed = true;
        if (!started) {
            done = true;
            return;
        }
        resume();
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
