package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;

/**
 * {@code generator_foreach_vs_python_<engine>}: a coroutine sums a {@code Generator} of {@value
 * #ITEMS} ints with {@code forEachRemaining} (the consumer runs on the generator's own fiber: no
 * switch per item), against a CPython {@code for} loop over a generator.
 */
final class GeneratorForEachVsPython extends CoroutineVsPython {
    static final int ITEMS = 10_000;

    GeneratorForEachVsPython(CoroutineEngine engine) {
        super("generator_foreach_vs_python", "python", "gen", engine, ITEMS);
    }

    @Override
    public String opName() {
        return "item";
    }

    @Override
    void batch() {
        sink += CoroutineWorkloads.generatorForEach(size);
    }
}
