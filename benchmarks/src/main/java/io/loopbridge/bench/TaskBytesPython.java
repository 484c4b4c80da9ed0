package io.loopbridge.bench;

import java.util.List;
import java.util.Locale;

/**
 * {@code MEM task_bytes_asyncio}: bytes per asyncio task suspended on a never-completed future,
 * {@value #TASKS} tasks, from {@code python/coroutines.py --workload task_bytes} (tracemalloc: what
 * CPython allocates for the task, its coroutine and frame, its name, the future's callback entry
 * and the loop's task registry; deterministic, so one run), plus the resident-set growth of a
 * first run without tracemalloc, which adds the allocator's overhead.
 */
final class TaskBytesPython implements Report {
    static final int TASKS = 100_000;

    @Override
    public String name() {
        return "task_bytes_asyncio";
    }

    @Override
    public String skipReason() {
        return PythonPeer.skipReason("coroutines.py", PythonPeer.Loop.ASYNCIO);
    }

    @Override
    public List<String> run() throws Exception {
        System.err.println("[bench] " + name() + " (python)");
        String line = PythonPeer.runOnce(
                "coroutines.py",
                PythonPeer.Loop.ASYNCIO,
                "--workload",
                "task_bytes",
                "--size",
                Integer.toString(TASKS),
                "--runs",
                "1");
        String[] f = line.split("\\s+");
        if (f.length != 4) {
            throw new IllegalStateException("coroutines.py --workload task_bytes answered '" + line + "'");
        }
        double traced = Double.parseDouble(f[0]);
        double rss = Double.parseDouble(f[3]);
        String mem = String.format(
                Locale.ROOT, "MEM %s %.0f B/task (%d suspended tasks, tracemalloc)", name(), traced, TASKS);
        if (Double.isNaN(rss)) {
            return List.of(mem);
        }
        return List.of(
                mem,
                String.format(
                        Locale.ROOT,
                        "ABS %s.rss %.0f B/task (resident-set growth of a fresh interpreter, allocator overhead included)",
                        name(),
                        rss));
    }
}
