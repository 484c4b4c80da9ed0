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
 * not vary between runs).
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
        List<String> lines = new ArrayList<>();
        double[] asyncio = mem.get("asyncio");
        if (asyncio == null) {
            return lines;
        }
        mem.forEach((engine, ours) -> {
            if (!engine.equals("asyncio") && ours[0] > 0) {
                lines.add(String.format(Locale.ROOT,
                        "RATIO task_bytes_vs_asyncio_%s %s (spread %s..%s, %d rounds; asyncio B per suspended task ÷ ours, heap only)",
                        engine, Bench.fmt(asyncio[0] / ours[0]), Bench.fmt(asyncio[0] / ours[2]),
                        Bench.fmt(asyncio[0] / ours[1]), (int) ours[3]));
            }
        });
        return lines;
    }
}
