package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The common part of a comparison without an engine in its name: each of our rounds runs the
 * workload on every available engine (a loop each, kept for the whole comparison; {@code millis}
 * each), and the {@code RATIO} uses one of them: a fixed engine if one is given, else the engine
 * fastest over the warm-up (the median of its last warm-up figures, chosen when the first peer round
 * starts, before any measured round). Per-engine medians over the measured rounds are printed as
 * {@code ABS <name>.loopbridge_<engine>} lines.
 */
abstract class AcrossEnginesVsPeer implements Comparison {
    /** Keeps results alive so the JIT cannot drop the work. */
    static volatile long sink;

    private static final int WARMUP_FIGURES = 5;

    private final String name;
    private final String peer;
    private final String op;
    private final CoroutineEngine fixed;
    final int size;
    private final long expected;
    private final Map<CoroutineEngine, BenchLoop> loops = new EnumMap<>(CoroutineEngine.class);
    private final Map<CoroutineEngine, Coroutine<Long>> batches = new EnumMap<>(CoroutineEngine.class);
    private final Map<CoroutineEngine, List<Double>> warmup = new EnumMap<>(CoroutineEngine.class);
    private final Map<CoroutineEngine, List<Double>> measured = new EnumMap<>(CoroutineEngine.class);
    private CoroutineEngine chosen;
    /** Until the first peer round, our figures are warm-up figures. */
    private boolean warmupPhase = true;
    /** The first round of ours after the warm-up settles the collector (see {@link Bench}); not recorded. */
    private boolean settling;

    /**
     * @param fixed    the engine of the {@code RATIO}, or {@code null} for the fastest one
     * @param size     ops per batch, on both sides
     * @param expected what a batch returns on both sides (checked)
     */
    AcrossEnginesVsPeer(String name, String peer, String op, CoroutineEngine fixed, int size, long expected) {
        this.name = name;
        this.peer = peer;
        this.op = op;
        this.fixed = fixed;
        this.size = size;
        this.expected = expected;
    }

    /** Our batch on {@code loop}, built once per engine: a coroutine run as a task of the loop. */
    abstract Coroutine<Long> ours(EventLoop loop);

    /** The peer's batch, on the bench thread. */
    abstract long peerBatch();

    void setUpPeer() throws Exception {}

    void closePeer() {}

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String peerName() {
        return peer;
    }

    @Override
    public final String opName() {
        return op;
    }

    /** Rounds of our side take one {@code millis} per engine: 40% of the configured times. */
    @Override
    public double timeScale() {
        return 0.4;
    }

    @Override
    public String skipReason() {
        if (fixed != null) {
            return Engines.skipReason(fixed);
        }
        return CoroutineEngine.available().isEmpty() ? "no coroutine engine available" : null;
    }

    @Override
    public final void setUp() throws Exception {
        for (CoroutineEngine e : CoroutineEngine.values()) {
            if (Engines.skipReason(e) == null) {
                BenchLoop loop = new BenchLoop(e);
                loops.put(e, loop);
                batches.put(e, ours(loop.loop()));
                warmup.put(e, new ArrayList<>());
                measured.put(e, new ArrayList<>());
            }
        }
        chosen = fixed;
        setUpPeer();
    }

    @Override
    public final double oursNanosPerOp(long millis) {
        double best = Double.MAX_VALUE;
        double result = 0;
        for (Map.Entry<CoroutineEngine, BenchLoop> entry : loops.entrySet()) {
            CoroutineEngine e = entry.getKey();
            BenchLoop loop = entry.getValue();
            Coroutine<Long> batch = batches.get(e);
            double ns = Measure.nanosPerOp(() -> sink += check(loop.run(batch)), size, millis);
            if (warmupPhase) {
                warmup.get(e).add(ns);
            } else if (!settling) {
                measured.get(e).add(ns);
            }
            best = Math.min(best, ns);
            if (e == chosen) {
                result = ns;
            }
        }
        settling = false;
        return chosen == null ? best : result;
    }

    @Override
    public final double peerNanosPerOp(long millis) {
        if (warmupPhase) {
            warmupPhase = false;
            settling = true;
            if (chosen == null) {
                chosen = fastestInWarmup();
            }
        }
        return Measure.nanosPerOp(() -> sink += check(peerBatch()), size, millis);
    }

    private CoroutineEngine fastestInWarmup() {
        CoroutineEngine fastest = null;
        double best = Double.MAX_VALUE;
        for (Map.Entry<CoroutineEngine, List<Double>> entry : warmup.entrySet()) {
            List<Double> all = entry.getValue();
            List<Double> last = all.subList(Math.max(0, all.size() - WARMUP_FIGURES), all.size());
            double m =
                    Bench.median(last.stream().mapToDouble(Double::doubleValue).toArray());
            if (m < best) {
                best = m;
                fastest = entry.getKey();
            }
        }
        return fastest;
    }

    @Override
    public List<String> extraLines() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<CoroutineEngine, List<Double>> entry : measured.entrySet()) {
            List<Double> figures = entry.getValue();
            if (figures.isEmpty()) {
                continue;
            }
            CoroutineEngine e = entry.getKey();
            double m = Bench.median(
                    figures.stream().mapToDouble(Double::doubleValue).toArray());
            lines.add(String.format(
                    Locale.ROOT,
                    "ABS %s.loopbridge_%s %s ns/%s (%s)",
                    name,
                    Engines.label(e),
                    Bench.fmt(m),
                    op,
                    e == chosen
                            ? (fixed != null ? "the RATIO's engine" : "fastest in warm-up, the RATIO's engine")
                            : "median of " + figures.size() + " rounds"));
        }
        return lines;
    }

    private long check(long result) {
        if (result != expected) {
            throw new IllegalStateException(name + ": a batch returned " + result + ", expected " + expected);
        }
        return result;
    }

    @Override
    public final void close() {
        try {
            closePeer();
        } finally {
            loops.values().forEach(BenchLoop::close);
        }
    }
}
