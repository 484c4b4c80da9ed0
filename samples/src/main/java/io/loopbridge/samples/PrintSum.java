package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Two coroutines chained together: {@code printSum} waits until {@code compute} has a result. A
 * coroutine is a plain method whose body may suspend ({@code Async.sleep} here stands for a
 * non-blocking I/O call); calling one coroutine from another is Python's {@code await compute(...)}.
 *
 * <pre>
 * Compute 1 + 2 ...
 * 1 + 2 = 3          (one second later)
 * </pre>
 */
public final class PrintSum implements Sample {
    @Override
    public String name() {
        return "print-sum";
    }

    @Override
    public String description() {
        return "compute() awaited by printSum(): two chained coroutines on one event loop";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Duration delay = Delays.fromArgs(args, Delays.ONE_SECOND);
        // The coroutine runs only once the loop runs it; runUntilComplete stops the loop when the
        // task is done (Async.run(...) does all of this, and closes the loop, in one call).
        EventLoop loop = new EventLoop();
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                printSum(1, 2, delay, out);
                return null;
            }));
        } finally {
            loop.close();
        }
    }

    static int compute(int x, int y, Duration delay, PrintStream out) {
        out.printf("Compute %d + %d ...%n", x, y);
        // Suspends this coroutine; meanwhile the loop is free to run anything else.
        Async.sleep(delay);
        return x + y;
    }

    static void printSum(int x, int y, Duration delay, PrintStream out) {
        // Runs compute in this same task and resumes here when it returns.
        int result = compute(x, y, delay, out);
        out.printf("%d + %d = %d%n", x, y, result);
    }
}
