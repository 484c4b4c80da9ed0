package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;

/**
 * {@code task_create_vs_asyncio_<engine>}: a coroutine creates N tasks that return at once and
 * gathers them, against {@code asyncio.create_task} + {@code gather} of as many coroutines. N is
 * {@value #TASKS}, and {@value #THREAD_TASKS} on the threads engine (a platform thread per task).
 */
final class TaskCreateVsPython extends CoroutineVsPython {
    static final int TASKS = 1000;
    static final int THREAD_TASKS = 100;

    TaskCreateVsPython(CoroutineEngine engine) {
        super(
                "task_create_vs_asyncio",
                "asyncio",
                "tasks",
                engine,
                engine == CoroutineEngine.THREADS ? THREAD_TASKS : TASKS);
    }

    @Override
    public String opName() {
        return "task";
    }

    @Override
    void batch() {
        sink += CoroutineWorkloads.createAndGather(size);
    }
}
