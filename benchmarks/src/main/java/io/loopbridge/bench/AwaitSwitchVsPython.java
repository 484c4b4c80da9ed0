package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;

/**
 * {@code await_switch_vs_asyncio_<engine>}: two tasks take turns doing {@code
 * Async.sleep(Duration.ZERO)}, so every step is a switch from one task to the other through the
 * loop, against two asyncio tasks doing {@code await asyncio.sleep(0)}. Unlike {@code
 * await_roundtrip}, whose lone task the thread engines resume without leaving its thread, this
 * keeps the cost of a switch in sight.
 */
final class AwaitSwitchVsPython extends CoroutineVsPython {
    static final int STEPS = 1000;

    AwaitSwitchVsPython(CoroutineEngine engine) {
        super("await_switch_vs_asyncio", "asyncio", "switch", engine, STEPS);
    }

    @Override
    public String opName() {
        return "step";
    }

    @Override
    void batch() {
        CoroutineWorkloads.sleepZeroTakingTurns(size);
    }
}
