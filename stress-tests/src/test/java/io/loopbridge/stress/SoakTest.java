package io.loopbridge.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.io.Server;
import io.loopbridge.io.StreamPair;
import io.loopbridge.io.StreamReader;
import io.loopbridge.io.StreamWriter;
import io.loopbridge.io.Streams;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.reactive.ReactiveFlow;
import io.loopbridge.reactor.ReactorBridge;
import io.loopbridge.rxjava.RxBridge;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.Task;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;

/**
 * The soak test: for {@code -Dloopbridge.soak.seconds} (10 in every {@code verify}, 600 with {@code
 * -Psoak}), rounds of subscribe/cancel cycles through every bridge adapter, and of TCP connections
 * opened, used and closed, against one loop running on its own thread. Each cycle subscribes from
 * the test thread, waits until the coroutine or generator behind the subscription is running, then
 * cancels from the test thread (the cross-thread path) and waits until its {@code finally} ran. The
 * first round warms up; after it, and at the end, heap after GC, the JVM's thread count and the
 * loop's live tasks are measured: they must stay flat, and no error may reach anyone. Prints one
 * summary line (also written to {@code target/soak-summary.txt}).
 */
class SoakTest {
    static final long SECONDS = Long.getLong("loopbridge.soak.seconds", 10);
    /** Subscriptions open at once per adapter: enough to queue cancels behind each other. */
    static final int BATCH = 220;

    static final int CONNECTIONS_PER_ROUND = 300;
    static final String HOST = "127.0.0.1";

    final EventLoop loop = new EventLoop();
    final Thread loopThread = new Thread(loop::runForever, "soak-loop");
    final AtomicLong started = new AtomicLong();
    final AtomicLong ended = new AtomicLong();
    final AtomicLong itemsSent = new AtomicLong();
    final AtomicLong itemsSeen = new AtomicLong();
    final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    /** One way to subscribe through the bridge; returns how to cancel that subscription. */
    interface Adapter {
        Runnable subscribe();
    }

    record Named(String name, Adapter adapter) {}

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(10_000);
        loop.close();
        RxJavaPlugins.reset();
    }

    @Test
    void subscribeCancelCyclesAndConnectionsLeaveNothingBehind() throws Exception {
        loopThread.setDaemon(true);
        loopThread.start();
        loop.callSoonThreadsafe(() -> loop.setExceptionHandler((l, context) -> {
            Object e = context.get("exception");
            errors.add(e instanceof Throwable ? (Throwable) e : new AssertionError(String.valueOf(context)));
        }));
        RxJavaPlugins.setErrorHandler(errors::add);
        Server server = onLoop(() -> Streams.startServer(SoakTest::echoLine, HOST, 0));
        int port = onLoop(() -> server.sockets().get(0).getPort());

        List<Named> adapters = adapters();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        long cycles = 0;
        long connections = 0;
        long rounds = 0;
        Snapshot before = null;
        do {
            for (Named a : adapters) {
                cycle(a);
                cycles += BATCH;
            }
            connect(port, CONNECTIONS_PER_ROUND);
            connections += CONNECTIONS_PER_ROUND;
            if (++rounds == 1) {
                before = snapshot(); // after the warm-up round: classes loaded, pools filled
            }
        } while (System.nanoTime() < deadline);
        Snapshot after = snapshot();
        onLoop(() -> {
            server.close();
            return null;
        });

        String summary = String.format(
                Locale.ROOT,
                "soak: %d s, %d rounds, %,d subscribe/cancel cycles through %d adapters, %,d connections opened"
                        + " and closed, items lost 0 of %,d, errors %d; heap after GC %.1f -> %.1f MiB, threads %d -> %d,"
                        + " live tasks %d -> %d (JDK %s, %s engine)",
                SECONDS,
                rounds,
                cycles,
                adapters.size(),
                connections,
                itemsSent.get(),
                errors.size(),
                before.heapMiB,
                after.heapMiB,
                before.threads,
                after.threads,
                before.tasks,
                after.tasks,
                Runtime.version().feature(),
                loop.engine());
        System.out.println(summary);
        Files.writeString(Path.of("target", "soak-summary.txt"), summary + System.lineSeparator());

        assertThat(errors).as("errors reported to the loop or RxJava").isEmpty();
        assertThat(itemsSeen.get()).as("items delivered").isEqualTo(itemsSent.get());
        assertThat(started.get()).as("every body that started ran its finally").isEqualTo(ended.get());
        assertThat(after.tasks).as("live tasks").isZero();
        assertThat(after.threads).as("threads").isLessThanOrEqualTo(before.threads + 2);
        assertThat(after.heapMiB).as("heap after GC, MiB").isLessThan(before.heapMiB + 32);
    }

    /** Every publisher the bridges build from coroutines and generators, and both iterate directions. */
    List<Named> adapters() {
        List<Named> all = new ArrayList<>();
        all.add(new Named("Reactive.publisher", () -> rs(Reactive.publisher(loop, this::oneThenForever))));
        all.add(new Named("Reactive.fromCoroutine", () -> rs(Reactive.fromCoroutine(loop, this::forever))));
        all.add(new Named(
                "ReactiveFlow.publisher",
                () -> rs(FlowAdapters.toPublisher(ReactiveFlow.publisher(loop, this::oneThenForever)))));
        all.add(new Named("ReactiveFlow.fromCoroutine", () -> flow(ReactiveFlow.fromCoroutine(loop, this::forever))));
        all.add(new Named(
                "ReactorBridge.mono",
                () -> ReactorBridge.mono(loop, this::forever).subscribe()::dispose));
        all.add(new Named(
                "ReactorBridge.flux",
                () -> ReactorBridge.flux(loop, this::oneThenForever).subscribe(this::seen)::dispose));
        all.add(new Named(
                "RxBridge.single", () -> RxBridge.single(loop, this::forever).subscribe()::dispose));
        all.add(new Named(
                "RxBridge.maybe", () -> RxBridge.maybe(loop, this::forever).subscribe()::dispose));
        all.add(new Named(
                "RxBridge.completable",
                () -> RxBridge.completable(loop, this::forever).subscribe()::dispose));
        all.add(new Named(
                "RxBridge.flowable",
                () -> RxBridge.flowable(loop, this::oneThenForever).subscribe(this::seen)::dispose));
        all.add(new Named(
                "RxBridge.observable",
                () -> RxBridge.observable(loop, this::oneThenForever).subscribe(this::seen)::dispose));
        // the other direction: a coroutine iterating an upstream, cancelled while it waits for the next item
        all.add(new Named(
                "ReactorBridge.iterate",
                () -> iterating(() -> ReactorBridge.iterate(
                        Flux.<Integer>never().startWith(1).doOnCancel(ended::incrementAndGet), 16))));
        all.add(new Named(
                "RxBridge.iterate",
                () -> iterating(() -> RxBridge.iterate(
                        Flowable.<Integer>never().startWithItem(1).doOnCancel(ended::incrementAndGet), 16))));
        return all;
    }

    /** A coroutine that runs until cancelled. */
    Integer forever() {
        started.incrementAndGet();
        try {
            Async.sleep(Duration.ofDays(1));
            return 1;
        } finally {
            ended.incrementAndGet();
        }
    }

    /** A generator that yields one item, then waits until cancelled. */
    void oneThenForever(io.loopbridge.gen.AsyncYielder<Integer, Void> y) {
        started.incrementAndGet();
        try {
            itemsSent.incrementAndGet();
            y.yield(1);
            Async.sleep(Duration.ofDays(1));
        } finally {
            ended.incrementAndGet();
        }
    }

    void seen(Object item) {
        itemsSeen.incrementAndGet();
    }

    /** A coroutine iterating what {@code open} subscribes to; cancelling the task closes the iteration. */
    Runnable iterating(Supplier<LoopSubscriber<Integer>> open) {
        CompletableFuture<Task<Void>> task = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> task.complete(loop.createTask(() -> {
            try (LoopSubscriber<Integer> items = open.get()) {
                for (Integer item : items) {
                    itemsSeen.incrementAndGet();
                    itemsSent.incrementAndGet(); // upstream items are counted where they arrive
                    started.incrementAndGet();
                }
            }
            return null;
        })));
        return () -> loop.callSoonThreadsafe(() -> task.join().cancel());
    }

    /** Subscribes with a plain Reactive Streams subscriber that requests one item. */
    Runnable rs(Publisher<Integer> publisher) {
        Subscription[] held = new Subscription[1];
        CompletableFuture<Subscription> subscribed = new CompletableFuture<>();
        publisher.subscribe(new Subscriber<Integer>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(1);
                subscribed.complete(s);
            }

            @Override
            public void onNext(Integer item) {
                seen(item);
            }

            @Override
            public void onError(Throwable t) {
                errors.add(t);
            }

            @Override
            public void onComplete() {}
        });
        return () -> subscribed.join().cancel();
    }

    Runnable flow(Flow.Publisher<Integer> publisher) {
        return rs(FlowAdapters.toPublisher(publisher));
    }

    /** Opens BATCH subscriptions, waits until all bodies run, cancels them all, waits for every finally. */
    void cycle(Named a) {
        long s0 = started.get();
        long e0 = ended.get();
        long seen0 = itemsSeen.get();
        long sent0 = itemsSent.get();
        List<Runnable> cancels = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            cancels.add(a.adapter.subscribe());
        }
        awaitUntil(a.name + ": bodies started", () -> started.get() - s0 == BATCH);
        // a one-item stream has delivered its item before cancel, so nothing is in flight
        awaitUntil(a.name + ": items delivered", () -> itemsSeen.get() - seen0 == itemsSent.get() - sent0);
        cancels.forEach(Runnable::run);
        awaitUntil(a.name + ": finally blocks run after cancel", () -> ended.get() - e0 == BATCH);
    }

    void connect(int port, int n) throws Exception {
        onLoop(() -> {
            List<Task<Void>> clients = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                clients.add(Async.createTask(() -> {
                    StreamPair c = Streams.openConnection(HOST, port);
                    c.writer().write(("hello " + id + "\n").getBytes(StandardCharsets.US_ASCII));
                    String back = new String(c.reader().readline(), StandardCharsets.US_ASCII);
                    if (!back.equals("hello " + id + "\n")) {
                        throw new AssertionError("echo mixed up: " + back);
                    }
                    c.writer().close();
                    c.writer().waitClosed();
                    return null;
                }));
            }
            Async.await(Async.gather(clients));
            return null;
        });
    }

    static void echoLine(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            writer.write(reader.readline());
            writer.drain();
        } finally {
            writer.close();
        }
    }

    record Snapshot(double heapMiB, int threads, int tasks) {}

    Snapshot snapshot() throws Exception {
        int threads = Integer.MAX_VALUE;
        long heap = Long.MAX_VALUE;
        // threads end a little after their last finally, and an idle pool thread of the loop (threads
        // engine) after 2 s: the smallest of the samples over 3 s is the settled figure
        for (int i = 0; i < 30; i++) {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            heap = Math.min(
                    heap,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            threads = Math.min(threads, ManagementFactory.getThreadMXBean().getThreadCount());
        }
        CompletableFuture<Integer> tasks = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> tasks.complete(loop.allTasks().size()));
        return new Snapshot(heap / (1024.0 * 1024.0), threads, tasks.get(10, TimeUnit.SECONDS));
    }

    /** Runs {@code coroutine} as a task on the soak loop and waits for its result. */
    <T> T onLoop(Coroutine<T> coroutine) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> loop.createTask(coroutine)
                .toCompletableFuture()
                .whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                }));
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException) {
                throw new UncheckedIOException((IOException) e.getCause());
            }
            throw e;
        }
    }

    void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within 60 s (started " + started + ", ended " + ended
                        + ", items sent " + itemsSent + ", seen " + itemsSeen + ", errors " + errors + ")");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
