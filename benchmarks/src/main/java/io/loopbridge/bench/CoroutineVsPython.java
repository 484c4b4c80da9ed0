package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;

/**
 * The common part of the comparisons of a {@link CoroutineWorkloads} workload on one coroutine
 * engine against the same workload of {@code python/coroutines.py} (asyncio or plain CPython
 * generators), kept running in {@code --serve} mode. Our side runs each round inside one coroutine
 * of a fresh {@code Async.run(engine, ...)}; the Python side inside one task of its loop (or, for
 * plain generators, outside any loop). Both do batches of {@link #size} ops.
 */
abstract class CoroutineVsPython implements Comparison {
    /** Keeps results alive so the JIT cannot drop the work. */
    static volatile long sink;

    private final String prefix;
    private final String peer;
    private final String workload;
    final CoroutineEngine engine;
    final int size;
    private PythonPeer python;

    /**
     * @param prefix   the name without the engine suffix, e.g. {@code await_roundtrip_vs_asyncio}
     * @param peer     the peer's name in {@code ABS} lines: {@code asyncio} or {@code python}
     * @param workload {@code coroutines.py --workload}
     * @param size     ops per batch, on both sides
     */
    CoroutineVsPython(String prefix, String peer, String workload, CoroutineEngine engine, int size) {
        this.prefix = prefix;
        this.peer = peer;
        this.workload = workload;
        this.engine = engine;
        this.size = size;
    }

    /** One batch of {@link #size} ops, run inside a coroutine on {@link #engine}. */
    abstract void batch();

    @Override
    public final String name() {
        return prefix + "_" + Engines.label(engine);
    }

    @Override
    public final String peerName() {
        return peer;
    }

    /** 60% of the configured round and warm-up times (180 ms rounds by default): there are many of these. */
    @Override
    public double timeScale() {
        return 0.6;
    }

    @Override
    public String skipReason() {
        String reason = Engines.skipReason(engine);
        return reason != null ? reason : PythonPeer.skipReason("coroutines.py", PythonPeer.Loop.ASYNCIO);
    }

    @Override
    public void setUp() throws Exception {
        python = PythonPeer.start(
                "coroutines.py", PythonPeer.Loop.ASYNCIO, "--workload", workload, "--size", Integer.toString(size));
    }

    @Override
    public final double oursNanosPerOp(long millis) {
        return Engines.nanosPerOp(engine, this::batch, size, millis);
    }

    @Override
    public final double peerNanosPerOp(long millis) throws Exception {
        return python.measure(millis);
    }

    @Override
    public void close() {
        if (python != null) {
            python.close();
        }
    }
}
