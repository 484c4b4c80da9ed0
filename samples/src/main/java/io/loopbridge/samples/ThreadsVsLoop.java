package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.task.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads or an event loop? For waiting (I/O) both overlap the waits: ten requests take about one
 * wait, not ten. Threads are preempted anywhere, so shared state needs an atomic or a lock; tasks
 * of a loop switch only where they await, so a plain counter is safe. For computing, the loop does
 * not help: a coroutine that computes without awaiting blocks every other task of its loop, and
 * {@code Async.toThread} is the way out.
 */
public final class ThreadsVsLoop implements Sample {
    private static final int REQUESTS = 10;

    @Override
    public String name() {
        return "threads-vs-loop";
    }

    @Override
    public String description() {
        return "ten waits on ten threads vs ten tasks on one loop; CPU-bound work blocks the loop unless moved to a thread";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        Duration wait = Delays.fromArgs(args, Duration.ofMillis(200));

        out.println("-- I/O-bound, with threads: one thread per request, the counter must be atomic:");
        AtomicInteger threadCount = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            Thread.sleep(wait.toMillis()); // a blocking call: the OS runs other threads meanwhile
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        threadCount.incrementAndGet();
                    },
                    "request-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        out.println(REQUESTS + " threads, " + threadCount.get() + " requests done, " + overlap(start, wait));

        out.println("-- I/O-bound, with an event loop: one task per request, a plain counter is safe:");
        int[] loopCount = {0};
        start = System.nanoTime();
        Async.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                tasks.add(Async.createTask(() -> {
                    Async.sleep(wait); // suspends this task only; the loop runs the others
                    loopCount[0]++; // no other task runs between an await and the next
                    return null;
                }));
            }
            Async.await(Async.gather(tasks));
            return null;
        });
        out.println("1 loop, " + loopCount[0] + " requests done, " + overlap(start, wait));

        out.println("-- CPU-bound: a ticker task ticks every "
                + wait.dividedBy(4).toMillis() + " ms while another task computes:");
        Async.run(() -> {
            int[] ticks = {0};
            Task<Void> ticker = Async.createTask(() -> {
                while (true) {
                    Async.sleep(wait.dividedBy(4));
                    ticks[0]++;
                }
            });
            Async.sleep(Duration.ZERO); // let the ticker start

            int before = ticks[0];
            compute(wait.multipliedBy(2)); // on the loop: nothing else runs until it returns
            out.println("computing in the coroutine: the ticker ticked " + (ticks[0] - before) + " times");

            before = ticks[0];
            Async.toThread(() -> compute(wait.multipliedBy(2))); // on the default executor
            boolean ticked = ticks[0] - before >= 2;
            out.println("computing in Async.toThread: the ticker kept ticking: " + (ticked ? "yes" : "no"));
            ticker.cancel();
            return null;
        });
    }

    /** Burns CPU for {@code d} without ever giving control back. */
    static long compute(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long n = 0;
        while (System.nanoTime() < end) {
            n++;
        }
        return n;
    }

    private static String overlap(long start, Duration wait) {
        long elapsed = System.nanoTime() - start;
        // sequential waits would take REQUESTS times as long
        return elapsed < wait.toNanos() * REQUESTS / 2
                ? "in about one wait, not " + REQUESTS
                : "in " + Duration.ofNanos(elapsed).toMillis() + " ms: the waits did not overlap";
    }
}
