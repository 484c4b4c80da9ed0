package io.loopbridge.internal;

/**
 * The slot holding the current {@code Context} of each thread, and whether any context variable
 * was ever set or any context made current (until then every context is empty and no code holds
 * one, and the loop skips capturing them). Not API.
 */
public final class CurrentContext {
    private static final ThreadLocal<Object> SLOT = new ThreadLocal<>();
    private static volatile boolean inUse;

    private CurrentContext() {}

    /** Whether contexts can differ yet; when {@code false}, capturing one is pointless. */
    public static boolean inUse() {
        return inUse;
    }

    public static void markInUse() {
        if (!inUse) {
            inUse = true;
        }
    }

    /** The calling thread's current context object, or {@code null} if none was entered. */
    public static Object get() {
        return SLOT.get();
    }

    /** Makes {@code context} current on the calling thread; returns the previous one. */
    public static Object swap(Object context) {
        Object previous = SLOT.get();
        SLOT.set(context);
        return previous;
    }
}
