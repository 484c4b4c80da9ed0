package io.loopbridge.task;

import io.loopbridge.context.Context;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.CurrentContext;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.internal.Driver;
import io.loopbridge.task.internal.FiberKilled;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A coroutine running on an event loop, and the future of its outcome (asyncio's {@code Task}).
 *
 * <p>Creating a task schedules its first step; the body then runs on the loop, one step between
 * two suspensions at a time. {@link #cancel(String)} makes the await the body is suspended in (or
 * its next one) throw {@link CancellationException}; the body may catch it and go on. A body that
 * ends with a {@link CancellationException} leaves the task cancelled, with any other exception
 * (including {@link AsyncTimeoutException}) failed.
 *
 * @param <T> the type of the result
 */
public class Task<T> extends LoopFuture<T> {
    private static final LoopAccess LOOPS = LoopAccess.get();
    private static final AtomicLong COUNTER = new AtomicLong();

    /**
     * The task's fields are what a task needs for life: a suspended one is 32 bytes, its driver 40
     * (the coroutine waits in the driver until it starts, the default name's number lives there).
     */
    private final TaskDriver driver;
    /** Null until renamed: the default name is made from the driver's {@code id} when asked for. */
    private String name;

    /**
     * Creates a task running {@code coroutine} on {@code loop}, named {@code Task-N}. Loop thread only.
     *
     * @param loop the loop the task runs on; not closed, and the caller on its thread if it runs
     * @param coroutine the body of the task; not null
     * @throws IllegalStateException if the loop is closed or runs on another thread
     */
    public Task(EventLoop loop, Coroutine<T> coroutine) {
        this(loop, coroutine, null);
    }

    /**
     * Creates a task named {@code name} ({@code null}: {@code Task-N}). Loop thread only.
     *
     * @param loop the loop the task runs on; not closed, and the caller on its thread if it runs
     * @param coroutine the body of the task; not null
     * @param name the task's name; {@code null} for the default {@code Task-N}
     * @throws IllegalStateException if the loop is closed or runs on another thread
     */
    public Task(EventLoop loop, Coroutine<T> coroutine, String name) {
        super(loop);
        Objects.requireNonNull(coroutine, "coroutine");
        loop.checkOwner("createTask");
        if (loop.isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
        long n = COUNTER.incrementAndGet();
        this.name = name != null || n <= 0xFFFF_FFFFL ? name : "Task-" + n;
        this.driver = new TaskDriver(coroutine, (int) n);
        LOOPS.liveTasks(loop).add(driver);
        driver.start();
    }

    /** {@return the task's name: the one given, or {@code Task-N} with a number unique in the JVM} */
    public final String getName() {
        String n = name;
        return n != null ? n : "Task-" + Integer.toUnsignedString(driver.id);
    }

    /**
     * Renames the task.
     *
     * @param name the new name; not null
     */
    public final void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Requests cancellation: the body's current (or next) await throws {@link
     * CancellationException} with {@code message}. Returns {@code false} if the task is done.
     */
    @Override
    public boolean cancel(String message) {
        loop().checkOwner("cancel");
        return driver.requestCancel(message, false);
    }

    /** {@return the number of cancellation requests not yet withdrawn by {@link #uncancel()}} */
    public final int cancelling() {
        return driver.cancelling();
    }

    /**
     * Withdraws one cancellation request; returns the number left.
     *
     * @return the number of cancellation requests left; 0 (and nothing withdrawn) if there was none
     */
    public final int uncancel() {
        return driver.uncancel(false);
    }

    /**
     * Where the task's body is suspended, innermost frame first, without the library's own frames;
     * empty when the task is done, has not started, or is running.
     *
     * @return the frames, innermost first; a new array, empty if the task is not suspended
     */
    public final StackTraceElement[] stackTrace() {
        return driver.stackTrace();
    }

    /** Internal: the machinery that runs the body. */
    final Driver driver() {
        return driver;
    }

    private void finishCancelled(String message) {
        LOOPS.liveTasks(loop()).remove(driver);
        super.cancel(message);
    }

    private void finish(T value, Throwable error) {
        LOOPS.liveTasks(loop()).remove(driver);
        if (error == null) {
            super.setResult(value);
        } else {
            super.setException(error);
        }
    }

    /**
     * Refused, as asyncio's {@code Task.set_result}: a task's outcome is what its coroutine returns
     * or throws. Return the value from the coroutine, or await a {@link LoopFuture} set elsewhere.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public final void setResult(T value) {
        throw new UnsupportedOperationException(
                "Task does not support setResult: its result is what its coroutine returns (" + getName() + ")");
    }

    /**
     * Refused, as asyncio's {@code Task.set_exception}: a task fails with what its coroutine throws;
     * to stop a task, {@link #cancel()} it.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public final void setException(Throwable error) {
        throw new UnsupportedOperationException(
                "Task does not support setException: it fails with what its coroutine throws; cancel() stops it ("
                        + getName() + ")");
    }

    @Override
    protected String describeState() {
        String s = super.describeState();
        if (!isDone()) {
            String w = driver.describeWait();
            if (w != null) {
                s += " waiting on " + w;
            }
        }
        return "name=" + getName() + " " + s;
    }

    /**
     * {@code TaskDriver.end}, called through a handle the JIT cannot see through (a static field
     * that is not final, so not a constant): the code that ends a task is never inlined into
     * {@code runBody}, which lies at the bottom of every suspended body's stack. Inlined, its call
     * sites set the size of that frame (a compiled frame is as big as its worst call site needs),
     * which every suspended task then keeps: 150 B more per task on the virtual engine with {@code
     * -Xbatch} (docs/profiles/task_bytes_virtual.txt). Costs one indirect call per task.
     */
    private static MethodHandle endOutOfLine;

    static {
        try {
            endOutOfLine = MethodHandles.lookup()
                    .findVirtual(
                            Task.TaskDriver.class,
                            "end",
                            MethodType.methodType(void.class, Object.class, boolean.class))
                    .asType(MethodType.methodType(void.class, Object.class, Object.class, boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final class TaskDriver extends Driver {
        /**
         * The number in the default name, unsigned: an int rather than a long keeps the driver 8
         * bytes smaller (a task past the 2^32nd gets its default name made up front instead).
         */
        final int id;

        TaskDriver(Coroutine<T> coroutine, int id) {
            super(CurrentContext.inUse() ? Context.copyCurrent() : null, true, coroutine);
            this.id = id;
        }

        @Override
        public EventLoop loop() {
            return Task.this.loop();
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void runBody() {
            Object outcome;
            boolean failed;
            try {
                outcome = ((Coroutine<T>) takeBody()).call();
                failed = false;
            } catch (FiberKilled killed) {
                throw killed;
            } catch (Throwable e) {
                outcome = e;
                failed = true;
            }
            try {
                endOutOfLine.invokeExact((Object) this, outcome, failed);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e); // end declares none
            }
        }

        /** Completes the task with what the body returned or threw ({@code failed}). */
        @SuppressWarnings("unchecked")
        void end(Object outcome, boolean failed) {
            try {
                if (failed) {
                    Throwable e = (Throwable) outcome;
                    if (e instanceof CancellationException && !(e instanceof AsyncTimeoutException)) {
                        finishCancelled(e.getMessage());
                    } else {
                        finish(null, e);
                    }
                } else if (takeMustCancel()) {
                    finishCancelled(cancelMessage());
                } else {
                    finish((T) outcome, null);
                }
            } catch (IllegalStateException refused) {
                if (!isDone() || !loop().isClosed()) {
                    throw refused;
                }
                // a body its loop's close unwound: the closed loop refused the done callbacks, which
                // could never run; Driver.abandon() reports the outcome if it is a failure. Escaping
                // here, this was a second report on a role thread (Exception in callback ...)
            }
        }

        @Override
        protected void cancelBeforeStart(String message) {
            finishCancelled(message);
        }

        @Override
        protected boolean finished() {
            return isDone();
        }

        @Override
        protected String fiberName() {
            return getName();
        }

        @Override
        public Object owner() {
            return Task.this;
        }
    }
}
