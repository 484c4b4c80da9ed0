package io.loopbridge.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory ratios, from the {@code MEM task_bytes_*} lines of the reports: {@code RATIO
 * task_bytes_vs_asyncio_<engine> <asyncio B/task ÷ ours>} (above 1: a suspended task of ours takes
 * less), the spread from the spread of our runs (asyncio's figure, from {@code tracemalloc}, does
 * not vary between runs). On the threads engine ours adds the resident-set growth per task (the
 * native thread stacks), one run only.
 */
final class MemoryRatios {
    private static final Pattern MEM = Pattern.compile(
            "^MEM task_bytes_(\\w+) ([0-9.]+) B/task.*?(?:median of (\\d+) runs, spread ([0-9.]+)\\.\\.([0-9.]+))?\\)?$");

    private MemoryRatios() {}

    static List<String> lines(List<String> printed) {
        Map<String, double[]> mem = new LinkedHashMap<>();
        for (String line : printed) {
            Matcher m = MEM.matcher(line);
            if (m.find()) {
                double v = Double.parseDouble(m.group(2));
                double lo = m.group(4) != null ? Double.parseDouble(m.group(4)) : v;
                double hi = m.group(5) != null ? Double.parseDouble(m.group(5)) : v;
                int runs = m.group(3) != null ? Integer.parseInt(m.group(3)) : 1;
                mem.put(m.group(1), new double[] {v, lo, hi, runs});
            }
        }
        // A platform thread's stack is native memory: the threads engine's ratio counts it (its
        // resident-set growth per task) on top of the heap. Without a positive growth (the system
        // reclaimed pages of the process meanwhile) that figure is unknown, and so is the ratio.
        Pattern rss = Pattern.compile("^ABS task_bytes_threads\\.rss (-?[0-9.]+) B/task");
        for (String line : printed) {
            Matcher m = rss.matcher(line);
            double[] threads = mem.get("threads");
            if (m.find() && threads != null) {
                double add = Double.parseDouble(m.group(1));
                if (add <= 0) {
                    mem.remove("threads");
                } else {
                    mem.put("threads", new double[] {threads[0] + add, threads[1] + add, threads[2] + add, threads[3]});
                }
            }
        }
        List<String> lines = new ArrayList<>();
        double[] asyncio = mem.get("asyncio");
        if (asyncio == null) {
            return lines;
        }
        mem.forEach((engine, ours) -> {
            if (!engine.equals("asyncio") && ours[0] > 0) {
                lines.add(String.format(
                        Locale.ROOT,
                        "RATIO task_bytes_vs_asyncio_%s %s (spread %s..%s, %d rounds; asyncio B per suspended task ÷ ours, %s)",
                        engine,
                        Bench.fmt(asyncio[0] / ours[0]),
                        Bench.fmt(asyncio[0] / ours[2]),
                        Bench.fmt(asyncio[0] / ours[1]),
                        (int) ours[3],
                        engine.equals("threads") ? "ours: heap + resident-set growth (native thread stacks)" : "heap"));
            }
        });
        return lines;
    }
}
