package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code echo_scale}: echo throughput of our streams server ({@link EchoServers.Loopbridge}) and of
 * the plain Netty one ({@link EchoServers.Netty}, one event-loop thread) at {@code 10}, {@code 100}
 * and {@code 1000} concurrent connections, loaded by the same client process as the echo
 * comparisons ({@link EchoClient}). Each run is {@value #TOTAL} round trips in all (per connection:
 * that ÷ connections); per connection count {@value #ROUNDS} alternating rounds ours, Netty, and the
 * medians as {@code ABS} lines.
 *
 * <p>1 000 connections need about 1 000 descriptors in this JVM and as many in the client's: a
 * count whose need exceeds the soft {@code RLIMIT_NOFILE} (read from {@code /proc/self/limits};
 * {@code benchmarks/bench} raises it when it can) prints a {@code SKIP} line instead.
 */
final class EchoScale implements Report {
    static final int[] CONNECTIONS = {10, 100, 1000};
    static final int TOTAL = Integer.getInteger("bench.echoScale.roundTrips", 40_000);
    static final int ROUNDS = 3;
    static final long TIMEOUT_MS = 60_000;

    @Override
    public boolean afterComparisons() {
        return true;
    }

    @Override
    public String name() {
        return "echo_scale";
    }

    @Override
    public List<String> run() throws Exception {
        List<String> lines = new ArrayList<>();
        long limit = openFilesLimit();
        CoroutineEngine engine = CoroutineEngine.defaultEngine();
        try (EchoServers.ClientProcess client = new EchoServers.ClientProcess();
                EchoServers.EchoServer ours = new EchoServers.Loopbridge(engine);
                EchoServers.EchoServer netty = new EchoServers.Netty(1)) {
            for (int w = 0; w < 2; w++) { // JIT of both servers
                client.run(ours.port(), 100, TOTAL / 100, TIMEOUT_MS);
                client.run(netty.port(), 100, TOTAL / 100, TIMEOUT_MS);
            }
            for (int c : CONNECTIONS) {
                if (limit > 0 && limit < c + 256L) {
                    lines.add(String.format(
                            Locale.ROOT,
                            "SKIP echo_scale.%d: needs about %d open files, ulimit -n is %d "
                                    + "(raise it: ulimit -n 4096)",
                            c,
                            c + 256,
                            limit));
                    continue;
                }
                int perConnection = Math.max(1, TOTAL / c);
                double[] o = new double[ROUNDS];
                double[] n = new double[ROUNDS];
                double[] q = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    System.err.printf(
                            Locale.ROOT, "[bench] echo_scale %d connections, round %d/%d%n", c, r + 1, ROUNDS);
                    o[r] = client.run(ours.port(), c, perConnection, TIMEOUT_MS)[0];
                    n[r] = client.run(netty.port(), c, perConnection, TIMEOUT_MS)[0];
                    q[r] = n[r] / o[r];
                }
                lines.add(String.format(
                        Locale.ROOT,
                        "ABS echo_scale.%d.loopbridge %.0f roundtrips/s (%d connections x %d round trips, median of %d rounds; engine %s)",
                        c,
                        1e9 / Bench.median(o),
                        c,
                        perConnection,
                        ROUNDS,
                        Engines.label(engine)));
                lines.add(String.format(
                        Locale.ROOT,
                        "ABS echo_scale.%d.netty %.0f roundtrips/s (same load, one NIO event-loop thread)",
                        c,
                        1e9 / Bench.median(n)));
                lines.add(String.format(
                        Locale.ROOT,
                        "ABS echo_scale.%d.loopbridge_over_netty %s (round trips/s ours ÷ Netty's, median of rounds)",
                        c,
                        Bench.fmt(Bench.median(q))));
            }
        }
        lines.add(String.format(
                Locale.ROOT,
                "ABS echo_scale.setup %d cpus, ulimit -n %s, 32-byte lines on 127.0.0.1, the load client in a JVM of its own",
                Runtime.getRuntime().availableProcessors(),
                limit > 0 ? Long.toString(limit) : "unknown"));
        return lines;
    }

    /** The soft limit on open files of this process, or 0 when unknown. */
    static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
