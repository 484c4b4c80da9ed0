package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;

/**
 * The common part of a comparison of one loopbridge workload on one coroutine engine against a JVM
 * peer doing the same work on a plain thread, in the same process. Our side runs each batch as one
 * task of a loop kept for the whole comparison ({@code runUntilComplete} on the bench thread), so
 * loop creation stays out of the figures; the peer runs its batch on the bench thread. Both do
 * batches of {@link #size} ops and check the batch's result.
 */
abstract class LoopVsPeer implements Comparison {
    /** Keeps results alive so the JIT cannot drop the work. */
    static volatile long sink;

    private final String prefix;
    private final String peer;
    final CoroutineEngine engine;
    final int size;
    private final long expected;
    private BenchLoop loop;
    private Coroutine<Long> ours;

    /**
     * @param prefix   the name without the engine suffix
     * @param peer     the peer's name in {@code ABS} lines
     * @param size     ops per batch, on both sides
     * @param expected what a batch returns on both sides (checked)
     */
    LoopVsPeer(String prefix, String peer, CoroutineEngine engine, int size, long expected) {
        this.prefix = prefix;
        this.peer = peer;
        this.engine = engine;
        this.size = size;
        this.expected = expected;
    }

    /** Our batch, built once per comparison: a coroutine run as a task of {@code loop}. */
    abstract Coroutine<Long> ours(EventLoop loop);

    /** The peer's batch, on the bench thread. */
    abstract long peerBatch();

    /** Starts what the peer needs (schedulers); called after our loop exists. */
    void setUpPeer() throws Exception {}

    /** Releases what {@link #setUpPeer} took. */
    void closePeer() {}

    @Override
    public String name() {
        return prefix + "_" + Engines.label(engine);
    }

    @Override
    public final String peerName() {
        return peer;
    }

    @Override
    public String opName() {
        return "item";
    }

    @Override
    public String skipReason() {
        return Engines.skipReason(engine);
    }

    /** Half the configured round and warm-up times (150 ms rounds by default): there are many of these. */
    @Override
    public double timeScale() {
        return 0.5;
    }

    @Override
    public final void setUp() throws Exception {
        loop = new BenchLoop(engine);
        ours = ours(loop.loop());
        setUpPeer();
    }

    @Override
    public final double oursNanosPerOp(long millis) {
        return Measure.nanosPerOp(() -> sink += check(loop.run(ours)), size, millis);
    }

    @Override
    public final double peerNanosPerOp(long millis) {
        return Measure.nanosPerOp(() -> sink += check(peerBatch()), size, millis);
    }

    private long check(long result) {
        if (result != expected) {
            throw new IllegalStateException(name() + ": a batch returned " + result + ", expected " + expected);
        }
        return result;
    }

    @Override
    public final void close() {
        try {
            closePeer();
        } finally {
            if (loop != null) {
                loop.close();
            }
        }
    }

    /** The sum of {@code 0..n-1}. */
    static long sumBelow(int n) {
        return (long) n * (n - 1) / 2;
    }
}
