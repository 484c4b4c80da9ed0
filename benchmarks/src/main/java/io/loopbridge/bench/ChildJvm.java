package io.loopbridge.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a report's measurement in a JVM of its own and returns the lines it prints; its stderr is ours. */
final class ChildJvm {
    private ChildJvm() {}

    static List<String> run(String name, List<String> jvmOptions, Class<?> main, List<String> args, long timeoutS)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        // A hung child must not hang the bench: stop it after the time-out, which ends the read below.
        CompletableFuture.delayedExecutor(timeoutS, TimeUnit.SECONDS).execute(p::destroyForcibly);
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
            throw new IllegalStateException(name + ": the child JVM exited with " + p.exitValue() + " (killed after "
                    + timeoutS + " s, or failed: see its stderr above)");
        }
        return lines;
    }
}
