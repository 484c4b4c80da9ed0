package io.loopbridge.bench;

import io.loopbridge.bench.ReactiveWorkloads.BatchSubscriber;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code floors}: what the hardware and the JVM allow at the least, measured in the same run as the
 * ratios and printed as {@code ABS} lines beside our figure for the same work (alternating rounds,
 * medians), so each ratio can be read against its limit:
 *
 * <ul>
 *   <li>callback floor: an empty {@code Runnable} offered to and drained from a minimal MPSC queue
 *       ({@link MpscRunnableQueue}), beside our batched {@code callSoon} ({@link CallSoonBatch});
 *   <li>switch floor: a raw {@code jdk.internal.vm.Continuation} yield/run round trip ({@link
 *       RawContinuation}), beside two tasks taking turns with {@code Async.sleep(0)} on the
 *       continuation engine (a switch per step);
 *   <li>reactive floor: {@code Flux.range} into a no-op subscriber that requests everything at once,
 *       beside {@code Flux.range} into the comparisons' {@link BatchSubscriber} (256 requested from
 *       inside {@code onNext}); and the latter, the floor for that subscriber, beside our {@code
 *       Reactive.publisher} into it on the continuation engine;
 *   <li>wake-up floor: a parked thread woken by another ({@link ThreadPingPong}), beside one refill
 *       of the {@code _cross_thread} publisher comparison.
 * </ul>
 */
final class Floors implements Report {
    static final int CALLBACKS = 1000;
    static final int SWITCHES = 1000;
    static final int ITEMS = ReactiveWorkloads.ITEMS;
    static final int ROUNDS = Bench.MIN_ROUNDS;
    static final long ROUND_MS = Long.getLong("bench.floors.roundMs", 150);
    static final long WARMUP_MS = Long.getLong("bench.floors.warmupMs", 600);

    static volatile long sink;

    @Override
    public boolean afterComparisons() {
        return true;
    }

    @Override
    public String name() {
        return "floors";
    }

    @Override
    public List<String> run() throws Exception {
        List<String> lines = new ArrayList<>();
        MpscRunnableQueue q = new MpscRunnableQueue();
        Runnable empty = () -> {};
        try (CallSoonBatch batch = new CallSoonBatch(CALLBACKS)) {
            pair(
                    lines,
                    "floor_callback",
                    "callback",
                    "mpsc_runnable",
                    () -> Measure.nanosPerOp(
                            () -> sink += MpscRunnableQueue.emptyRunnables(q, empty, CALLBACKS), CALLBACKS, ROUND_MS),
                    "call_soon",
                    () -> Measure.nanosPerOp(batch::run, batch.size(), ROUND_MS));
        }
        String noContinuation = RawContinuation.skipReason() != null
                ? RawContinuation.skipReason()
                : Engines.skipReason(CoroutineEngine.CONTINUATION);
        if (noContinuation != null) {
            lines.add("SKIP floor_switch: " + noContinuation);
        } else {
            try (BenchLoop loop = new BenchLoop(CoroutineEngine.CONTINUATION)) {
                Coroutine<Void> steps = () -> {
                    // two tasks: a lone task's sleep(0) does not switch at all
                    CoroutineWorkloads.sleepZeroTakingTurns(SWITCHES);
                    return null;
                };
                pair(
                        lines,
                        "floor_switch",
                        "roundtrip",
                        "raw_continuation",
                        () -> Measure.nanosPerOp(
                                () -> sink += RawContinuation.roundTrips(SWITCHES), SWITCHES, ROUND_MS),
                        "await_switch_continuation",
                        () -> Measure.nanosPerOp(() -> loop.run(steps), SWITCHES, ROUND_MS));
            }
        }
        Flux<Integer> range = Flux.range(0, ITEMS);
        pair(
                lines,
                "floor_reactive",
                "item",
                "flux_range_noop",
                () -> Measure.nanosPerOp(() -> sink += rangeIntoNoop(range), ITEMS, ROUND_MS),
                "flux_range_batch_subscriber",
                () -> Measure.nanosPerOp(
                        () -> sink += ReactiveWorkloads.subscribeAndJoin(range, new BatchSubscriber()),
                        ITEMS,
                        ROUND_MS));
        if (noContinuation == null) {
            try (BenchLoop loop = new BenchLoop(CoroutineEngine.CONTINUATION)) {
                Publisher<Integer> numbers = ReactiveWorkloads.asyncGenNumbers(loop.loop(), ITEMS);
                Coroutine<Long> ours = () -> ReactiveWorkloads.subscribeAndAwait(numbers, new BatchSubscriber());
                pair(
                        lines,
                        "floor_reactive_same_subscriber",
                        "item",
                        "flux_range_batch_subscriber",
                        () -> Measure.nanosPerOp(
                                () -> sink += ReactiveWorkloads.subscribeAndJoin(range, new BatchSubscriber()),
                                ITEMS,
                                ROUND_MS),
                        "asyncgen_publisher_continuation",
                        () -> Measure.nanosPerOp(() -> sink += loop.run(ours), ITEMS, ROUND_MS));
            }
        }
        wakeUpFloor(lines);
        return lines;
    }

    /**
     * The wake-up floor: a thread parked in {@code LockSupport.park} woken by another, half a
     * park/unpark ping-pong between two platform threads, beside one 192-item refill of our
     * publisher when the subscriber requests from Reactor's {@code publishOn} worker (the {@code
     * _cross_thread} comparison). The quotient reads as the wake-ups' worth of time a refill costs.
     */
    private static void wakeUpFloor(List<String> lines) throws Exception {
        String noContinuation = Engines.skipReason(CoroutineEngine.CONTINUATION);
        CoroutineEngine engine = noContinuation == null ? CoroutineEngine.CONTINUATION : CoroutineEngine.VIRTUAL;
        Scheduler worker = Schedulers.newSingle("bench-publishOn", true);
        try (BenchLoop loop = new BenchLoop(engine);
                ThreadPingPong pingPong = new ThreadPingPong()) {
            Publisher<Integer> numbers = ReactiveWorkloads.asyncGenNumbers(loop.loop(), ITEMS);
            Coroutine<Long> across = () -> ReactiveWorkloads.subscribeAcrossAndAwait(numbers, worker);
            int refills = ITEMS / REFILL;
            pair(
                    lines,
                    "floor_wakeup",
                    "wake-up",
                    "thread_park_unpark",
                    () -> Measure.nanosPerOp(() -> sink += pingPong.roundTrips(WAKE_UPS / 2), WAKE_UPS, ROUND_MS),
                    "cross_thread_refill_" + Engines.label(engine),
                    () -> Measure.nanosPerOp(() -> sink += loop.run(across), refills, ROUND_MS));
        } finally {
            worker.dispose();
        }
    }

    /** Wake-ups per round of the wake-up floor. */
    static final int WAKE_UPS = 200;
    /** Items per refill under {@code publishOn(scheduler, 256)}: Reactor replenishes 75 % of its prefetch. */
    static final int REFILL = ReactiveWorkloads.BATCH - ReactiveWorkloads.BATCH / 4;

    /** Two platform threads taking turns through a volatile flag, each parked until the other unparks it. */
    static final class ThreadPingPong implements AutoCloseable {
        private volatile int turn;
        private volatile boolean closed;
        private final Thread partner;
        private volatile Thread caller;

        ThreadPingPong() {
            partner = new Thread(this::serve, "bench-pingpong");
            partner.setDaemon(true);
            partner.start();
        }

        /** {@code n} round trips: two wake-ups each. */
        long roundTrips(int n) {
            caller = Thread.currentThread();
            for (int i = 0; i < n; i++) {
                turn = 1;
                LockSupport.unpark(partner);
                while (turn != 0) {
                    LockSupport.park(this);
                }
            }
            return n;
        }

        private void serve() {
            while (!closed) {
                if (turn == 1) {
                    turn = 0;
                    LockSupport.unpark(caller);
                } else {
                    LockSupport.park(this);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            LockSupport.unpark(partner);
            partner.join();
        }
    }

    /**
     * Warms both sides, alternates {@value #ROUNDS} rounds floor, ours, and adds {@code ABS
     * <group>.<floorName>}, {@code ABS <group>.<oursName>} (medians) and {@code ABS
     * <group>.<oursName>_over_floor} (median of the per-round quotients).
     */
    private static void pair(
            List<String> lines,
            String group,
            String op,
            String floorName,
            DoubleSupplier floor,
            String oursName,
            DoubleSupplier ours) {
        System.err.printf(Locale.ROOT, "[bench] %s: %s vs %s%n", group, floorName, oursName);
        long end = System.nanoTime() + WARMUP_MS * 1_000_000L;
        while (System.nanoTime() < end) {
            floor.getAsDouble();
            ours.getAsDouble();
        }
        double[] f = new double[ROUNDS];
        double[] o = new double[ROUNDS];
        double[] q = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            f[r] = floor.getAsDouble();
            o[r] = ours.getAsDouble();
            q[r] = o[r] / f[r];
        }
        double[] sorted = q.clone();
        java.util.Arrays.sort(sorted);
        lines.add(String.format(
                Locale.ROOT,
                "ABS %s.%s %s ns/%s (floor, median of %d rounds)",
                group,
                floorName,
                Bench.fmt(Bench.median(f)),
                op,
                ROUNDS));
        lines.add(String.format(
                Locale.ROOT,
                "ABS %s.%s %s ns/%s (median of %d rounds alternating with the floor)",
                group,
                oursName,
                Bench.fmt(Bench.median(o)),
                op,
                ROUNDS));
        lines.add(String.format(
                Locale.ROOT,
                "ABS %s.%s_over_floor %s (x the floor; spread %s..%s)",
                group,
                oursName,
                Bench.fmt(Bench.median(q)),
                Bench.fmt(sorted[0]),
                Bench.fmt(sorted[ROUNDS - 1])));
    }

    /** The reactive floor: {@code range} into a subscriber that requests everything and only sums. */
    static long rangeIntoNoop(Flux<Integer> range) {
        NoopSubscriber s = new NoopSubscriber();
        range.subscribe(s);
        if (!s.done) {
            throw new IllegalStateException("Flux.range did not complete synchronously");
        }
        return s.sum;
    }

    /** Requests {@code Long.MAX_VALUE} once; a Reactor {@code CoreSubscriber}, so nothing wraps it. */
    static final class NoopSubscriber implements CoreSubscriber<Integer> {
        long sum;
        boolean done;

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Integer item) {
            sum += item;
        }

        @Override
        public void onError(Throwable t) {
            throw new IllegalStateException("Flux.range failed", t);
        }

        @Override
        public void onComplete() {
            done = true;
        }
    }
}
