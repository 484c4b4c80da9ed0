package io.loopbridge.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The switch floor: a bare {@code jdk.internal.vm.Continuation} that yields {@code n} times, run
 * ({@code run()} / {@code Continuation.yield(scope)}) until done. One round trip is one yield and
 * one resume: the least any coroutine engine built on continuations can pay per {@code await}.
 * Reached through {@code MethodHandle}s (javac refuses {@code --add-exports} with {@code
 * --release}); the JVM needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
 */
final class RawContinuation {
    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle DONE;
    private static final Object SCOPE;
    private static final String UNAVAILABLE;

    static {
        MethodHandle mNew = null, mRun = null, mYield = null, mDone = null;
        Object scope = null;
        String why = null;
        try {
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup();
            scope = l.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("bench-floor");
            mNew = l.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            mRun = l.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            mYield = l.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            mDone = l.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (Throwable t) {
            why = "jdk.internal.vm.Continuation is not accessible (JDK 21+ with "
                    + "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED): " + t;
        }
        NEW = mNew;
        RUN = mRun;
        YIELD = mYield;
        DONE = mDone;
        SCOPE = scope;
        UNAVAILABLE = why;
    }

    private RawContinuation() {}

    /** Why the floor cannot run here, or {@code null}. */
    static String skipReason() {
        return UNAVAILABLE;
    }

    /** A new continuation running {@code body}, which may call {@link #yieldNow()}; not started. */
    static Object create(Runnable body) {
        try {
            return (Object) NEW.invokeExact(SCOPE, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Runs or resumes {@code continuation} until it yields or ends; returns whether it has ended. */
    static boolean resume(Object continuation) {
        try {
            RUN.invokeExact(continuation);
            return (boolean) DONE.invokeExact(continuation);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Inside a continuation of {@link #create}: suspends it back to its {@link #resume}. */
    static void yieldNow() {
        try {
            boolean ignored = (boolean) YIELD.invokeExact(SCOPE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A continuation yielding {@code n} times, resumed until done: {@code n} round trips. Returns the resumes. */
    static long roundTrips(int n) {
        try {
            Runnable body = () -> {
                for (int i = 0; i < n; i++) {
                    try {
                        boolean ignored = (boolean) YIELD.invokeExact(SCOPE);
                    } catch (Throwable t) {
                        throw new IllegalStateException("Continuation.yield failed", t);
                    }
                }
            };
            Object c = (Object) NEW.invokeExact(SCOPE, body);
            long runs = 0;
            do {
                RUN.invokeExact(c);
                runs++;
            } while (!(boolean) DONE.invokeExact(c));
            return runs;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
