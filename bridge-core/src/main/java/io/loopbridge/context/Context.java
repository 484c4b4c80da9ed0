package io.loopbridge.context;

import io.loopbridge.internal.CurrentContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * A mapping of {@link ContextVar}s to values (Python's {@code contextvars.Context}).
 *
 * <p>Every task runs in a copy of the context that was current when it was created, and every
 * loop callback in a copy of the context current when it was scheduled, so a value set in one task
 * is never seen by another. Copying is O(1): a context holds an immutable table that {@link
 * ContextVar#set} replaces, never changes. A context is entered by one thread at a time.
 */
public final class Context {
    private static final Object[] EMPTY = new Object[0];

    /** Alternating var, value; immutable once published. */
    Object[] entries;

    private Thread enteredBy;

    private Context(Object[] entries) {
        this.entries = entries;
    }

    /** {@return a new, empty context, not entered} */
    public static Context empty() {
        return new Context(EMPTY);
    }

    /**
     * The context the calling code runs in.
     *
     * @return the current context; on a thread that has none yet, a new empty one, which becomes
     *     the thread's current context
     */
    public static Context current() {
        Object c = CurrentContext.get();
        if (c == null) {
            Context fresh = empty();
            // the loop now swaps contexts: a task stepping on this thread must not set its values in this one
            CurrentContext.markInUse();
            CurrentContext.swap(fresh);
            return fresh;
        }
        return (Context) c;
    }

    /** {@return a copy of the current context (Python's {@code copy_context()})} */
    public static Context copyCurrent() {
        return current().copy();
    }

    /** {@return a copy of this context: same values, and sets in either one are not seen by the other} */
    public Context copy() {
        return new Context(entries);
    }

    /**
     * Runs {@code fn} with this context current: {@link ContextVar#set} calls inside it change this
     * context. The previous context is current again afterwards.
     *
     * @param fn the code to run, on the calling thread; not null
     * @param <T> the type of the result
     * @return what {@code fn} returned
     * @throws IllegalStateException if this context is already entered (by any thread)
     * @throws CompletionException wrapping a checked exception thrown by {@code fn}; unchecked ones
     *     propagate as they are
     */
    public <T> T call(Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        Object previous = enter();
        try {
            return fn.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        } finally {
            exit(previous);
        }
    }

    /**
     * {@link #call(Callable)} for code without a result.
     *
     * @param fn the code to run, on the calling thread, with this context current; not null
     * @throws IllegalStateException if this context is already entered (by any thread)
     */
    public void run(Runnable fn) {
        Objects.requireNonNull(fn, "fn");
        Object previous = enter();
        try {
            fn.run();
        } finally {
            exit(previous);
        }
    }

    /**
     * The value of {@code var} in this context, or {@code null} if it has none here.
     *
     * @param var the variable to look up
     * @param <T> the type of the value
     * @return the value set here, which may itself be null; {@code null} if none (the default of
     *     {@code var} is not used)
     */
    public <T> T get(ContextVar<T> var) {
        int i = indexOf(entries, var);
        return i < 0 ? null : var.cast(entries[i + 1]);
    }

    /**
     * Whether {@code var} has a value in this context.
     *
     * @param var the variable to look up
     * @return whether {@code var} has a value here, even a null one
     */
    public boolean containsKey(ContextVar<?> var) {
        return indexOf(entries, var) >= 0;
    }

    /** {@return the variables that have a value in this context now; an unmodifiable snapshot} */
    public List<ContextVar<?>> keys() {
        Object[] e = entries;
        List<ContextVar<?>> keys = new ArrayList<>(e.length / 2);
        for (int i = 0; i < e.length; i += 2) {
            keys.add((ContextVar<?>) e[i]);
        }
        return Collections.unmodifiableList(keys);
    }

    /** {@return the number of variables with a value here} */
    public int size() {
        return entries.length / 2;
    }

    private Object enter() {
        synchronized (this) {
            if (enteredBy != null) {
                throw new IllegalStateException(
                        "cannot enter context: " + this + " is already entered by " + enteredBy.getName());
            }
            enteredBy = Thread.currentThread();
        }
        CurrentContext.markInUse();
        return CurrentContext.swap(this);
    }

    private void exit(Object previous) {
        CurrentContext.swap(previous);
        synchronized (this) {
            enteredBy = null;
        }
    }

    static int indexOf(Object[] entries, Object var) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i] == var) {
                return i;
            }
        }
        return -1;
    }

    static Object[] with(Object[] entries, Object var, Object value) {
        int i = indexOf(entries, var);
        Object[] copy;
        if (i >= 0) {
            copy = entries.clone();
            copy[i + 1] = value;
        } else {
            copy = new Object[entries.length + 2];
            System.arraycopy(entries, 0, copy, 0, entries.length);
            copy[entries.length] = var;
            copy[entries.length + 1] = value;
        }
        return copy;
    }

    static Object[] without(Object[] entries, Object var) {
        int i = indexOf(entries, var);
        if (i < 0) {
            return entries;
        }
        Object[] copy = new Object[entries.length - 2];
        System.arraycopy(entries, 0, copy, 0, i);
        System.arraycopy(entries, i + 2, copy, i, entries.length - i - 2);
        return copy;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Context{");
        Object[] e = entries;
        for (int i = 0; i < e.length; i += 2) {
            sb.append(i == 0 ? "" : ", ")
                    .append(((ContextVar<?>) e[i]).name())
                    .append('=')
                    .append(e[i + 1]);
        }
        return sb.append('}').toString();
    }
}
