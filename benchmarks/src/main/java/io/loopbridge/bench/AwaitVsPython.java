package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;

/**
 * {@code await_roundtrip_vs_asyncio_<engine>}: a coroutine doing {@code Async.sleep(Duration.ZERO)}
 * in a loop (one trip through the event loop per step: suspend, reschedule, resume) against {@code
 * await asyncio.sleep(0)} in a loop.
 */
final class AwaitVsPython extends CoroutineVsPython {
    static final int STEPS = 1000;

    AwaitVsPython(CoroutineEngine engine) {
        super("await_roundtrip_vs_asyncio", "asyncio", "await", engine, STEPS);
    }

    @Override
    public String opName() {
        return "step";
    }

    @Override
    void batch() {
        CoroutineWorkloads.sleepZero(size);
    }
}
