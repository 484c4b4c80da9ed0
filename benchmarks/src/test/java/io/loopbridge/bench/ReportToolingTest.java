package io.loopbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's report tooling: what it reads from the output lines and what it draws. */
class ReportToolingTest {
    private static final List<String> RUN = List.of(
            "jvm: 25, gc G1, max heap 1024 MiB, 2 cpus",
            "load at start: 1.00 2.00 3.00 (1, 5, 15 min load averages; ...)",
            "MEM task_bytes_threads 634 B/task (10000 suspended tasks, heap used after full GC, one run)",
            "ABS task_bytes_threads.rss 15909 B/task (resident-set growth per task; ...)",
            "MEM task_bytes_continuation 756 B/task (100000 suspended tasks, heap used after full GC, median of 5 runs, spread 740..800)",
            "MEM task_bytes_asyncio 764 B/task (100000 suspended tasks, tracemalloc)",
            "RATIO call_soon_vs_asyncio 48.1 (spread 36.1..66.3, 5 rounds)",
            "ABS call_soon_vs_asyncio.loopbridge 62.5 ns/callback",
            "RATIO iterate_vs_subscribe_continuation 0.357 (spread 0.283..1.04, 5 rounds)",
            "RATIO await_chain_vs_completablefuture_virtual 1.56 (spread 1.02..2.87, 5 rounds)",
            "SKIP call_soon_vs_uvloop: uvloop not importable by python3");

    @Test
    void memoryRatiosAreThePeersBytesOverOursWithTheSpreadOfOurRuns() {
        List<String> lines = MemoryRatios.lines(RUN);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1))
                .startsWith("RATIO task_bytes_vs_asyncio_continuation 1.01 (spread 0.955..1.03, 5 rounds;");
    }

    @Test
    void theThreadsEngineMemoryRatioCountsItsNativeStacks() {
        assertThat(MemoryRatios.lines(RUN).get(0))
                .startsWith("RATIO task_bytes_vs_asyncio_threads 0.0462 ")
                .contains("resident-set growth");
    }

    @Test
    void noThreadsMemoryRatioWhenTheResidentSetDidNotGrow() {
        List<String> run = new java.util.ArrayList<>(RUN);
        run.set(3, "ABS task_bytes_threads.rss -577 B/task (resident-set growth per task; ...)");

        assertThat(MemoryRatios.lines(run))
                .singleElement()
                .asString()
                .startsWith("RATIO task_bytes_vs_asyncio_continuation ");
    }

    @Test
    void noMemoryRatioWithoutThePythonFigure() {
        assertThat(MemoryRatios.lines(RUN.subList(0, 5))).isEmpty();
    }

    @Test
    void theChartReadsEveryRatioWithItsSpreadAndGoal() {
        List<PerfChart.Row> rows = PerfChart.parse(RUN);

        assertThat(rows)
                .extracting(PerfChart.Row::name)
                .containsExactly(
                        "call_soon_vs_asyncio",
                        "iterate_vs_subscribe_continuation",
                        "await_chain_vs_completablefuture_virtual");
        assertThat(rows.get(0).lo()).isEqualTo(36.1);
        assertThat(rows.get(0).hi()).isEqualTo(66.3);
        assertThat(rows.get(0).goal()).isEqualTo(50);
        assertThat(rows.get(0).status()).isEqualTo("missed");
        assertThat(rows.get(1).goal()).isEqualTo(0.8);
        assertThat(rows.get(2).goal()).isNaN();
        assertThat(rows.get(2).status()).isEqualTo("faster than the peer");
    }

    @Test
    void theChartHasABarAndALabelPerRatioAndMarksEachGoal() {
        List<PerfChart.Row> rows = PerfChart.parse(RUN);
        String svg = PerfChart.svg(rows, "jvm: 25 & co");

        assertThat(svg).startsWith("<svg ").endsWith("</svg>\n");
        assertThat(svg).contains(">call_soon_vs_asyncio<", ">iterate_vs_subscribe_continuation<", "jvm: 25 &amp; co");
        // two goals marked: a black 3-px rectangle each
        assertThat(svg.split("fill=\"black\"", -1)).hasSize(3);
    }

    @Test
    void theTableGivesTheGoalAndStatusOfEachRatio() {
        String table = PerfChart.table(PerfChart.parse(RUN));

        assertThat(table).contains("| `call_soon_vs_asyncio` | 48.1 | 36.1..66.3 | ≥ 50 | missed |");
        assertThat(table)
                .contains(
                        "| `await_chain_vs_completablefuture_virtual` | 1.56 | 1.02..2.87 | – | faster than the peer |");
    }

    @Test
    void theLogScaleClampsOutsideItsRange() {
        assertThat(PerfChart.x(1e-9)).isEqualTo(PerfChart.x(0.001));
        assertThat(PerfChart.x(1e9)).isEqualTo(PerfChart.x(100));
        assertThat(PerfChart.x(1)).isBetween(PerfChart.x(0.5), PerfChart.x(2));
    }
}
