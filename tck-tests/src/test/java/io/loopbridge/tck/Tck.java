package io.loopbridge.tck;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.LoopGroup;
import io.loopbridge.task.Task;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.TestEnvironment;

/**
 * What the TCK classes share: the event loop every publisher under test signals from, the TCK
 * timeouts, opaque Flow views, and the loop's health after a class.
 *
 * <p>The loop is one {@link LoopGroup} of size 1, started on first use and closed by {@link
 * TckSuiteListener} when the TestNG suite ends. Every error reported to its exception handler
 * (a subscriber that threw, a generator that failed after its subscriber left, ...) is kept and
 * fails the class that caused it ({@link TckAudited}).
 *
 * <p>The timeouts can be raised for a slow machine in the test JVM, e.g. {@code
 * -Dloopbridge.test.jvmArgs=-Dloopbridge.tck.timeoutMillis=1000}.
 */
final class Tck {
    /** Positive waits ("the element must arrive within"): a pass costs nothing, so be generous. */
    static final long TIMEOUT_MILLIS = Long.getLong("loopbridge.tck.timeoutMillis", 1000);
    /** Negative waits ("nothing more may arrive within"): every such check pays it in full. */
    static final long NO_SIGNALS_MILLIS = Long.getLong("loopbridge.tck.noSignalsMillis", 50);
    /**
     * How long a wait for {@code onError} sleeps before it looks. The TCK 1.0.4 looks once: its
     * {@code Receptacle.expectError} computes the time left as {@code =- elapsed} (a typo for
     * {@code -=}), so an error must arrive within this poll, not within the timeout. Hence the
     * full timeout, as the TCK's own two-argument {@code TestEnvironment} constructor uses.
     */
    static final long POLL_MILLIS = TIMEOUT_MILLIS;
    /** How long a publisher may keep a cancelled subscriber reachable (§3.13). */
    static final long GC_TIMEOUT_MILLIS = Long.getLong("loopbridge.tck.gcTimeoutMillis", 250);

    /** Why a TCK test named {@code untested_*} is skipped: the TCK has no check for that rule. */
    static final String UNTESTED = "the TCK has no check for this rule (notVerified())";

    private static final List<Map<String, Object>> REPORTED = new CopyOnWriteArrayList<>();
    private static final List<TckConsumer<?>> CONSUMERS = new CopyOnWriteArrayList<>();
    private static LoopGroup group; // guarded by Tck.class

    private Tck() {}

    /** The TCK loop: one loop on a daemon thread, shared by every class of the suite. */
    static synchronized EventLoop loop() {
        if (group == null) {
            LoopGroup g = new LoopGroup(1);
            EventLoop loop = g.next();
            call(loop, () -> {
                loop.setExceptionHandler((l, context) -> REPORTED.add(context));
                return null;
            });
            group = g;
            System.out.println("TCK loop " + loop + " on the " + loop.engine() + " coroutine engine, timeouts "
                    + TIMEOUT_MILLIS + " ms / no signals " + NO_SIGNALS_MILLIS + " ms");
        }
        return group.next();
    }

    /** Closes the TCK loop, if it was started; {@code false} if its thread did not end in time. */
    static synchronized boolean closeLoop() {
        LoopGroup g = group;
        group = null;
        return g == null || g.shutdownGracefully(Duration.ofSeconds(10));
    }

    /** A fresh TCK environment with this suite's timeouts. */
    static TestEnvironment env() {
        return new TestEnvironment(TIMEOUT_MILLIS, NO_SIGNALS_MILLIS, POLL_MILLIS);
    }

    /**
     * Runs {@code action} on {@code loop} and waits for its outcome; test threads only (the loop
     * must never wait for itself).
     */
    static <T> T call(EventLoop loop, Callable<T> action) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            try {
                outcome.complete(action.call());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        try {
            return outcome.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("failed on the TCK loop: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the TCK loop did not run a callback within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the TCK loop", e);
        }
    }

    // ---------------------------------------------------------------- Flow views

    /**
     * {@code publisher} behind a plain delegating {@link Flow.Publisher}. {@code ReactiveFlow}
     * returns {@link FlowAdapters} wrappers, and the Flow TCK turns a Flow publisher back into a
     * Reactive Streams one with {@link FlowAdapters#toPublisher}, which unwraps them: the Flow
     * flavour would then test the very Reactive Streams object again. Behind this view, every
     * signal crosses the {@code Flow} interfaces and both adapter directions.
     */
    static <T> Flow.Publisher<T> opaque(Flow.Publisher<T> publisher) {
        return new Flow.Publisher<>() {
            @Override
            public void subscribe(Flow.Subscriber<? super T> subscriber) {
                publisher.subscribe(subscriber);
            }

            @Override
            public String toString() {
                return publisher.toString();
            }
        };
    }

    /** {@code subscriber} behind a plain delegating {@link Flow.Subscriber}; see {@link #opaque(Flow.Publisher)}. */
    static <T> Flow.Subscriber<T> opaque(Flow.Subscriber<T> subscriber) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(T item) {
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }

            @Override
            public String toString() {
                return subscriber.toString();
            }
        };
    }

    // ---------------------------------------------------------------- consumers and loop health

    static void register(TckConsumer<?> consumer) {
        CONSUMERS.add(consumer);
    }

    /** Stops the consuming coroutines a test left running (a test may end mid-stream). */
    static void stopConsumers() {
        for (TckConsumer<?> c : CONSUMERS) {
            c.stop();
        }
        CONSUMERS.clear();
    }

    /**
     * What is wrong with the loop once a class is done: tasks still alive after {@code grace}
     * (a publisher whose task outlives its subscription leaks), and errors reported to the loop's
     * exception handler since the previous call.
     */
    static List<String> loopProblems(Duration grace) {
        List<String> problems = new ArrayList<>();
        long deadline = System.nanoTime() + grace.toNanos();
        String dump = liveTasks();
        while (dump != null && System.nanoTime() < deadline) {
            sleep(10);
            dump = liveTasks();
        }
        if (dump != null) {
            problems.add("tasks left on the TCK loop:\n" + dump);
        }
        List<Map<String, Object>> reported = new ArrayList<>(REPORTED);
        REPORTED.removeAll(reported);
        for (Map<String, Object> context : reported) {
            Object e = context.get("exception");
            problems.add("reported to the loop's exception handler: " + context.get("message")
                    + (e instanceof Throwable ? ": " + e : "") + " " + context);
        }
        return problems;
    }

    private static String liveTasks() {
        EventLoop loop = loop();
        return call(loop, () -> {
            List<Task<?>> tasks = loop.allTasks();
            if (tasks.isEmpty()) {
                return null;
            }
            StringWriter out = new StringWriter();
            try {
                loop.dumpTasks(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
