package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

    @Override
    public List<String> run() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                BenchLoop.ADD_EXPORTS,
                "-Xms" + HEAP,
                "-Xmx" + HEAP,
                "-XX:+AlwaysPreTouch",
                "-cp",
                System.getProperty("java.class.path"),
                ScaleRun.class.getName(),
                Engines.label(engine)));
        cmd.addAll(sizes());
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        // A hung child must not hang the bench: stop it after the time-out, which ends the read below.
        CompletableFuture.delayedExecutor(TIMEOUT_S, TimeUnit.SECONDS).execute(p::destroyForcibly);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } finally {
            p.waitFor();
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name() + ": the child JVM exited with " + p.exitValue() + " (killed after "
                    + TIMEOUT_S + " s, or failed: see its stderr above)");
        }
        if (engine == CoroutineEngine.THREADS) {
            lines.add("ABS " + name()
                    + ".note 100000 and 1000000 tasks not run on the threads engine: a platform thread per task");
        }
        return lines;
    }
}
