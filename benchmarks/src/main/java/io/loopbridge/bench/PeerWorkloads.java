package io.loopbridge.bench;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Workloads of the callback baseline ({@code CompletableFuture} chains against a coroutine awaiting
 * the same steps) and of {@code Flux.create}, shared by the ratio driver and the JMH classes {@code
 * ChainBenchmark} and {@code PeerBaselineBenchmark}.
 */
final class PeerWorkloads {
    private PeerWorkloads() {}

    private static final Function<Integer, CompletableFuture<Integer>> NEXT_DONE =
            x -> CompletableFuture.completedFuture(x + 1);

    // ---------------------------------------------------------------- steps already done

    /** {@code n} {@code thenCompose} steps, each returning a completed future of {@code x + 1}; the result ({@code n}). */
    static int completableFutureChain(int n) {
        CompletableFuture<Integer> f = CompletableFuture.completedFuture(0);
        for (int i = 0; i < n; i++) {
            f = f.thenCompose(NEXT_DONE);
        }
        return f.join();
    }

    /** Inside a coroutine: {@code n} awaits of a loop future already holding {@code x + 1}; the result ({@code n}). */
    static int awaitChain(int n) {
        EventLoop loop = Async.loop();
        int x = 0;
        for (int i = 0; i < n; i++) {
            LoopFuture<Integer> step = loop.createFuture();
            step.setResult(x + 1);
            x = Async.await(step);
        }
        return x;
    }

    // ---------------------------------------------------------------- steps completed by a later callback

    /**
     * {@code n} {@code thenComposeAsync} steps on an executor that queues to the calling thread,
     * which then drains it, as an event loop would: every step is one queued callback.
     */
    static int completableFutureChainAsync(int n) {
        ArrayDeque<Runnable> queue = new ArrayDeque<>();
        Executor loopLike = queue::add;
        CompletableFuture<Integer> start = new CompletableFuture<>();
        CompletableFuture<Integer> f = start;
        for (int i = 0; i < n; i++) {
            f = f.thenComposeAsync(NEXT_DONE, loopLike);
        }
        start.complete(0);
        Runnable r;
        while ((r = queue.poll()) != null) {
            r.run();
        }
        return f.join();
    }

    /**
     * Inside a coroutine: {@code n} awaits of a loop future that a {@code callSoon} callback
     * completes with {@code x + 1}: every step suspends and is resumed by the loop.
     */
    static int awaitChainHop(int n) {
        EventLoop loop = Async.loop();
        int x = 0;
        for (int i = 0; i < n; i++) {
            LoopFuture<Integer> step = loop.createFuture();
            int next = x + 1;
            loop.callSoon(() -> step.setResult(next));
            x = Async.await(step);
        }
        return x;
    }

    // ---------------------------------------------------------------- Flux.create

    /**
     * {@code Flux.create} emitting {@code 0..n-1} only while the subscriber has demand: the
     * emitter runs on a request (and once at subscribe), and a request made from inside {@code
     * onNext} only adds demand for the running emitter (no recursion).
     */
    static Flux<Integer> createNumbers(int n) {
        return Flux.create(sink -> {
            int[] next = {0};
            boolean[] emitting = {false};
            Runnable emit = () -> {
                if (emitting[0] || next[0] > n) {
                    return;
                }
                emitting[0] = true;
                int i = next[0];
                while (i < n && sink.requestedFromDownstream() > 0) {
                    sink.next(i++);
                }
                next[0] = i;
                emitting[0] = false;
                if (i == n) {
                    next[0] = n + 1;
                    sink.complete();
                }
            };
            sink.onRequest(r -> emit.run());
            emit.run();
        });
    }
}
