package io.loopbridge.bench;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code MEM task_bytes_<engine>}: heap bytes retained per suspended task. Inside a coroutine of
 * {@code Async.run(engine, ...)}: a full GC, heap used; create N tasks that each await one
 * never-completed {@code LoopFuture}; yield once so every task runs up to its await; a full GC,
 * heap used again; the difference over N. N is {@value #TASKS} ({@value #THREAD_TASKS} on the
 * threads engine); the median of {@value #RUNS_PER_JVM} runs in each of {@value #JVMS} JVMs of
 * their own (one on the threads engine), each run after unmeasured passes with N tasks that get the await path JIT-compiled: at least {@value #WARMUP_PASSES}, and
 * more (up to {@value #MAX_WARMUP_PASSES}) until two passes in a row agree within {@value
 * #SETTLED_PERCENT} %. A frozen frame's size is that of the code the JIT had compiled when the task
 * suspended, and each pass's cancellations recompile parts of the path (the third pass often runs
 * deoptimized), so a fixed three passes left the figure to chance (±150 B between JVMs on the
 * virtual engine); what remains is which compiled code a JVM settles on (±50 B there).
 *
 * Each engine is measured in a JVM of its own (see {@link #run}).
 *
 * <p>The figure counts the task, its driver and fiber, the name, the loop's live-task entry and
 * the future's callback entry, and the suspended stack where the engine keeps it on the heap: a
 * virtual thread's or a continuation's frames are frozen into stack-chunk objects, which the heap
 * figure includes. A platform thread's stack (threads engine) is native memory outside the heap:
 * an extra {@code ABS} line gives the growth of the process's resident set per task, which covers
 * it (the bench pre-touches the heap, so heap growth does not show up there).
 *
 * <p>With {@code -Dbench.taskBytes.histogram=true} (e.g. {@code BENCH_JAVA_OPTS="-Xms1g -Xmx1g
 * -XX:+AlwaysPreTouch -Dbench.taskBytes.histogram=true"}), the last run also prints to stderr where
 * the bytes go: the growth per task of each class in the heap's class histogram (HotSpot's {@code
 * GC.class_histogram}).
 */
final class TaskBytes implements Report {
    static final int TASKS = 100_000;
    static final int THREAD_TASKS = 10_000;
    /**
     * JVMs measured; one on the threads engine, whose heap figure holds no stacks and barely moves.
     * Which code the JIT settles on for the await path differs between JVMs (±100 B per task on
     * the virtual engine), while the runs within one JVM agree, hence several JVMs of few runs.
     */
    static final int JVMS = 3;
    /** Measured runs per JVM, after the warm-up. */
    static final int RUNS_PER_JVM = 2;
    /** Unmeasured passes of N tasks before the runs, at least. */
    static final int WARMUP_PASSES = 4;
    /** At most; the runs start then whether or not the figure settled. */
    static final int MAX_WARMUP_PASSES = 12;
    /** Two passes in a row this close (in percent) count as settled. */
    static final int SETTLED_PERCENT = 2;

    static final long CHILD_TIMEOUT_S = 300;

    private final CoroutineEngine engine;
    private final int tasks;
    private final int jvms;

    TaskBytes(CoroutineEngine engine) {
        this.engine = engine;
        boolean threads = engine == CoroutineEngine.THREADS;
        this.tasks = threads ? THREAD_TASKS : TASKS;
        this.jvms = threads ? 1 : JVMS;
    }

    @Override
    public String name() {
        return "task_bytes_" + Engines.label(engine);
    }

    @Override
    public String skipReason() {
        return Engines.skipReason(engine);
    }

    /**
     * In a JVM of its own, with this JVM's options: a frozen frame is as big as the code the JIT
     * compiled for the await path, and in the bench's JVM that code has first served every other
     * comparison (less inlining, bigger frames: 737 against 513 B/task on the continuation engine
     * in one session). Alone, the figure is what a program that suspends tasks holds, as asyncio's
     * figure is its own process's.
     */
    @Override
    public List<String> run() throws Exception {
        List<Double> heap = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        boolean haveRss = true;
        for (int j = 0; j < jvms; j++) {
            System.err.printf(Locale.ROOT, "[bench] %s JVM %d/%d%n", name(), j + 1, jvms);
            boolean histogram = j == jvms - 1 && Boolean.getBoolean("bench.taskBytes.histogram");
            for (String line : ChildJvm.run(
                    name(),
                    ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    TaskBytes.class,
                    List.of(Engines.label(engine), Boolean.toString(histogram)),
                    CHILD_TIMEOUT_S)) {
                String[] f = line.split(" "); // "RUN <heap B/task> <rss B/task> <rss readable>"
                if (f.length == 4 && f[0].equals("RUN")) {
                    heap.add(Double.parseDouble(f[1]));
                    rss.add(Double.parseDouble(f[2]));
                    haveRss &= Boolean.parseBoolean(f[3]);
                }
            }
        }
        return lines(
                heap.stream().mapToDouble(d -> d).toArray(),
                rss.stream().mapToDouble(d -> d).toArray(),
                haveRss);
    }

    /** The child JVM of {@link #run}: {@code RUN} lines for the engine named by {@code args[0]}. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: TaskBytes threads|virtual|continuation HISTOGRAM");
            System.exit(2);
        }
        new TaskBytes(Engines.require(args[0])).measureHere(Boolean.parseBoolean(args[1]));
    }

    /** Warms up, then prints a {@code RUN} line per measured run. */
    private void measureHere(boolean histogramLast) {
        // A suspended task keeps its frames as they were when it suspended: interpreted ones are
        // larger than compiled ones. Unmeasured passes first get the await path compiled, as it
        // is in an application that has been running for a while (the C2 compiles of the parking
        // path can take more than one pass on a busy machine).
        double previous = Double.NaN;
        for (int w = 1; w <= MAX_WARMUP_PASSES; w++) {
            double bytes = (double) pass(null)[0] / tasks;
            System.err.printf(Locale.ROOT, "[bench] %s warm-up %d: %.0f B/task%n", name(), w, bytes);
            boolean settled = Math.abs(bytes - previous) <= previous * SETTLED_PERCENT / 100.0;
            if (w >= WARMUP_PASSES && settled) {
                break;
            }
            previous = bytes;
        }
        for (int r = 0; r < RUNS_PER_JVM; r++) {
            boolean histogram = histogramLast && r == RUNS_PER_JVM - 1;
            long[] m = pass(histogram ? name() : null);
            double heap = (double) m[0] / tasks;
            double rss = (double) m[1] / tasks;
            System.err.printf(Locale.ROOT, "[bench]   %.0f B/task heap, %.0f B/task resident set%n", heap, rss);
            System.out.printf(Locale.ROOT, "RUN %.1f %.1f %b%n", heap, rss, m[2] != 0);
        }
    }

    /**
     * One pass, warm-up or measured, through the same coroutine class: a main coroutine of a class
     * the warm-up never ran made the JIT drop the await path's compiled code (a new type where the
     * task calls its body) just as the measured tasks suspended, which then kept the bigger frames
     * of code not yet recompiled (the first measured run of each JVM 1 131-1 505 B on the virtual
     * engine against 909-926 B in the warm-up passes before it).
     */
    private long[] pass(String histogramOf) {
        return Async.run(engine, () -> measure(tasks, histogramOf));
    }

    private List<String> lines(double[] heap, double[] rss, boolean haveRss) {
        int runs = heap.length;
        double[] sorted = heap.clone();
        Arrays.sort(sorted);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "MEM %s %.0f B/task (%d suspended tasks, heap used after full GC, %s)",
                name(),
                Bench.median(heap),
                tasks,
                runs == 1
                        ? "one run"
                        : String.format(
                                Locale.ROOT,
                                "median of %d runs in %d JVMs, spread %.0f..%.0f",
                                runs,
                                jvms,
                                sorted[0],
                                sorted[runs - 1])));
        if (haveRss) {
            String note = switch (engine) {
                case THREADS ->
                    "the platform threads' native stacks and thread structures, outside the heap "
                            + "and so not in the MEM figure";
                case VIRTUAL -> "~0 expected: virtual threads' stacks are heap stack chunks, already in the MEM figure";
                case CONTINUATION ->
                    "~0 expected: continuations' stacks are heap stack chunks, already in the MEM figure";
            };
            lines.add(String.format(
                    Locale.ROOT,
                    "ABS %s.rss %.0f B/task (resident-set growth per task; %s)",
                    name(),
                    Bench.median(rss),
                    note));
        }
        if (engine == CoroutineEngine.THREADS) {
            lines.add("ABS " + name() + ".note platform thread stacks are not in the heap figure; each reserves -Xss "
                    + "(default 1 MiB) of address space and commits the pages it touches");
        }
        return lines;
    }

    /** Inside a coroutine: {heap bytes, resident-set bytes, 1 if the resident set was readable} for {@code n} tasks. */
    private static long[] measure(int n, String histogramOf) {
        LoopFuture<Void> never = Async.loop().createFuture();
        int[] waiting = {0};
        Coroutine<Void> waiter = () -> {
            waiting[0]++;
            Async.await(never);
            return null;
        };
        @SuppressWarnings("unchecked")
        Task<Void>[] tasks = new Task[n]; // allocated before the baseline: not counted
        Map<String, long[]> histogram0 = histogramOf != null ? ClassHistogram.take() : null;
        long heap0 = heapUsedAfterGc();
        long rss0 = residentSet();
        for (int i = 0; i < n; i++) {
            tasks[i] = Async.createTask(waiter);
        }
        Async.sleep(Duration.ZERO); // the first steps of all n tasks run before this resumes
        if (waiting[0] != n) {
            throw new IllegalStateException(waiting[0] + " of " + n + " tasks reached their await");
        }
        long heap1 = heapUsedAfterGc();
        long rss1 = residentSet();
        if (histogramOf != null) {
            ClassHistogram.printGrowth(histogramOf, histogram0, ClassHistogram.take(), n);
        }
        for (Task<Void> t : tasks) {
            t.cancel();
        }
        Async.await(Async.gatherSettled(Arrays.asList(tasks)));
        for (Task<Void> t : tasks) {
            if (!t.isCancelled()) {
                throw new IllegalStateException("a waiting task was not cancelled: " + t);
            }
        }
        return new long[] {heap1 - heap0, rss1 - rss0, rss0 > 0 && rss1 > 0 ? 1 : 0};
    }

    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // Until it stops shrinking: a collection can free what finalization or reference
        // processing released during the previous one.
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    /** VmRSS of this process in bytes (Linux), or 0. */
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
