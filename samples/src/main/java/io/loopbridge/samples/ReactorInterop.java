package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.context.ContextVar;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactor.ReactorBridge;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Coroutines and Reactor calling each other: a {@code Flux} pipeline that runs a coroutine per
 * item ({@code mapAsync}), a coroutine that iterates a {@code Flux} with backpressure, a request id
 * that travels from the Reactor context into a coroutine and back ({@code bind} + {@link
 * ContextVar}), and {@code publishOn} the loop's scheduler to bring a pipeline onto the loop.
 */
public final class ReactorInterop implements Sample {
    static final ContextVar<String> REQUEST_ID = ContextVar.withDefault("requestId", "none");

    @Override
    public String name() {
        return "reactor-interop";
    }

    @Override
    public String description() {
        return "Flux calling coroutines (mapAsync), a coroutine iterating a Flux, context propagation, publishOn the loop";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Duration step = Delays.fromArgs(args, Duration.ofMillis(30));
        ReactorBridge.bind(REQUEST_ID, "requestId");
        Async.run(() -> {
            EventLoop loop = Async.loop();
            mapAsync(loop, step, out);
            iterate(out);
            context(loop, step, out);
            publishOn(loop, out);
            return null;
        });
    }

    /** A coroutine per item, three at a time; results leave in upstream order. */
    static void mapAsync(EventLoop loop, Duration step, PrintStream out) {
        out.println("-- Flux -> coroutines: mapAsync runs a coroutine per item, at most 3 at a time:");
        int[] inFlight = {0};
        int[] maxInFlight = {0};
        List<Integer> finished = new ArrayList<>();
        List<Integer> squares = ReactorBridge.await(Flux.range(1, 6)
                .transform(ReactorBridge.mapAsync(loop, 3, n -> {
                    inFlight[0]++;
                    maxInFlight[0] = Math.max(maxInFlight[0], inFlight[0]);
                    Async.sleep(step.multipliedBy(7 - n)); // later items finish sooner
                    inFlight[0]--;
                    finished.add(n);
                    return n * n;
                }))
                .collectList());
        out.println("squares " + squares + " (in upstream order)");
        out.println("first coroutine to finish: item " + finished.get(0) + "; most at once: " + maxInFlight[0]);
    }

    /** A for-each over a Flux inside a coroutine: 4 items requested ahead, 3 more as 3 are read. */
    static void iterate(PrintStream out) {
        out.println("-- coroutine -> Flux: ReactorBridge.iterate(flux, 4), break after 6 items:");
        List<Long> requests = new ArrayList<>();
        boolean[] cancelled = {false};
        // hide(): a source that cannot be fused, as most I/O sources; a fusable Flux.range would be
        // polled by the for-each directly, with no request at all
        Flux<Integer> numbers =
                Flux.range(1, 1_000_000).hide().doOnRequest(requests::add).doOnCancel(() -> cancelled[0] = true);
        List<Integer> read = new ArrayList<>();
        try (LoopSubscriber<Integer> items = ReactorBridge.iterate(numbers, 4)) {
            for (int n : items) {
                read.add(n);
                if (n == 6) {
                    break; // closing the subscriber cancels the upstream
                }
            }
        }
        out.println("read " + read + "; requests upstream saw: " + requests + "; cancelled: " + cancelled[0]);
    }

    /** A bound ContextVar: Reactor context -> coroutine, and coroutine -> Reactor context. */
    static void context(EventLoop loop, Duration step, PrintStream out) {
        out.println("-- context: a ContextVar bound to the Reactor context key \"requestId\":");
        Mono<String> handler = ReactorBridge.mono(loop, () -> {
            Async.sleep(step);
            return "the coroutine sees requestId=" + REQUEST_ID.get();
        });
        out.println(ReactorBridge.await(handler.contextWrite(Context.of("requestId", "r-42"))));

        REQUEST_ID.set("r-7");
        Mono<String> downstream = Mono.deferContextual(
                view -> Mono.just("the Mono it awaits sees requestId=" + view.getOrDefault("requestId", "none")));
        out.println(ReactorBridge.await(downstream));
    }

    /** Values produced on a Reactor thread, consumed on the loop: loop-owned state needs no lock. */
    static void publishOn(EventLoop loop, PrintStream out) {
        out.println("-- publishOn(ReactorBridge.scheduler(loop)): from a Reactor thread onto the loop:");
        Scheduler onLoop = ReactorBridge.scheduler(loop);
        boolean[] producedOffLoop = {true};
        boolean[] consumedOnLoop = {true};
        int[] sum = {0}; // owned by the loop
        try {
            ReactorBridge.await(Flux.range(1, 5)
                    .subscribeOn(Schedulers.parallel())
                    .map(n -> {
                        producedOffLoop[0] &= !loop.inLoop();
                        return n * 10;
                    })
                    .publishOn(onLoop)
                    .doOnNext(n -> {
                        consumedOnLoop[0] &= loop.inLoop();
                        sum[0] += n;
                    })
                    .then());
        } finally {
            onLoop.dispose();
        }
        out.println("produced off the loop: " + producedOffLoop[0] + "; consumed on the loop: " + consumedOnLoop[0]
                + "; sum " + sum[0]);
    }
}
