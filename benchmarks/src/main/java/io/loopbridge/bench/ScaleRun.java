package io.loopbridge.bench;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The child JVM of {@link Scale}: for one engine and each task count N, inside a coroutine of a
 * fresh {@code Async.run(engine, ...)}:
 *
 * <ol>
 *   <li>full GC, heap used; create N tasks that each await one gate future; yield once so all of
 *       them reach the gate (creation time per task); full GC, heap used again: heap bytes per
 *       suspended task, and tasks per GiB of heap;
 *   <li>complete the gate: every task wakes, then yields {@value #YIELDS} times ({@code
 *       Async.sleep(0)}) and ends; the time until the last one ends over {@code N × (}{@value
 *       #YIELDS}{@code  + 1)} is the switch cost with N live tasks (a round-robin through N tasks:
 *       each resume touches a stack that left the caches long ago).
 * </ol>
 *
 * On the continuation engine, {@code raw_continuation_switch} gives the switch floor at the same
 * scale: as many bare {@code jdk.internal.vm.Continuation}s resumed round-robin, to tell the JDK's
 * and the hardware's share of the growth from ours.
 *
 * <p>Prints {@code ABS scale_<engine>.<N>.<what> ...} lines on stdout, progress on stderr.
 *
 * <pre>ScaleRun ENGINE N...</pre>
 */
public final class ScaleRun {
    static final int YIELDS = 3;
    private static final Duration ZERO = Duration.ZERO;

    private ScaleRun() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ScaleRun threads|virtual|continuation N...");
            System.exit(2);
        }
        CoroutineEngine engine = Engines.require(args[0]);
        String label = Engines.label(engine);
        int[] sizes =
                Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray();
        // JIT warm-up of the create, await and resume paths: frames suspended while interpreted are larger.
        boolean threads = engine == CoroutineEngine.THREADS;
        int warm = threads ? 500 : 10_000;
        for (int i = 0; i < (threads ? 1 : 3); i++) {
            Async.run(engine, () -> measure(warm));
        }
        double firstSwitch = 0;
        double firstBytes = 0;
        double firstRaw = 0;
        for (int n : sizes) {
            int repeats = n <= 1_000 ? 5 : threads || n > 100_000 ? 1 : 2;
            double[] bytes = new double[repeats];
            double[] create = new double[repeats];
            double[] sw = new double[repeats];
            double[] rss = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                System.err.printf(Locale.ROOT, "[bench] scale_%s %d tasks, run %d/%d%n", label, n, r + 1, repeats);
                double[] m = Async.run(engine, () -> measure(n));
                bytes[r] = m[0];
                create[r] = m[1];
                sw[r] = m[2];
                rss[r] = m[3];
            }
            double b = Bench.median(bytes);
            double s = Bench.median(sw);
            String runs = repeats == 1 ? "one run" : "median of " + repeats + " runs";
            String p = "ABS scale_" + label + "." + n;
            System.out.printf(
                    Locale.ROOT,
                    "%s.bytes_per_task %.0f B/task (heap after full GC, %d suspended tasks, %s)%n",
                    p,
                    b,
                    n,
                    runs);
            System.out.printf(
                    Locale.ROOT, "%s.tasks_per_gib %.0f (2^30 ÷ heap bytes per suspended task)%n", p, (1L << 30) / b);
            if (engine == CoroutineEngine.THREADS) {
                System.out.printf(
                        Locale.ROOT,
                        "%s.rss_per_task %.0f B/task (resident-set growth: native thread stacks)%n",
                        p,
                        Bench.median(rss));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s.create %s ns/task (create + run to the first await, %s)%n",
                    p,
                    Bench.fmt(Bench.median(create)),
                    runs);
            System.out.printf(
                    Locale.ROOT,
                    "%s.switch %s ns/switch (%d live tasks, each resumed %d times round-robin, %s)%n",
                    p,
                    Bench.fmt(s),
                    n,
                    YIELDS + 1,
                    runs);
            if (engine == CoroutineEngine.CONTINUATION && RawContinuation.skipReason() == null) {
                double[] raw = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    raw[r] = rawRoundRobin(n);
                }
                double f = Bench.median(raw);
                if (firstRaw == 0) {
                    firstRaw = f;
                }
                System.out.printf(
                        Locale.ROOT,
                        "%s.raw_continuation_switch %s ns/roundtrip (the floor at this scale: %d bare "
                                + "Continuations, each resumed %d times round-robin; growth %s)%n",
                        p,
                        Bench.fmt(f),
                        n,
                        YIELDS + 1,
                        Bench.fmt(f / firstRaw));
            }
            if (firstSwitch == 0) {
                firstSwitch = s;
                firstBytes = b;
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "%s.switch_growth %s (switch cost at %d tasks ÷ at %d; flat = 1)%n",
                        p,
                        Bench.fmt(s / firstSwitch),
                        n,
                        sizes[0]);
                System.out.printf(
                        Locale.ROOT,
                        "%s.bytes_growth %s (bytes per task at %d tasks ÷ at %d; flat = 1)%n",
                        p,
                        Bench.fmt(b / firstBytes),
                        n,
                        sizes[0]);
            }
            System.out.flush();
        }
    }

    /**
     * The switch floor at scale: {@code n} bare continuations, each started up to its first yield,
     * a full GC (as for the tasks), then {@value #YIELDS}{@code  + 1} passes resuming each in turn;
     * ns per resume.
     */
    private static double rawRoundRobin(int n) {
        Object[] all = new Object[n];
        Runnable body = () -> {
            for (int k = 0; k <= YIELDS; k++) {
                RawContinuation.yieldNow();
            }
        };
        for (int i = 0; i < n; i++) {
            all[i] = RawContinuation.create(body);
            RawContinuation.resume(all[i]);
        }
        heapUsedAfterGc();
        long t0 = System.nanoTime();
        for (int k = 0; k <= YIELDS; k++) {
            for (int i = 0; i < n; i++) {
                RawContinuation.resume(all[i]);
            }
        }
        long t1 = System.nanoTime();
        return (double) (t1 - t0) / ((double) n * (YIELDS + 1));
    }

    /** Inside a coroutine: {heap B/task, create ns/task, switch ns, rss B/task} for {@code n} tasks. */
    private static double[] measure(int n) {
        LoopFuture<Void> gate = Async.loop().createFuture();
        LoopFuture<Void> finished = Async.loop().createFuture();
        int[] counts = new int[2]; // reached the gate, ended
        Coroutine<Void> body = () -> {
            counts[0]++;
            Async.await(gate);
            for (int k = 0; k < YIELDS; k++) {
                Async.sleep(ZERO);
            }
            if (++counts[1] == n) {
                finished.setResult(null);
            }
            return null;
        };
        @SuppressWarnings("unchecked")
        Task<Void>[] tasks = new Task[n];
        long heap0 = heapUsedAfterGc();
        long rss0 = residentSet();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            tasks[i] = Async.createTask(body);
        }
        Async.sleep(ZERO); // every task runs up to the gate first
        long t1 = System.nanoTime();
        if (counts[0] != n) {
            throw new IllegalStateException(counts[0] + " of " + n + " tasks reached the gate");
        }
        long heap1 = heapUsedAfterGc();
        long rss1 = residentSet();
        long t2 = System.nanoTime();
        gate.setResult(null);
        Async.await(finished);
        long t3 = System.nanoTime();
        Arrays.fill(tasks, null);
        return new double[] {
            (double) (heap1 - heap0) / n,
            (double) (t1 - t0) / n,
            (double) (t3 - t2) / ((double) n * (YIELDS + 1)),
            (double) (rss1 - rss0) / n
        };
    }

    private static long heapUsedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    private static long residentSet() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
