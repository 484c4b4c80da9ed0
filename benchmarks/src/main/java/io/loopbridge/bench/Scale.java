package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code scale_<engine>}: tasks per GiB and switch cost at 1 000, 100 000 and 1 000 000 live tasks
 * (1 000 and 10 000 on the threads engine: a platform thread each), in a child JVM of its own
 * ({@link ScaleRun}) with a {@value #HEAP} heap, so a million tasks fit and the main run's heap
 * and JIT state stay out of it. The growth lines ({@code switch_growth}, {@code bytes_growth}) say
 * whether the cost per task stays flat as the count grows.
 */
final class Scale implements Report {
    static final String HEAP = System.getProperty("bench.scale.heap", "3g");
    static final long TIMEOUT_S = 240;

    private final CoroutineEngine engine;

    Scale(CoroutineEngine engine) {
        this.engine = engine;
    }

    @Override
    public boolean afterComparisons() {
        return true;
    }

    @Override
    public String name() {
        return "scale_" + Engines.label(engine);
    }

    @Override
    public String skipReason() {
        return Engines.skipReason(engine);
    }

    List<String> sizes() {
        String custom = System.getProperty("bench.scale.sizes");
        if (custom != null) {
            return Arrays.asList(custom.split(","));
        }
        return engine == CoroutineEngine.THREADS ? List.of("1000", "10000") : List.of("1000", "100000", "1000000");
    }

    private List<String> cmdArgs() {
        List<String> args = new ArrayList<>();
        args.add(Engines.label(engine));
        args.addAll(sizes());
        return args;
    }

    @Override
    public List<String> run() throws Exception {
        List<String> lines = ChildJvm.run(
                name(),
                List.of(BenchLoop.ADD_EXPORTS, "-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch"),
                ScaleRun.class,
                cmdArgs(),
                TIMEOUT_S);
        if (engine == CoroutineEngine.THREADS) {
            lines.add("ABS " + name()
                    + ".note 100000 and 1000000 tasks not run on the threads engine: a platform thread per task");
        }
        return lines;
    }
}
