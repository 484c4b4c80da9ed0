package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Three tasks run the same factorial coroutine concurrently on one thread: each step suspends for a
 * second, so the tasks take turns and the whole run takes three seconds, not six.
 */
public final class Factorial implements Sample {
    @Override
    public String name() {
        return "factorial";
    }

    @Override
    public String description() {
        return "tasks A, B, C compute factorial(2), (3), (4) interleaved, one step per second";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Duration delay = Delays.fromArgs(args, Delays.ONE_SECOND);
        EventLoop loop = new EventLoop();
        try {
            // Creating the tasks does not run them: it schedules them.
            List<Task<Long>> tasks = List.of(
                    loop.createTask(() -> factorial("A", 2, delay, out), "A"),
                    loop.createTask(() -> factorial("B", 3, delay, out), "B"),
                    loop.createTask(() -> factorial("C", 4, delay, out), "C"));
            // Run the loop until every task is done.
            loop.runUntilComplete(Async.gather(tasks));
        } finally {
            loop.close();
        }
    }

    static long factorial(String name, int number, Duration delay, PrintStream out) {
        long f = 1;
        for (int i = 2; i <= number; i++) {
            out.printf("Task %s: Compute factorial(%d)...%n", name, i);
            Async.sleep(delay);
            f *= i;
        }
        out.printf("Task %s: factorial(%d) = %d%n", name, number, f);
        return f;
    }
}
