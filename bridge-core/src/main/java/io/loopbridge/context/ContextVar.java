package io.loopbridge.context;

import io.loopbridge.internal.CurrentContext;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A variable whose value belongs to the current {@link Context} (Python's {@code
 * contextvars.ContextVar}): the way to keep per-task state, since on the continuation engine every
 * task runs on the loop's own thread and a {@code ThreadLocal} would be shared by all of them.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = ContextVar.of("request_id");
 * REQUEST_ID.set("r-42");        // seen by this task and the tasks it creates from now on
 * }</pre>
 *
 * @param <T> the type of the value
 */
public final class ContextVar<T> {
    private final String name;
    private final T defaultValue;
    private final boolean hasDefault;

    private ContextVar(String name, T defaultValue, boolean hasDefault) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
        this.hasDefault = hasDefault;
    }

    /**
     * A variable without a default: {@link #get()} throws until it is set.
     *
     * @param name the name, for messages and {@link #toString()}; not null, need not be unique
     * @param <T> the type of the value
     * @return a new variable, distinct from every other even of the same name
     */
    public static <T> ContextVar<T> of(String name) {
        return new ContextVar<>(name, null, false);
    }

    /**
     * A variable whose {@link #get()} returns {@code defaultValue} where it is not set.
     *
     * @param name the name, for messages and {@link #toString()}; not null, need not be unique
     * @param defaultValue what {@link #get()} returns in a context where the variable has no value;
     *     may be null
     * @param <T> the type of the value
     * @return a new variable, distinct from every other even of the same name
     */
    public static <T> ContextVar<T> withDefault(String name, T defaultValue) {
        return new ContextVar<>(name, defaultValue, true);
    }

    /** {@return the name given at creation} */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, else the default.
     *
     * @return the value set in the current context (may be null), else the default
     * @throws NoSuchElementException if it has neither (Python's {@code LookupError})
     */
    public T get() {
        Object c = CurrentContext.get();
        if (c != null) {
            Object[] e = ((Context) c).entries;
            int i = Context.indexOf(e, this);
            if (i >= 0) {
                return cast(e[i + 1]);
            }
        }
        if (hasDefault) {
            return defaultValue;
        }
        throw new NoSuchElementException("context variable '" + name + "' has no value here and no default");
    }

    /**
     * The value in the current context, else {@code fallback} (ignoring the default).
     *
     * @param fallback what to return if the variable has no value in the current context
     * @return the value set in the current context (may be null), else {@code fallback}
     */
    public T get(T fallback) {
        Object c = CurrentContext.get();
        if (c != null) {
            Object[] e = ((Context) c).entries;
            int i = Context.indexOf(e, this);
            if (i >= 0) {
                return cast(e[i + 1]);
            }
        }
        return fallback;
    }

    /**
     * Sets the value in the current context; the token restores the previous state with {@link #reset}.
     *
     * @param value the new value; may be null
     * @return a token for {@link #reset}, usable once and only in this same context
     */
    public Token<T> set(T value) {
        CurrentContext.markInUse();
        Context ctx = Context.current();
        Object[] before = ctx.entries;
        int i = Context.indexOf(before, this);
        Token<T> token = new Token<>(this, ctx, i >= 0, i >= 0 ? cast(before[i + 1]) : null);
        ctx.entries = Context.with(before, this, value);
        return token;
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}.
     *
     * @param token what the {@link #set} to undo returned; not null
     * @throws IllegalArgumentException if the token belongs to another variable or was made in
     *     another context
     * @throws IllegalStateException if the token was already used
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.var != this) {
            throw new IllegalArgumentException(
                    "token was created by context variable '" + token.var.name + "', not by '" + name + "'");
        }
        Context ctx = Context.current();
        if (token.context != ctx) {
            throw new IllegalArgumentException("token for '" + name + "' was created in a different Context");
        }
        if (token.used) {
            throw new IllegalStateException("token for '" + name + "' has already been used once");
        }
        token.used = true;
        ctx.entries =
                token.hadValue ? Context.with(ctx.entries, this, token.oldValue) : Context.without(ctx.entries, this);
    }

    @SuppressWarnings("unchecked")
    T cast(Object v) {
        return (T) v;
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + (hasDefault ? " default=" + defaultValue : "") + "]";
    }

    /**
     * What {@link #set} returns: enough to undo it once with {@link #reset}.
     *
     * @param <T> the type of the variable's value
     */
    public static final class Token<T> {
        private final ContextVar<T> var;
        private final Context context;
        private final boolean hadValue;
        private final T oldValue;
        private boolean used;

        Token(ContextVar<T> var, Context context, boolean hadValue, T oldValue) {
            this.var = var;
            this.context = context;
            this.hadValue = hadValue;
            this.oldValue = oldValue;
        }

        /** {@return the variable that made this token} */
        public ContextVar<T> var() {
            return var;
        }

        /** {@return the value before the set, or {@code null} if there was none} */
        public T oldValue() {
            return oldValue;
        }

        /** {@return whether the variable had a value before the set} */
        public boolean hadValue() {
            return hadValue;
        }
    }
}
