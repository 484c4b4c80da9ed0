package io.loopbridge.faults;

import static io.loopbridge.faults.Faults.eventually;
import static io.loopbridge.faults.Faults.exceptions;
import static io.loopbridge.faults.Faults.reportsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.faults.Faults.Boom;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.sync.AsyncLock;
import io.loopbridge.sync.AsyncSemaphore;
import io.loopbridge.sync.Permit;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The loop goes away while thousands of tasks and subscriptions are live: tasks asleep, waiting
 * for a lock or a semaphore or holding one, iterating a publisher of the loop or one that signals
 * from Reactor's threads, mapping items, waiting for the default executor. Both ways a loop ends:
 * {@code Async.run} returning (it cancels what is left, then closes) and a bare {@code close()}
 * after {@code stop()}. Afterwards no task is live, no thread of ours is left, every subscription
 * to a foreign publisher is cancelled, and every exception is reported.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class LoopClosedUnderLoadTest {
    static final int EACH = 300; // of each of the kinds below: 2,100 tasks, 600 of them subscribed
    static final Duration FOREVER = Duration.ofHours(1);

    /** What the load did, counted from every thread. */
    static final class Load {
        final AtomicInteger finallies = new AtomicInteger();
        final AtomicInteger publisherBodiesEnded = new AtomicInteger();
        final AtomicInteger foreignCancels = new AtomicInteger();
        final AtomicInteger generatorsEnded = new AtomicInteger();
        final AtomicInteger generatorsStarted = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final AsyncLock lock = new AsyncLock();
        final AsyncSemaphore semaphore = new AsyncSemaphore(EACH / 2);
        final List<Task<?>> tasks = new ArrayList<>();
        /**
         * Held as a program that iterates them would: the loop tracks its generators weakly (as
         * asyncio), and one nobody holds may be collected before the close could unwind it.
         */
        final List<AsyncGenerator<?, ?>> generators = new ArrayList<>();

        final Boom boom = new Boom("a finally while the loop goes away");

        /** Starts the load on the running loop: {@code 7 * EACH} tasks. */
        void start(EventLoop loop) {
            Publisher<Integer> ofTheLoop = Reactive.publisher(loop, y -> {
                try {
                    for (int i = 0; ; i++) {
                        y.yield(i);
                    }
                } finally {
                    publisherBodiesEnded.incrementAndGet();
                }
            });
            Flux<Long> foreign = Flux.interval(Duration.ofMillis(1))
                    .onBackpressureDrop()
                    .doOnCancel(foreignCancels::incrementAndGet);
            for (int i = 0; i < EACH; i++) {
                add(loop, () -> {
                    Async.sleep(FOREVER);
                    return null;
                });
                add(loop, () -> {
                    try (Permit p = lock.acquire()) { // one holds it, the others wait
                        Async.sleep(FOREVER);
                        return null;
                    }
                });
                add(loop, () -> {
                    try (Permit p = semaphore.acquire()) { // half hold a permit, half wait
                        Async.sleep(FOREVER);
                        return null;
                    }
                });
                add(loop, () -> {
                    try (LoopSubscriber<Integer> items = Reactive.iterate(ofTheLoop, 8)) {
                        for (int item : items) {
                            Async.sleep(FOREVER);
                        }
                        return null;
                    }
                });
                add(loop, () -> {
                    try (LoopSubscriber<Long> items = Reactive.iterate(foreign, 8)) {
                        for (long tick : items) {
                            Async.sleep(Duration.ofMillis(1));
                        }
                        return null;
                    }
                });
                add(
                        loop,
                        () -> Reactive.awaitLast(Reactive.mapAsync(Flux.range(0, 4), Async.loop(), 2, x -> {
                            Async.sleep(FOREVER);
                            return x;
                        })));
                add(
                        loop,
                        () -> Async.toThread(() -> {
                            Thread.sleep(20);
                            return null;
                        }));
            }
        }

        private void add(EventLoop loop, io.loopbridge.task.Coroutine<?> body) {
            tasks.add(loop.createTask(() -> {
                started.incrementAndGet();
                try {
                    return body.call();
                } finally {
                    finallies.incrementAndGet();
                }
            }));
        }

        int size() {
            return 7 * EACH;
        }
    }

    @AllEngines
    void asyncRunReturningCancelsThemAllAndReleasesEveryPermit(CoroutineEngine engine) {
        Load load = new Load();
        AtomicReference<List<Map<String, Object>>> reports = new AtomicReference<>();
        AtomicReference<EventLoop> theLoop = new AtomicReference<>();
        Async.run(engine, () -> {
            theLoop.set(Async.loop());
            reports.set(reportsOf(Async.loop()));
            load.start(Async.loop());
            eventually("every task started", () -> load.started.get() == load.size());
            Async.sleep(Duration.ofMillis(20)); // items flow, the executor works
            return null; // Async.run now cancels the 2,100 tasks and waits for them
        });

        assertThat(theLoop.get().isClosed()).isTrue();
        assertThat(theLoop.get().allTasks()).isEmpty();
        assertThat(load.tasks)
                .allSatisfy(t -> assertThat(t.isDone()).as("%s", t).isTrue());
        assertThat(load.finallies).as("every finally ran").hasValue(load.size());
        assertThat(load.lock.locked()).as("no permit of the lock left taken").isFalse();
        assertThat(load.semaphore.availablePermits())
                .as("no permit of the semaphore left taken")
                .isEqualTo(EACH / 2);
        assertThat(load.publisherBodiesEnded)
                .as("every subscription of the loop's publisher ended")
                .hasValue(EACH);
        assertThat(load.foreignCancels)
                .as("every subscription to the foreign publisher cancelled")
                .hasValue(EACH);
        assertThat(exceptions(reports.get())).as("nothing went wrong").isEmpty();
    }

    @AllEngines
    void aBareCloseUnwindsThemAllAndReportsWhatTheirFinallyThrows(CoroutineEngine engine) {
        Load load = new Load();
        EventLoop loop = new EventLoop(engine);
        List<Map<String, Object>> reports = reportsOf(loop);
        AtomicReference<Task<?>> stopper = new AtomicReference<>();
        loop.callSoon(() -> {
            load.start(loop);
            load.tasks.add(loop.createTask(() -> {
                try {
                    Async.sleep(FOREVER);
                    return null;
                } finally {
                    throw load.boom; // while the loop goes away: must not vanish
                }
            }));
            for (int i = 0; i < EACH; i++) {
                load.tasks.add(loop.createTask(
                        () -> { // leaves an async generator suspended at a yield
                            AsyncGenerator<Integer, Void> gen = AsyncGenerator.of(y -> {
                                try {
                                    load.generatorsStarted.incrementAndGet();
                                    y.yield(1);
                                    y.yield(2);
                                } finally {
                                    load.generatorsEnded.incrementAndGet();
                                }
                            });
                            load.generators.add(gen);
                            Async.await(gen.anext());
                            Async.sleep(FOREVER);
                            return null;
                        }));
            }
            stopper.set(loop.createTask(
                    () -> { // stops once everything waits where the test means it to
                        try {
                            eventually(
                                    "every task started and every generator reached its yield",
                                    () -> load.started.get() == load.size() && load.generatorsStarted.get() == EACH);
                            Async.sleep(Duration.ofMillis(20)); // items flow, the executor works
                            return null;
                        } finally {
                            loop.stop();
                        }
                    }));
        });
        loop.runForever();
        assertThat(stopper.get().exception()).as("the load got going").isNull();
        loop.close(); // no cancel first: the tasks are unwound where they wait

        assertThat(loop.allTasks()).isEmpty();
        assertThat(load.finallies).as("every finally ran").hasValue(load.size());
        assertThat(load.foreignCancels)
                .as("every subscription to the foreign publisher cancelled")
                .hasValue(EACH);
        assertThat(load.generatorsEnded)
                .as("every async generator left open was unwound")
                .hasValue(EACH);
        assertThat(exceptions(reports)).as("the finally that threw is reported").contains(load.boom);
    }
}
