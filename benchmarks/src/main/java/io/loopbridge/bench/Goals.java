package io.loopbridge.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The goals the feature issues set for the ratios (the {@code RATIO} value to reach or pass), as
 * {@code docs/PERFORMANCE.md} lists them; {@link PerfChart} marks them. A comparison without a goal
 * here has none: it is context (the chart still marks parity, 1).
 */
final class Goals {
    private Goals() {}

    private static final Map<Pattern, Double> GOALS = new LinkedHashMap<>();

    private static void goal(String regex, double value) {
        GOALS.put(Pattern.compile(regex), value);
    }

    static {
        goal("call_soon_vs_asyncio", 50);
        // the await goals, held to by a lone task (where a step needs no switch) and by two tasks
        // taking turns (a switch per step)
        goal("await_(roundtrip|switch)_vs_asyncio_virtual", 4);
        goal("await_(roundtrip|switch)_vs_asyncio_continuation", 20);
        goal("task_create_vs_asyncio_(virtual|continuation)", 10);
        goal("generator_foreach_vs_python_continuation", 10);
        goal("asyncgen_next_vs_asyncio_continuation", 2);
        goal("generator_next_vs_python_continuation", 0.8);
        goal("asyncgen_publisher_vs_flux_generate_cross_thread_.*", 0.3);
        goal("asyncgen_publisher_vs_flux_generate_(threads|virtual|continuation)", 0.8);
        goal("iterate_vs_subscribe_.*", 0.8);
        goal("asyncgen_publisher_vs_fiber_interop", 1);
        goal("asyncgen_publisher_vs_kotlinx_publish", 5);
        goal("mono_await_vs_block", 1); // on Mono.just(x).hide(); the _just variant is JIT-folded, context only
        goal("flux_bridge_vs_flux_generate_.*", 0.5);
        goal("flowable_bridge_vs_flowable_generate_.*", 0.5);
        goal("single_await_vs_blockingGet", 1);
        goal("echo_roundtrips_vs_asyncio", 5);
        goal("echo_roundtrips_vs_netty", 0.7);
    }

    /** The goal of the comparison named {@code name}, or {@code NaN} when it has none. */
    static double of(String name) {
        for (Map.Entry<Pattern, Double> e : GOALS.entrySet()) {
            if (e.getKey().matcher(name).matches()) {
                return e.getValue();
            }
        }
        return Double.NaN;
    }
}
