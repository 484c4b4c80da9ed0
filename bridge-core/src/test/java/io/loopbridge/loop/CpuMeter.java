package io.loopbridge.loop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time a loop's thread uses while the test waits. A virtual loop thread has no CPU time of
 * its own (the JVM reports -1), so then every platform thread is measured, its carriers among them.
 */
final class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuMeter() {}

    static Duration cpuTimeUsedBy(Thread loopThread, Duration window) throws InterruptedException {
        assumeTrue(THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled());
        Map<Long, Long> before = snapshot(loopThread);
        Thread.sleep(window.toMillis());
        Map<Long, Long> after = snapshot(loopThread);
        long used = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            used += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return Duration.ofNanos(used);
    }

    private static Map<Long, Long> snapshot(Thread loopThread) {
        Map<Long, Long> cpu = new HashMap<>();
        long own = THREADS.getThreadCpuTime(loopThread.getId());
        if (own >= 0) {
            cpu.put(loopThread.getId(), own);
            return cpu;
        }
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }
}
