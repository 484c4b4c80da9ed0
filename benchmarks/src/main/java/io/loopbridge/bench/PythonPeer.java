package io.loopbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Python benchmark script kept running in {@code --serve} mode for the whole comparison, so each
 * round is a round trip on its stdin/stdout ({@code run <millis>} → ns per op) and rounds can
 * alternate with ours without paying interpreter start-up each time.
 *
 * <p>The interpreter is {@code -Dbench.python} (default {@code python3}); the scripts are looked up
 * in {@code -Dbench.pythonDir}, else {@code benchmarks/python} or {@code python} under the working
 * directory.
 */
final class PythonPeer implements AutoCloseable {
    /** Which event loop the Python side uses. */
    enum Loop {
        ASYNCIO("asyncio", null),
        UVLOOP("uvloop", "uvloop");

        final String label;
        /** Module that must be importable, or {@code null}. */
        final String module;

        Loop(String label, String module) {
            this.label = label;
            this.module = module;
        }
    }

    private static final Map<String, String> PROBES = new ConcurrentHashMap<>();

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final String what;

    private PythonPeer(Process process, String what) {
        this.process = process;
        this.what = what;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static String executable() {
        return System.getProperty("bench.python", "python3");
    }

    /** Why {@code script} with {@code loop} cannot run here, or {@code null}. */
    static String skipReason(String script, Loop loop) {
        String python = probe(executable(), "pass");
        if (python != null) {
            return python;
        }
        if (script(script) == null) {
            return script + " not found (looked in " + String.join(", ", scriptDirs()) + "; set -Dbench.pythonDir)";
        }
        if (loop.module != null && probe(executable(), "import " + loop.module) != null) {
            return loop.module + " not importable by " + executable();
        }
        return null;
    }

    /** Runs {@code python -c code}; {@code null} on success, else a reason. Cached. */
    private static String probe(String python, String code) {
        String reason = PROBES.computeIfAbsent(python + "\0" + code, k -> {
            try {
                Process p = new ProcessBuilder(python, "-c", code)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return python + " -c '" + code + "' timed out";
                }
                return p.exitValue() == 0 ? "" : python + " -c '" + code + "' failed (exit " + p.exitValue() + ")";
            } catch (IOException e) {
                return python + " not found";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        });
        return reason.isEmpty() ? null : reason;
    }

    private static List<String> scriptDirs() {
        String dir = System.getProperty("bench.pythonDir");
        return dir != null ? List.of(dir) : List.of("benchmarks/python", "python");
    }

    private static Path script(String name) {
        for (String dir : scriptDirs()) {
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    /** Starts {@code script --serve --loop <loop> args...} and waits until it has warmed up. */
    static PythonPeer start(String script, Loop loop, String... args) throws IOException {
        Path path = script(script);
        if (path == null) {
            throw new IOException(script + " not found");
        }
        List<String> cmd = new ArrayList<>(List.of(executable(), path.toString(), "--serve", "--loop", loop.label));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        PythonPeer peer = new PythonPeer(p, script + " (" + loop.label + ")");
        try {
            String line = peer.readLine();
            if (!line.equals("ready")) {
                throw new IOException(peer.what + " did not start: " + line);
            }
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /**
     * Runs {@code script --loop <loop> args...} once (no {@code --serve}) and returns the first
     * line it prints; its stderr goes to ours.
     */
    static String runOnce(String script, Loop loop, String... args) throws IOException {
        Path path = script(script);
        if (path == null) {
            throw new IOException(script + " not found");
        }
        List<String> cmd = new ArrayList<>(List.of(executable(), path.toString(), "--loop", loop.label));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        PythonPeer peer = new PythonPeer(p, script + " (" + loop.label + ")");
        try {
            p.getOutputStream().close();
            return peer.readLine();
        } finally {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /** One round on the Python side: about {@code millis} ms of work; returns ns per op. */
    double measure(long millis) throws IOException {
        in.write("run " + millis + "\n");
        in.flush();
        String line = readLine();
        try {
            return Double.parseDouble(line);
        } catch (NumberFormatException e) {
            throw new IOException(what + " answered '" + line + "' instead of a number");
        }
    }

    /** Writes {@code command} as a line to the script's stdin and returns the line it answers. */
    String ask(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        return readLine();
    }

    private String readLine() throws IOException {
        String line = out.readLine();
        if (line == null) {
            String code;
            try {
                code = process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "?";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = "?";
            }
            throw new IOException(what + " exited (code " + code + "); see its stderr above");
        }
        return line.strip();
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
