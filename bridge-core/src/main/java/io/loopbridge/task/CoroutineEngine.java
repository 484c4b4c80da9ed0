package io.loopbridge.task;

import io.loopbridge.task.internal.Fibers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a coroutine suspends. Every engine runs the same programs with the same semantics; they
 * differ in cost and in what the JVM must offer.
 *
 * <ul>
 *   <li>{@link #THREADS}: one platform thread per coroutine, hand-off by park/unpark. Any JDK.
 *   <li>{@link #VIRTUAL}: one virtual thread per coroutine; the loop itself runs on a virtual
 *       thread, so a switch is a virtual-thread hand-off. JDK 21+.
 *   <li>{@link #CONTINUATION}: the loop thread runs each coroutine as a {@code
 *       jdk.internal.vm.Continuation}: no thread per coroutine at all. JDK 21+ started with {@code
 *       --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
 * </ul>
 *
 * <p>The default is chosen by {@code -Dloopbridge.engine=auto|threads|virtual|continuation};
 * {@code auto} (the default) picks the fastest available one.
 */
public enum CoroutineEngine {
    /** Each coroutine on a platform thread of its own, handed the turn by park/unpark; any JDK. */
    THREADS,
    /** Each coroutine on a virtual thread, the loop on a virtual thread too; JDK 21+. */
    VIRTUAL,
    /**
     * Each coroutine as a {@code jdk.internal.vm.Continuation} run by the loop thread; JDK 21+ with
     * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
     */
    CONTINUATION;

    private static final System.Logger LOG = System.getLogger(CoroutineEngine.class.getName());
    private static final CoroutineEngine DEFAULT = chooseDefault();

    /** {@return whether this JVM can run coroutines on this engine} */
    public boolean isAvailable() {
        switch (this) {
            case VIRTUAL:
                return Fibers.virtualThreadsAvailable();
            case CONTINUATION:
                return Fibers.continuationsAvailable();
            default:
                return true;
        }
    }

    /** {@return the engines this JVM offers, fastest last; unmodifiable, never empty} */
    public static List<CoroutineEngine> available() {
        List<CoroutineEngine> list = new ArrayList<>();
        for (CoroutineEngine e : values()) {
            if (e.isAvailable()) {
                list.add(e);
            }
        }
        return List.copyOf(list);
    }

    /**
     * The engine new loops use unless told otherwise.
     *
     * @return the engine named by {@code -Dloopbridge.engine}, or with {@code auto} (the default)
     *     the fastest available one; chosen once per JVM
     */
    public static CoroutineEngine defaultEngine() {
        return DEFAULT;
    }

    private static CoroutineEngine chooseDefault() {
        String requested =
                System.getProperty("loopbridge.engine", "auto").trim().toLowerCase(Locale.ROOT);
        if (requested.equals("auto")) {
            List<CoroutineEngine> all = available();
            CoroutineEngine best = all.get(all.size() - 1);
            LOG.log(System.Logger.Level.DEBUG, "loopbridge.engine=auto chose {0}", best);
            return best;
        }
        CoroutineEngine e;
        try {
            e = valueOf(requested.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("-Dloopbridge.engine=" + requested
                    + " is not an engine; use auto, threads, virtual or continuation");
        }
        if (!e.isAvailable()) {
            throw new IllegalStateException("-Dloopbridge.engine=" + requested + " is not available on this JVM: "
                    + (e == VIRTUAL
                            ? "it needs JDK 21+"
                            : "it needs JDK 21+ and --add-exports java.base/jdk.internal.vm=ALL-UNNAMED"));
        }
        return e;
    }
}
