package io.loopbridge.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The quick side-by-side run behind {@code benchmarks/bench} (plain Java, no JMH).
 *
 * <p>For every {@link Comparison} of {@link Comparisons#all()} (or those matching {@code --only}):
 * warm our side up, then alternate rounds ours, peer, ours, peer, ... and print
 *
 * <pre>
 * RATIO &lt;name&gt; &lt;median of peer÷ours per round&gt; (spread &lt;min&gt;..&lt;max&gt;, &lt;n&gt; rounds)
 * ABS &lt;name&gt;.loopbridge &lt;median ns&gt; ns/&lt;op&gt;
 * ABS &lt;name&gt;.&lt;peer&gt; &lt;median ns&gt; ns/&lt;op&gt;
 * </pre>
 *
 * A ratio above 1 means loopbridge is faster. Before the comparisons, every {@link Report} of
 * {@link Comparisons#reports()} (or those matching {@code --only}) runs once and prints its own
 * lines, such as {@code MEM <name> <value> B/task (...)}: first, so that what they measure does not
 * depend on which comparisons ran before in this JVM. Comparisons and reports that cannot run here
 * print {@code SKIP <name>: <reason>}; one that fails prints {@code FAIL <name>: <error>} and the
 * exit status is 1. Progress goes to stderr.
 */
public final class Bench {
    static final int MIN_ROUNDS = 5;

    private final PrintStream out = System.out;
    private final PrintStream progress = System.err;
    private int rounds = MIN_ROUNDS;
    private long roundMillis = 300;
    private long warmupMillis = 1500;
    private String only;
    private boolean list;

    public static void main(String[] args) {
        Bench bench = new Bench();
        String usageError = bench.parse(args);
        if (usageError != null) {
            System.err.println("bench: " + usageError);
            System.err.println(usage());
            System.exit(2);
        }
        System.exit(bench.run());
    }

    static String usage() {
        return String.join(
                "\n",
                "usage: Bench [--only PATTERN] [--rounds N] [--round-ms MS] [--warmup-ms MS] [--list]",
                "  --only PATTERN   run comparisons and reports whose name contains PATTERN or matches it as a regex",
                "  --rounds N       alternating rounds per comparison (default and minimum " + MIN_ROUNDS + ")",
                "  --round-ms MS    duration of one side's round (default 300)",
                "  --warmup-ms MS   warm-up of our side before the rounds (default 1500)",
                "  --list           print the comparison names and exit");
    }

    /** Parses {@code args}; returns an error message or {@code null}. */
    private String parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--list")) {
                list = true;
                continue;
            }
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(usage());
                System.exit(0);
            }
            if (!List.of("--only", "--rounds", "--round-ms", "--warmup-ms").contains(a)) {
                return "unknown argument '" + a + "'";
            }
            if (i + 1 >= args.length) {
                return a + " needs a value";
            }
            String v = args[++i];
            if (a.equals("--only")) {
                only = v;
                continue;
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                return a + " needs a whole number, got '" + v + "'";
            }
            switch (a) {
                case "--rounds" -> {
                    if (n < MIN_ROUNDS || n > 1000) {
                        return "--rounds must be between " + MIN_ROUNDS + " and 1000, got " + n;
                    }
                    rounds = (int) n;
                }
                case "--round-ms" -> {
                    if (n < 10 || n > 60_000) {
                        return "--round-ms must be between 10 and 60000, got " + n;
                    }
                    roundMillis = n;
                }
                default -> {
                    if (n < 0 || n > 600_000) {
                        return "--warmup-ms must be between 0 and 600000, got " + n;
                    }
                    warmupMillis = n;
                }
            }
        }
        return null;
    }

    private int run() {
        List<Comparison> selected = new ArrayList<>();
        for (Comparison c : Comparisons.all()) {
            if (matches(c.name())) {
                selected.add(c);
            }
        }
        List<Report> reports = new ArrayList<>();
        for (Report r : Comparisons.reports()) {
            if (matches(r.name())) {
                reports.add(r);
            }
        }
        if (selected.isEmpty() && reports.isEmpty()) {
            List<String> names = new ArrayList<>();
            Comparisons.reports().forEach(r -> names.add(r.name()));
            Comparisons.all().forEach(c -> names.add(c.name()));
            System.err.println("bench: no comparison matches '" + only + "'; available: " + names);
            return 2;
        }
        if (list) {
            reports.forEach(r -> out.println(r.name()));
            selected.forEach(c -> out.println(c.name()));
            return 0;
        }
        out.println(jvmLine());
        long runStart = System.nanoTime();
        int status = 0;
        List<String> memLines = new ArrayList<>();
        for (Report r : reports) {
            if (!r.afterComparisons()) {
                status |= runReport(r, memLines);
            }
        }
        MemoryRatios.lines(memLines).forEach(out::println);
        for (Comparison c : selected) {
            String skip = c.skipReason();
            if (skip != null) {
                out.println("SKIP " + c.name() + ": " + skip);
                continue;
            }
            long start = System.nanoTime();
            try (c) {
                compare(c);
                progress.printf(
                        Locale.ROOT, "[bench] %s done in %.1f s%n", c.name(), (System.nanoTime() - start) / 1e9);
            } catch (Exception | LinkageError | AssertionError e) {
                out.println("FAIL " + c.name() + ": " + e);
                e.printStackTrace(progress);
                status = 1;
            }
        }
        for (Report r : reports) {
            if (r.afterComparisons()) {
                status |= runReport(r, memLines);
            }
        }
        progress.printf(Locale.ROOT, "[bench] all done in %.0f s%n", (System.nanoTime() - runStart) / 1e9);
        return status;
    }

    /** Runs one report and prints its lines (adding them to {@code printed}); 1 if it failed, else 0. */
    private int runReport(Report r, List<String> printed) {
        String skip = r.skipReason();
        if (skip != null) {
            out.println("SKIP " + r.name() + ": " + skip);
            return 0;
        }
        long start = System.nanoTime();
        progress.println("[bench] " + r.name());
        try {
            for (String line : r.run()) {
                out.println(line);
                printed.add(line);
            }
            out.flush();
            progress.printf(Locale.ROOT, "[bench] %s done in %.1f s%n", r.name(), (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (Exception | LinkageError | AssertionError e) {
            out.println("FAIL " + r.name() + ": " + e);
            e.printStackTrace(progress);
            return 1;
        }
    }

    /** Context for the figures: collector, heap, CPUs. */
    private static String jvmLine() {
        String gcs = gcName();
        return String.format(
                Locale.ROOT,
                "jvm: %s, gc %s, max heap %d MiB, %d cpus",
                Runtime.version(),
                gcs,
                Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
    }

    private static String gcName() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            for (String gc : List.of("G1", "Parallel", "Z", "Shenandoah", "Serial", "Epsilon")) {
                if (hs.getVMOption("Use" + gc + "GC").getValue().equals("true")) {
                    return gc.equals("Z") ? "ZGC" : gc;
                }
            }
        } catch (RuntimeException e) {
            // not HotSpot, or an option it does not know: fall back to the collector beans
        }
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining("/"));
    }

    private boolean matches(String name) {
        if (only == null || name.contains(only)) {
            return true;
        }
        try {
            return Pattern.compile(only).matcher(name).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private void compare(Comparison c) throws Exception {
        String name = c.name();
        progress.println("[bench] " + name + " set-up and warm-up");
        double scale = c.timeScale();
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalStateException("timeScale() must be in (0, 1]: " + scale);
        }
        long roundMillis = Math.max(10, Math.round(this.roundMillis * scale));
        long warmupMillis = Math.round(this.warmupMillis * scale);
        c.setUp();
        // Our side runs until the JIT has compiled it; the peer warms itself up in setUp, one more
        // round here settles it too.
        long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
        do {
            c.oursNanosPerOp(Math.min(roundMillis, Math.max(1, warmupMillis)));
        } while (System.nanoTime() < warmEnd);
        c.peerNanosPerOp(roundMillis);
        // A full collection moves what the comparison keeps (loop, queues) to the old generation,
        // where a long-running application has it. Without this the first ~15 young collections
        // measure a flattering state: on G1, storing a young object into a still-young array
        // skips the post-write barrier's slow path that an old array takes.
        System.gc();
        c.oursNanosPerOp(roundMillis); // lets the collector settle after the full collection

        double[] ours = new double[rounds];
        double[] peer = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            progress.println("[bench] " + name + " round " + (r + 1) + "/" + rounds);
            ours[r] = c.oursNanosPerOp(roundMillis);
            peer[r] = c.peerNanosPerOp(roundMillis);
            if (!(ours[r] > 0) || !(peer[r] > 0)) {
                throw new IllegalStateException("round " + (r + 1) + " measured ours=" + ours[r] + " ns, "
                        + c.peerName() + "=" + peer[r] + " ns");
            }
            ratio[r] = peer[r] / ours[r];
            progress.printf(
                    Locale.ROOT,
                    "[bench]   loopbridge %s ns/%s, %s %s ns/%s: %s%n",
                    fmt(ours[r]),
                    c.opName(),
                    c.peerName(),
                    fmt(peer[r]),
                    c.opName(),
                    fmt(ratio[r]));
        }
        double[] sorted = ratio.clone();
        Arrays.sort(sorted);
        out.printf(
                Locale.ROOT,
                "RATIO %s %s (spread %s..%s, %d rounds)%n",
                name,
                fmt(median(ratio)),
                fmt(sorted[0]),
                fmt(sorted[sorted.length - 1]),
                rounds);
        String unit = "ns/" + c.opName();
        out.printf(Locale.ROOT, "ABS %s.loopbridge %s %s%n", name, fmt(median(ours)), unit);
        out.printf(Locale.ROOT, "ABS %s.%s %s %s%n", name, c.peerName(), fmt(median(peer)), unit);
        c.extraLines().forEach(out::println);
        out.flush();
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** Three significant figures, at least one decimal: 87.3, 1234.5, 4.56, 0.123, 0.000312. */
    static String fmt(double v) {
        double a = Math.abs(v);
        int decimals = a >= 100
                ? 1
                : a >= 10 ? 1 : a >= 1 ? 2 : a > 0 ? Math.max(3, Math.min(12, 2 - (int) Math.floor(Math.log10(a)))) : 3;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
