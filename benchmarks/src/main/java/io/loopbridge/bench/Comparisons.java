package io.loopbridge.bench;

import java.util.List;

/** The registry of comparisons {@link Bench} runs, in order. */
final class Comparisons {
    private Comparisons() {}

    static List<Comparison> all() {
        return List.of(
                new CallSoonVsPython(PythonPeer.Loop.ASYNCIO),
                new CallSoonVsPython(PythonPeer.Loop.UVLOOP));
    }
}
