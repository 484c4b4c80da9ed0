package io.loopbridge.task.internal;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates fibers for an engine and finds out which engines this JVM offers. JDK 21 APIs are
 * reached through method handles so the library still compiles with {@code --release 17}.
 */
public final class Fibers {
    private static final AtomicLong PLATFORM_THREADS = new AtomicLong();
    private static final ThreadFactory PLATFORM =
            r -> new Thread(r, "loopbridge-coroutine-" + PLATFORM_THREADS.incrementAndGet());
    private static final ThreadFactory VIRTUAL = virtualThreadFactory();
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    static final Object SCOPE;
    static final MethodHandle CONT_NEW;
    static final MethodHandle CONT_RUN;
    static final MethodHandle CONT_YIELD;
    static final MethodHandle CONT_IS_DONE;
    static final MethodHandle CONT_CURRENT;
    static final MethodHandle CONT_STACK;
    static final MethodHandle CONT_PARENT;

    static {
        Object scope = null;
        MethodHandle mNew = null, mRun = null, mYield = null, mDone = null, mCurrent = null, mStack = null;
        MethodHandle mParent = null;
        try {
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup();
            scope = l.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("loopbridge");
            mNew = l.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            mRun = l.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            mYield = l.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            mDone = l.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            mCurrent = l.findStatic(contClass, "getCurrentContinuation", MethodType.methodType(contClass, scopeClass))
                    .asType(MethodType.methodType(Object.class, Object.class));
            mStack = l.findVirtual(contClass, "getStackTrace", MethodType.methodType(StackTraceElement[].class))
                    .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
            mParent = l.findVirtual(contClass, "getParent", MethodType.methodType(contClass))
                    .asType(MethodType.methodType(Object.class, Object.class));
        } catch (Throwable unavailable) {
            // not exported to us, or not a JDK 21+: the engine is unavailable
            scope = null;
        }
        SCOPE = scope;
        CONT_NEW = mNew;
        CONT_RUN = mRun;
        CONT_YIELD = mYield;
        CONT_IS_DONE = mDone;
        CONT_CURRENT = mCurrent;
        CONT_STACK = mStack;
        CONT_PARENT = mParent;
    }

    private Fibers() {}

    /** Whether {@code Thread.ofVirtual()} exists here (JDK 21+). */
    public static boolean virtualThreadsAvailable() {
        return VIRTUAL != null;
    }

    /** Whether {@code jdk.internal.vm.Continuation} is exported to us (JDK 21+ with {@code --add-exports}). */
    public static boolean continuationsAvailable() {
        return SCOPE != null;
    }

    /** Whether the calling thread is a virtual thread. */
    public static boolean currentThreadIsVirtual() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable t) {
            throw Fiber.sneakyThrow(t);
        }
    }

    /** A virtual thread that runs {@code body}, not started; only when {@link #virtualThreadsAvailable()}. */
    public static Thread newVirtualThread(String name, Runnable body) {
        Thread t = VIRTUAL.newThread(body);
        t.setName(name);
        return t;
    }

    /**
     * A new thread, not started, for a loop's role on a thread engine: a virtual one named like
     * the loop's, or on {@code THREADS} a platform thread named like a coroutine's (it may run task
     * bodies). Few per loop, so unlike a task's fiber it gets a name: thread dumps and leak checks
     * look for the {@code loopbridge-} prefix.
     */
    public static Thread newRoleThread(CoroutineEngine engine, Runnable body) {
        if (engine == CoroutineEngine.VIRTUAL) {
            return newVirtualThread("loopbridge-loop", body);
        }
        return PLATFORM.newThread(body);
    }

    /**
     * A new fiber of {@code engine} running {@code body}, not started. {@code loop} (may be null) is
     * the loop the body touches: thread-based fibers take its ownership while they run.
     */
    public static Fiber create(CoroutineEngine engine, EventLoop loop, String name, Runnable body) {
        switch (engine) {
            case CONTINUATION:
                return new ContinuationFiber(name, body);
            case VIRTUAL:
                return new ThreadFiber(VIRTUAL, loop, name, null, body);
            default:
                return new ThreadFiber(PLATFORM, loop, name, null, body);
        }
    }

    /**
     * A thread fiber for a driver's body; it costs no extra object for the body. (On the
     * continuation engine a driver needs no fiber: it is its continuation's target.)
     */
    static Fiber create(CoroutineEngine engine, EventLoop loop, Driver driver) {
        // the name is asked of the driver only by a fiber whose thread shows it (not a virtual one)
        return new ThreadFiber(engine == CoroutineEngine.VIRTUAL ? VIRTUAL : PLATFORM, loop, null, driver, null);
    }

    private static ThreadFactory virtualThreadFactory() {
        try {
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Object b = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual))
                    .invoke();
            return (ThreadFactory) l.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
                    .invoke(b);
        } catch (Throwable unavailable) {
            return null;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException unavailable) {
            return null;
        }
    }
}
