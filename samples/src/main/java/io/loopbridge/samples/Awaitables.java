package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.Generator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * What a coroutine can wait for, and where the chain of awaits ends: another coroutine, the loop
 * itself ({@code Async.sleep(Duration.ZERO)}, asyncio's {@code sleep(0)}), and a future. The
 * future is shown twice: first a hand-made one awaited by a coroutine that is driven by hand (a
 * generator, as in Python before the event loop), then a {@link LoopFuture} resolved by a
 * callback while the event loop drives the coroutine.
 */
public final class Awaitables implements Sample {
    @Override
    public String name() {
        return "awaitables";
    }

    @Override
    public String description() {
        return "awaiting a coroutine, sleep(0), and a future: hand-driven, then driven by the event loop";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Duration delay = Delays.fromArgs(args, Delays.ONE_SECOND);
        Async.run(() -> {
            out.println("-- awaiting a coroutine runs it inside the awaiting task:");
            String answer = coroutine(delay, out);
            out.println("main got: " + answer);

            out.println("-- Async.sleep(Duration.ZERO) hands control to the loop once (asyncio's sleep(0)):");
            var a = Async.createTask(() -> takeTurns("A", out));
            var b = Async.createTask(() -> takeTurns("B", out));
            Async.await(Async.gather(a, b));
            return null;
        });

        out.println("-- a hand-made future, awaited by a coroutine that is driven by hand:");
        SimpleFuture<Integer> future = new SimpleFuture<>();
        Generator<Void, Void, Integer> coro = waitingCoroutine(future);
        out.println("next() -> " + coro.next() + "   (suspended in the await: the future is pending)");
        future.done(25);
        out.println("future.done(25)");
        try {
            coro.next();
        } catch (NoSuchElementException stop) {
            out.println("next() -> NoSuchElementException (Python's StopIteration); result() = " + coro.result());
        }

        out.println("-- the same with a LoopFuture: the event loop drives the coroutine, a callback resolves it:");
        int result = Async.run(() -> {
            LoopFuture<Integer> f = Async.loop().createFuture();
            Async.loop().callLater(delay, () -> {
                out.println("callback: resolving the future with 25");
                f.setResult(25);
            });
            out.println("coroutine: awaiting the future ...");
            return Async.await(f);
        });
        out.println("Async.run returned " + result);
    }

    /** A coroutine that awaits another one ({@link Async#sleep}) and returns a value. */
    static String coroutine(Duration delay, PrintStream out) {
        out.println("coroutine: sleeping ...");
        Async.sleep(delay);
        out.println("coroutine: awake again");
        return "done sleeping";
    }

    static Void takeTurns(String name, PrintStream out) {
        for (int step = 1; step <= 3; step++) {
            out.println(name + " step " + step);
            Async.sleep(Duration.ZERO);
        }
        return null;
    }

    /** Awaits {@code future} the way Python's {@code await} does: by delegating to its waiting generator. */
    static Generator<Void, Void, Integer> waitingCoroutine(SimpleFuture<Integer> future) {
        return Generator.of(y -> {
            Integer data = null;
            while (data == null) {
                data = y.yieldFrom(future.awaiting());
            }
            return data;
        });
    }

    /**
     * A future-like object as in the text: pending until {@link #done} gives it a result. Awaiting
     * it runs {@link #awaiting()}: a generator that yields (gives control back) while the future
     * is pending and returns the result once it is there — Python's {@code __await__}.
     */
    static final class SimpleFuture<T> {
        private boolean done;
        private T result;

        Generator<Void, Void, T> awaiting() {
            return Generator.of(y -> {
                if (!done) {
                    y.yield(null);
                }
                return result;
            });
        }

        void done(T value) {
            result = value;
            done = true;
        }
    }
}
