package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;

/**
 * {@code generator_next_vs_python_<engine>}: a coroutine sums a {@code Generator} of {@value
 * #ITEMS} ints with a for-each loop ({@code hasNext}/{@code next}: a switch to the generator's
 * fiber and back per item), against a CPython {@code for} loop over a generator.
 */
final class GeneratorNextVsPython extends CoroutineVsPython {
    static final int ITEMS = 10_000;

    GeneratorNextVsPython(CoroutineEngine engine) {
        super("generator_next_vs_python", "python", "gen", engine, ITEMS);
    }

    @Override
    public String opName() {
        return "item";
    }

    @Override
    void batch() {
        sink += CoroutineWorkloads.generatorNext(size);
    }
}
