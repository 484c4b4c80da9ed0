package io.loopbridge.reactor.internal;

import io.loopbridge.context.ContextVar;
import io.loopbridge.internal.CurrentContext;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The mapping between Reactor {@code Context} entries and {@link ContextVar}s: a var bound to a
 * key with {@link io.loopbridge.reactor.ReactorBridge#bind} takes the key's value inside bridged coroutines, and its value
 * is written back under the key into the subscriber context of what a coroutine awaits.
 */
public final class ContextBridge {
    /** The subscriber context of the {@code mono}/{@code flux} whose coroutine is running. */
    public static final ContextVar<ContextView> SUBSCRIBER_CONTEXT = ContextVar.of("reactor.subscriberContext");

    private static final Map<ContextVar<?>, Object> BINDINGS = new ConcurrentHashMap<>();

    private ContextBridge() {}

    public static void bind(ContextVar<?> var, Object key) {
        Objects.requireNonNull(var, "var");
        Objects.requireNonNull(key, "key");
        Object previous = BINDINGS.putIfAbsent(var, key);
        if (previous != null && !previous.equals(key)) {
            throw new IllegalStateException(var + " is already bound to Reactor context key " + previous);
        }
    }

    /** Inside a bridged coroutine: makes {@code view} and its bound keys visible as context vars. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void enter(ContextView view) {
        if (view.isEmpty()) {
            return;
        }
        SUBSCRIBER_CONTEXT.set(view);
        for (Map.Entry<ContextVar<?>, Object> b : BINDINGS.entrySet()) {
            Object value = view.getOrDefault(b.getValue(), null);
            if (value != null) {
                ((ContextVar) b.getKey()).set(value);
            }
        }
    }

    /** The subscriber context for what the current coroutine awaits: its enclosing context plus bound vars. */
    public static Context current() {
        if (!CurrentContext.inUse()) {
            return Context.empty(); // no context var was ever set: neither a subscriber context nor a bound value
        }
        ContextView base = SUBSCRIBER_CONTEXT.get(null);
        if (BINDINGS.isEmpty()) {
            return base == null ? Context.empty() : Context.of(base);
        }
        Context ctx = base == null ? Context.empty() : Context.of(base);
        for (Map.Entry<ContextVar<?>, Object> b : BINDINGS.entrySet()) {
            Object value = b.getKey().get(null);
            if (value != null) {
                ctx = ctx.put(b.getValue(), value);
            }
        }
        return ctx;
    }
}
