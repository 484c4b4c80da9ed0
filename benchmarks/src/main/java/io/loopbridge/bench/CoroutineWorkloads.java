package io.loopbridge.bench;

import io.loopbridge.Async;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.gen.Generator;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The coroutine workloads shared by the ratio driver ({@code *VsPython} comparisons) and the JMH
 * benchmarks. Each runs inside a coroutine (a task of a running loop, whose engine decides how it
 * suspends) and does {@code n} ops; {@code benchmarks/python/coroutines.py} does the same with
 * asyncio and CPython generators.
 */
final class CoroutineWorkloads {
    private CoroutineWorkloads() {}

    private static final Duration ZERO = Duration.ZERO;
    private static final Coroutine<Object> RETURN_AT_ONCE = () -> null;

    /** {@code n} times {@code Async.sleep(0)}: a round trip through the loop each (asyncio's {@code await sleep(0)}). */
    static void sleepZero(int n) {
        for (int i = 0; i < n; i++) {
            Async.sleep(ZERO);
        }
    }

    /**
     * Two tasks take turns, each doing {@code Async.sleep(0)} {@code n / 2} times: every step
     * switches from one task to the other through the loop (a lone task's step may not even
     * leave its thread).
     */
    static void sleepZeroTakingTurns(int n) {
        Task<Object> a = Async.createTask(() -> {
            sleepZero(n / 2);
            return null;
        });
        Task<Object> b = Async.createTask(() -> {
            sleepZero(n / 2);
            return null;
        });
        Async.await(a);
        Async.await(b);
    }

    /** Creates {@code n} tasks that return at once and gathers them (asyncio's {@code create_task} + {@code gather}). */
    static int createAndGather(int n) {
        List<Task<Object>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(Async.createTask(RETURN_AT_ONCE));
        }
        return Async.await(Async.gather(tasks)).size();
    }

    /** A generator yielding {@code 0..n-1}; its fiber runs on the running loop's engine. */
    static Generator<Integer, Void, Void> numbers(int n) {
        return Generator.of(y -> {
            for (int i = 0; i < n; i++) {
                y.yield(i);
            }
            return null;
        });
    }

    /** An async generator yielding {@code 0..n-1} without awaiting in between. */
    static AsyncGenerator<Integer, Void> asyncNumbers(int n) {
        return AsyncGenerator.of(y -> {
            for (int i = 0; i < n; i++) {
                y.yield(i);
            }
        });
    }

    /** Sums a generator of {@code n} values with a for-each loop: {@code hasNext}/{@code next}, one switch per value. */
    static long generatorNext(int n) {
        long sum = 0;
        for (int v : numbers(n)) {
            sum += v;
        }
        return sum;
    }

    /**
     * A generator yielding {@code 0..n-1} like {@link #numbers}, from a body of its own: only
     * {@link #generatorForEach} drains it, so its JIT profile is that of a body nobody steps with
     * {@code next()}, as in a JMH fork of its own.
     */
    static Generator<Integer, Void, Void> drainedNumbers(int n) {
        return Generator.of(y -> {
            for (int i = 0; i < n; i++) {
                y.yield(i);
            }
            return null;
        });
    }

    /**
     * Sums a generator of {@code n} values with {@code forEachRemaining}: the consumer runs on the
     * generator's fiber. How fast depends on the JIT profile of the body's {@code yield()} call:
     * drained only, escape analysis drops the boxing (under 1 ns per item); a body that is also
     * stepped with {@code next()} somewhere (the same lambda as {@link #numbers}) boxes each value,
     * 3-5 ns per item. The bench measures the first, with {@link #drainedNumbers}.
     */
    static long generatorForEach(int n) {
        long[] sum = {0};
        drainedNumbers(n).forEachRemaining(v -> sum[0] += v);
        return sum[0];
    }

    /** Sums an async generator of {@code n} values with a for-each loop in the calling coroutine (Python's {@code async for}). */
    static long asyncGeneratorFor(int n) {
        long sum = 0;
        for (int v : asyncNumbers(n)) {
            sum += v;
        }
        return sum;
    }
}
