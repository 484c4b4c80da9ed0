package io.loopbridge.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/** HotSpot's live-object class histogram ({@code GC.class_histogram}, which collects first), for {@link TaskBytes}. */
final class ClassHistogram {
    private ClassHistogram() {}

    /** Class name → {instances, bytes}; empty when the JVM offers no such command. */
    static Map<String, long[]> take() {
        Map<String, long[]> classes = new HashMap<>();
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
        } catch (Exception | LinkageError e) {
            System.err.println("[bench] no class histogram here: " + e);
            return classes;
        }
        // "   1:        123456       7890123  java.lang.String (java.base@25)"
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                try {
                    classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                } catch (NumberFormatException header) {
                    // not a row
                }
            }
        }
        return classes;
    }

    /** Prints to stderr, largest first, the classes whose bytes grew by at least half a byte per {@code per}. */
    static void printGrowth(String what, Map<String, long[]> before, Map<String, long[]> after, int per) {
        if (before.isEmpty() || after.isEmpty()) {
            return;
        }
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            total += d[1];
            if (2 * Math.abs(d[1]) >= per) {
                grown.add(Map.entry(e.getKey(), d));
            }
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.err.printf(Locale.ROOT, "[bench] %s: heap growth per task by class (%d tasks)%n", what, per);
        for (Map.Entry<String, long[]> e : grown) {
            System.err.printf(
                    Locale.ROOT,
                    "[bench]   %8.1f B %6.2f objects  %s%n",
                    (double) e.getValue()[1] / per,
                    (double) e.getValue()[0] / per,
                    e.getKey());
        }
        System.err.printf(Locale.ROOT, "[bench]   %8.1f B in all%n", (double) total / per);
    }
}
