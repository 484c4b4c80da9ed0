package io.loopbridge.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Programs written in other languages, run as clients of the samples: python3, curl. */
final class External {
    private External() {}

    /**
     * Runs {@code program} with {@code args} and returns its standard output as lines; skips the
     * calling test (with a message saying so) if the program is not installed, fails it if the
     * program fails or runs longer than {@code timeout}.
     */
    static List<String> run(Duration timeout, String program, String... args) throws Exception {
        assumeTrue(installed(program), program + " is not on the PATH: this cross-language check is skipped");
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> text(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            fail(program + " ran longer than " + timeout + "; its stderr: " + err.get());
        }
        assertThat(process.exitValue())
                .as(program + " exited with 0; its stderr: %s", err.get())
                .isZero();
        return out.get().lines().toList();
    }

    private static boolean installed(String program) {
        try {
            Process p = new ProcessBuilder(program, "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String text(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
