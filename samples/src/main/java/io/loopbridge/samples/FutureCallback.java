package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A future and a coroutine meet: {@code slowOperation} resolves a future after a second, and a
 * done callback on the future prints the result and stops the loop. Then the same with a {@link
 * Task}: the coroutine just returns its result, and the task (itself a future) carries it to the
 * callback.
 */
public final class FutureCallback implements Sample {
    @Override
    public String name() {
        return "future-callback";
    }

    @Override
    public String description() {
        return "slowOperation() resolves a future whose done callback stops the loop; then the same as a Task";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Duration delay = Delays.fromArgs(args, Delays.ONE_SECOND);
        EventLoop loop = new EventLoop();
        try {
            // The callback: its only argument is the resolved future.
            Consumer<LoopFuture<String>> gotResult = future -> {
                out.println(future.result());
                loop.stop();
            };

            out.println("-- a future, resolved by a coroutine:");
            LoopFuture<String> future = loop.createFuture();
            // Wrapped in a task, the coroutine is scheduled to run once the loop starts.
            loop.createTask(() -> slowOperation(future, delay));
            future.addDoneCallback(gotResult);
            loop.runForever(); // until gotResult calls loop.stop()

            out.println("-- a task, resolved by its coroutine's return value:");
            Task<String> task = loop.createTask(() -> slowOperation(delay));
            task.addDoneCallback(gotResult);
            loop.runForever();
        } finally {
            loop.close();
        }
    }

    /** Resolves {@code future} once its (simulated) non-blocking I/O is done. */
    static Void slowOperation(LoopFuture<String> future, Duration delay) {
        Async.sleep(delay);
        future.setResult("A result set by the slowOperation coroutine!");
        return null;
    }

    /** Returns its eventual result: the task wrapping it resolves itself with it. */
    static String slowOperation(Duration delay) {
        Async.sleep(delay);
        return "A return value from the slowOperation coroutine!";
    }
}
