package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.rxjava.LoopObserver;
import io.loopbridge.rxjava.RxBridge;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.exceptions.MissingBackpressureException;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The RxJava mirror of {@code reactor-interop}: a {@code Flowable} pipeline that runs a coroutine
 * per item ({@code mapAsync}), a coroutine that iterates a {@code Flowable} with backpressure, a
 * coroutine awaiting a {@code Single}, a {@code Maybe} and a {@code Completable}, {@code observeOn}
 * the loop's scheduler, and an {@code Observable} (no backpressure) read through a bounded buffer.
 */
public final class RxJavaInterop implements Sample {
    @Override
    public String name() {
        return "rxjava-interop";
    }

    @Override
    public String description() {
        return "Flowable calling coroutines (mapAsync), a coroutine iterating a Flowable/Observable, "
                + "awaiting Single/Maybe/Completable, observeOn the loop";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Duration step = Delays.fromArgs(args, Duration.ofMillis(30));
        Async.run(() -> {
            EventLoop loop = Async.loop();
            mapAsync(loop, step, out);
            iterate(out);
            awaitSources(loop, step, out);
            observeOn(loop, out);
            observable(step, out);
            return null;
        });
    }

    /** A coroutine per item, three at a time; results leave in upstream order. */
    static void mapAsync(EventLoop loop, Duration step, PrintStream out) {
        out.println("-- Flowable -> coroutines: mapAsync runs a coroutine per item, at most 3 at a time:");
        int[] inFlight = {0};
        int[] maxInFlight = {0};
        List<Integer> finished = new ArrayList<>();
        List<Integer> squares = RxBridge.await(Flowable.range(1, 6)
                .compose(RxBridge.<Integer, Integer>mapAsync(loop, 3, n -> {
                    inFlight[0]++;
                    maxInFlight[0] = Math.max(maxInFlight[0], inFlight[0]);
                    Async.sleep(step.multipliedBy(7 - n)); // later items finish sooner
                    inFlight[0]--;
                    finished.add(n);
                    return n * n;
                }))
                .toList());
        out.println("squares " + squares + " (in upstream order)");
        out.println("first coroutine to finish: item " + finished.get(0) + "; most at once: " + maxInFlight[0]);
    }

    /** A for-each over a Flowable inside a coroutine: 4 items requested ahead, 3 more as 3 are read. */
    static void iterate(PrintStream out) {
        out.println("-- coroutine -> Flowable: RxBridge.iterate(flowable, 4), break after 6 items:");
        List<Long> requests = new ArrayList<>();
        boolean[] cancelled = {false};
        Flowable<Integer> numbers =
                Flowable.range(1, 1_000_000).doOnRequest(requests::add).doOnCancel(() -> cancelled[0] = true);
        List<Integer> read = new ArrayList<>();
        try (LoopSubscriber<Integer> items = RxBridge.iterate(numbers, 4)) {
            for (int n : items) {
                read.add(n);
                if (n == 6) {
                    break; // closing the subscriber cancels the upstream
                }
            }
        }
        out.println("read " + read + "; requests upstream saw: " + requests + "; cancelled: " + cancelled[0]);
    }

    /**
     * Single, Maybe and Completable awaited like futures: the coroutine suspends (the loop stays
     * free), and resumes on the loop even when the source signals on an RxJava thread.
     */
    static void awaitSources(EventLoop loop, Duration step, PrintStream out) {
        out.println("-- coroutine -> Single/Maybe/Completable: RxBridge.await suspends, resumes on the loop:");
        boolean offLoop =
                RxBridge.await(Single.fromCallable(() -> !loop.inLoop()).subscribeOn(Schedulers.computation()));
        out.println(
                "Single: computed off the loop: " + offLoop + "; the coroutine resumed on the loop: " + loop.inLoop());

        Integer found = RxBridge.await(Maybe.just(42).delay(step.toMillis(), TimeUnit.MILLISECONDS));
        Integer missing = RxBridge.await(Maybe.<Integer>empty());
        out.println("Maybe: " + found + ", then an empty Maybe gives " + missing);

        RxBridge.await(Completable.timer(step.toMillis(), TimeUnit.MILLISECONDS));
        out.println("Completable: timer done; resumed on the loop: " + loop.inLoop());

        try {
            RxBridge.await(Single.error(new IllegalStateException("inventory service unavailable")));
        } catch (IllegalStateException e) {
            out.println("a failing Single is rethrown: " + e.getMessage());
        }
    }

    /** Values produced on an RxJava thread, consumed on the loop: loop-owned state needs no lock. */
    static void observeOn(EventLoop loop, PrintStream out) {
        out.println("-- observeOn(RxBridge.scheduler(loop)): from an RxJava thread onto the loop:");
        Scheduler onLoop = RxBridge.scheduler(loop);
        boolean[] producedOffLoop = {true};
        boolean[] consumedOnLoop = {true};
        int[] sum = {0}; // owned by the loop
        try {
            RxBridge.await(Flowable.range(1, 5)
                    .subscribeOn(Schedulers.computation())
                    .map(n -> {
                        producedOffLoop[0] &= !loop.inLoop();
                        return n * 10;
                    })
                    .observeOn(onLoop)
                    .doOnNext(n -> {
                        consumedOnLoop[0] &= loop.inLoop();
                        sum[0] += n;
                    })
                    .ignoreElements());
        } finally {
            onLoop.shutdown();
        }
        out.println("produced off the loop: " + producedOffLoop[0] + "; consumed on the loop: " + consumedOnLoop[0]
                + "; sum " + sum[0]);
    }

    /**
     * An Observable cannot be slowed down, so its items wait for the coroutine in a bounded buffer:
     * a paced source fits, a source that floods the buffer fails loudly instead of losing items.
     */
    static void observable(Duration step, PrintStream out) {
        out.println("-- coroutine -> Observable: RxBridge.iterate(observable, bufferSize):");
        List<Long> ticks = new ArrayList<>();
        try (LoopObserver<Long> items =
                RxBridge.iterate(Observable.intervalRange(1, 5, 0, step.toMillis() / 3, TimeUnit.MILLISECONDS), 4)) {
            for (long t : items) {
                ticks.add(t);
            }
        }
        out.println("ticks " + ticks + " through a buffer of 4");

        boolean[] disposed = {false};
        Observable<Integer> flood = Observable.range(1, 100).doOnDispose(() -> disposed[0] = true);
        List<Integer> read = new ArrayList<>();
        try (LoopObserver<Integer> items = RxBridge.iterate(flood, 16)) {
            for (int n : items) {
                read.add(n);
            }
        } catch (MissingBackpressureException e) {
            out.println("range(1, 100) into a buffer of 16: read " + read.size() + " items (" + read.get(0) + ".."
                    + read.get(read.size() - 1) + "), then " + e.getClass().getSimpleName()
                    + "; upstream disposed: " + disposed[0]);
        }
    }
}
