package io.loopbridge.loop;

import io.loopbridge.internal.LoopBinding;
import io.loopbridge.task.internal.Driver;
import io.loopbridge.task.internal.RoleFiber;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A thread that can hold its loop as a role (thread engines): while {@link #turn} is set it runs the
 * loop's laps; it waits for the role at the top of {@link EventLoop#roleRun}. A pool thread may start
 * a task's body inline while it is pure (no body on its stack); the body then keeps this thread for
 * life, and this object is that body's fiber (no object of its own per suspended task). The thread
 * in {@code runForever} has one too, which never runs bodies. Loop internals.
 */
final class RoleThread extends RoleFiber implements LoopBinding, Runnable {
    /** Why the role was handed over: go on with the lap. */
    static final byte CONTINUE = 0;
    /** The step of this thread's suspended body: return to it. */
    static final byte RESUME = 1;
    /** The loop stopped (only the thread in {@code runForever}). */
    static final byte STOP = 2;
    /** The loop closed: unwind and end. */
    static final byte EXIT = 3;
    /** Run the first step the loop holds for this hand-off ({@code EventLoop.handedStep}), inline, then go on with the lap. */
    static final byte HANDED = 4;

    static final byte ACTIVE = 0;
    static final byte IDLE = 1;
    static final byte ENDED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(RoleThread.class, "state", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    final Thread thread;
    /** Whether task bodies may start inline here: not on the thread in {@code runForever}. */
    final boolean mayRunBodies;
    /** Set (last) by the thread that hands the role over; cleared by this thread as it hands it on. */
    volatile boolean turn;
    /**
     * One of the grant constants; written before {@link #turn}. Bytes and booleans, as {@link
     * #state}: with three references (the fiber's one included), a suspended body's thread is 32
     * bytes (12 of header, 12 of references, 8 of flags).
     */
    byte grant;
    /** Whether a body is on this thread's stack (else the thread is pure). */
    boolean hasBody;
    /** Set once the thread must end (loop closed, or idle too long). */
    boolean exiting;

    boolean started;
    /** This thread's body's step is next: yield for the role before parking ({@code EventLoop.yieldForTurn}). */
    boolean spin;
    /** {@link #IDLE} while in the loop's pool; a pool thread that waited too long ends itself by CAS. */
    private volatile byte state;

    /** A pool thread (not started). */
    RoleThread(EventLoop loop, java.util.function.Function<Runnable, Thread> threads) {
        this.loop = loop;
        this.mayRunBodies = true;
        this.thread = threads.apply(this);
        thread.setDaemon(true);
        // how EventLoop.running() finds the loop on this thread (no thread-local map)
        thread.setUncaughtExceptionHandler(this);
    }

    /** The thread that called {@code runForever}. */
    RoleThread(EventLoop loop, Thread caller) {
        this.loop = loop;
        this.mayRunBodies = false;
        this.thread = caller;
        this.started = true;
    }

    boolean pure() {
        return !hasBody && mayRunBodies;
    }

    void setIdle() {
        state = IDLE;
    }

    /** Takes an idle thread out of the pool; false if it has ended itself meanwhile. */
    boolean take() {
        return STATE.compareAndSet(this, IDLE, ACTIVE);
    }

    /** An idle thread that waited too long ends itself; false if it was taken meanwhile. */
    boolean retire() {
        return STATE.compareAndSet(this, IDLE, ENDED);
    }

    boolean idle() {
        return state == IDLE;
    }

    /**
     * A pool thread's life: waits in {@link EventLoop#roleRun} and starts each step handed to it
     * here, so that a body that suspends keeps only this small frame under it, not roleRun's (whose
     * laps make it large, and which may be OSR-compiled or stay C1 code).
     */
    @Override
    public void run() {
        Driver step;
        while ((step = loop.roleRun(this)) != null) {
            try {
                step.runInline();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                if (turn) { // else not ours to report: the role moved on
                    loop.reportHandedStepFailure(step, e);
                }
            }
        }
    }

    @Override
    public EventLoop boundLoop() {
        return loop;
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
