package io.loopbridge.bench;

/**
 * {@code call_soon_vs_asyncio} / {@code call_soon_vs_uvloop}: batched {@code callSoon} of {@link
 * CallSoonBatch} against the same batch of {@code loop.call_soon} in {@code python/call_soon.py}.
 */
final class CallSoonVsPython implements Comparison {
    static final int BATCH = 1000;

    private final PythonPeer.Loop pythonLoop;
    private CallSoonBatch ours;
    private PythonPeer peer;

    CallSoonVsPython(PythonPeer.Loop pythonLoop) {
        this.pythonLoop = pythonLoop;
    }

    @Override
    public String name() {
        return "call_soon_vs_" + pythonLoop.label;
    }

    @Override
    public String peerName() {
        return pythonLoop.label;
    }

    @Override
    public String opName() {
        return "callback";
    }

    @Override
    public String skipReason() {
        return PythonPeer.skipReason("call_soon.py", pythonLoop);
    }

    @Override
    public void setUp() throws Exception {
        ours = new CallSoonBatch(BATCH);
        peer = PythonPeer.start("call_soon.py", pythonLoop, "--batch", Integer.toString(BATCH));
    }

    @Override
    public double oursNanosPerOp(long millis) {
        return Measure.nanosPerOp(ours::run, ours.size(), millis);
    }

    @Override
    public double peerNanosPerOp(long millis) throws Exception {
        return peer.measure(millis);
    }

    @Override
    public void close() {
        try {
            if (peer != null) {
                peer.close();
            }
        } finally {
            if (ours != null) {
                ours.close();
            }
        }
    }
}
