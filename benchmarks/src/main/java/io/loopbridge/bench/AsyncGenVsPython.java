package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;

/**
 * {@code asyncgen_next_vs_asyncio_<engine>}: a coroutine sums an {@code AsyncGenerator} of {@value
 * #ITEMS} ints with a for-each loop (each step resumes the generator's body, nested in the
 * coroutine, up to its next yield and takes the value from it: one switch there and back, no
 * future, as the body does not await), against {@code async for} over
 * a CPython async generator in an asyncio task. Neither body awaits between its yields.
 */
final class AsyncGenVsPython extends CoroutineVsPython {
    static final int ITEMS = 10_000;

    AsyncGenVsPython(CoroutineEngine engine) {
        super("asyncgen_next_vs_asyncio", "asyncio", "asyncgen", engine, ITEMS);
    }

    @Override
    public String opName() {
        return "item";
    }

    @Override
    void batch() {
        sink += CoroutineWorkloads.asyncGeneratorFor(size);
    }
}
