package io.loopbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the {@code RATIO} lines of a {@code benchmarks/bench} output as an SVG horizontal bar chart
 * (no dependency: the SVG is written by hand) and prints them as a Markdown table with their goals
 * ({@link Goals}).
 *
 * <pre>PerfChart BENCH_OUTPUT SVG_FILE [TABLE_FILE]</pre>
 *
 * One row per ratio, on a log scale: a bar from 1 (parity) to the ratio, right and green when the
 * ratio meets its goal, right and blue above parity without a goal, orange below its goal or below
 * parity; a thin line for the spread of the rounds; a black mark at the goal.
 */
public final class PerfChart {
    static final Pattern RATIO = Pattern.compile(
            "^RATIO (\\S+) ([0-9.eE+-]+)(?: \\(spread ([0-9.eE+-]+)\\.\\.([0-9.eE+-]+)(?:, (\\d+) rounds)?)?");

    record Row(String name, double value, double lo, double hi, double goal) {
        String status() {
            if (Double.isNaN(goal)) {
                return value >= 1 ? "faster than the peer" : "slower than the peer";
            }
            return value >= goal ? "met" : "missed";
        }
    }

    private PerfChart() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: PerfChart BENCH_OUTPUT SVG_FILE [TABLE_FILE]");
            System.exit(2);
        }
        List<String> input = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        List<Row> rows = parse(input);
        if (rows.isEmpty()) {
            System.err.println("PerfChart: no RATIO lines in " + args[0]);
            System.exit(1);
        }
        String title =
                input.stream().filter(l -> l.startsWith("jvm: ")).findFirst().orElse("")
                        + input.stream()
                                .filter(l -> l.startsWith("load at start: "))
                                .findFirst()
                                .map(l -> ", load "
                                        + l.substring("load at start: ".length())
                                                .split(" \\(")[0])
                                .orElse("");
        Files.writeString(Path.of(args[1]), svg(rows, title), StandardCharsets.UTF_8);
        if (args.length == 3) {
            Files.writeString(Path.of(args[2]), table(rows), StandardCharsets.UTF_8);
        }
        System.err.printf(Locale.ROOT, "[bench] chart of %d ratios written to %s%n", rows.size(), args[1]);
    }

    static List<Row> parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            Matcher m = RATIO.matcher(line);
            if (m.find()) {
                double v = Double.parseDouble(m.group(2));
                double lo = m.group(3) != null ? Double.parseDouble(m.group(3)) : v;
                double hi = m.group(4) != null ? Double.parseDouble(m.group(4)) : v;
                rows.add(new Row(m.group(1), v, lo, hi, Goals.of(m.group(1))));
            }
        }
        return rows;
    }

    static String table(List<Row> rows) {
        StringBuilder b =
                new StringBuilder("| comparison | ratio | spread | goal | status |\n|---|---:|---|---:|---|\n");
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| `%s` | %s | %s..%s | %s | %s |%n",
                    r.name(),
                    Bench.fmt(r.value()),
                    Bench.fmt(r.lo()),
                    Bench.fmt(r.hi()),
                    Double.isNaN(r.goal()) ? "–" : "≥ " + trim(r.goal()),
                    r.status()));
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- SVG

    static final int LABEL_W = 400;
    static final int PLOT_W = 520;
    static final int VALUE_W = 70;
    static final int ROW_H = 18;
    static final int TOP = 56;
    static final double LOG_MIN = -3; // 0.001
    static final double LOG_MAX = 2; // 100

    static double x(double value) {
        double l = Math.log10(Math.max(Math.pow(10, LOG_MIN), Math.min(Math.pow(10, LOG_MAX), value)));
        return LABEL_W + (l - LOG_MIN) / (LOG_MAX - LOG_MIN) * PLOT_W;
    }

    static String svg(List<Row> rows, String subtitle) {
        int width = LABEL_W + PLOT_W + VALUE_W + 10;
        int height = TOP + rows.size() * ROW_H + 40;
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width,
                height,
                width,
                height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append("<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">loopbridge ÷ peer "
                + "(above 1: loopbridge faster; memory: peer ÷ ours), log scale</text>\n");
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"8\" y=\"34\" fill=\"#555\">%s — bars: median of the rounds; "
                        + "thin line: spread; black mark: the goal; green: goal met; orange: below goal or parity</text>%n",
                esc(subtitle)));
        int plotTop = TOP - 6;
        int plotBottom = TOP + rows.size() * ROW_H;
        for (int d = (int) LOG_MIN; d <= (int) LOG_MAX; d++) {
            double gx = x(Math.pow(10, d));
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>%n",
                    gx,
                    plotTop,
                    gx,
                    plotBottom,
                    d == 0 ? "#333" : "#ddd",
                    d == 0 ? "1.5" : "1"));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                    gx,
                    plotBottom + 14,
                    trim(Math.pow(10, d))));
        }
        double one = x(1);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int y = TOP + i * ROW_H;
            boolean good = Double.isNaN(r.goal()) ? r.value() >= 1 : r.value() >= r.goal();
            String fill = !good ? "#e8833a" : Double.isNaN(r.goal()) ? "#4a7fc1" : "#3a9b4a";
            if (i % 2 == 0) {
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f6f6f6\"/>%n",
                        y - 2,
                        width,
                        ROW_H));
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_W - 6,
                    y + 11,
                    esc(r.name())));
            double vx = x(r.value());
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    Math.min(one, vx),
                    y + 2,
                    Math.max(1, Math.abs(vx - one)),
                    ROW_H - 6,
                    fill));
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\" stroke-width=\"1\"/>%n",
                    x(r.lo()),
                    y + 7,
                    x(r.hi()),
                    y + 7));
            if (!Double.isNaN(r.goal())) {
                double gx = x(r.goal());
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"3\" height=\"%d\" fill=\"black\"/>%n",
                        gx - 1.5,
                        y,
                        ROW_H - 2));
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\">%s</text>%n",
                    LABEL_W + PLOT_W + 6,
                    y + 11,
                    Bench.fmt(r.value())));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String trim(double v) {
        String f = Bench.fmt(v);
        return f.contains(".") ? f.replaceAll("0+$", "").replaceAll("\\.$", "") : f;
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
