package io.loopbridge.reactive;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A subscriber for the reactive tests: it writes every signal into a shared step log (so a test can
 * assert the order of the publisher's body and of the signals together), keeps the items, and
 * notes any signal that did not come from the loop.
 */
final class RecordingSubscriber<T> implements Subscriber<T> {
    /** Longer than any test may take: reaching it means a signal went missing. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    final List<String> steps;
    final List<T> items = Collections.synchronizedList(new ArrayList<>());
    final List<String> offLoop = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Subscription> subscribed = new CompletableFuture<>();
    /** Completes with {@code null} on onComplete and with the error on onError. */
    final CompletableFuture<Throwable> terminated = new CompletableFuture<>();

    private final EventLoop loop;
    private final long initialRequest;
    private volatile Consumer<T> onNextAction = item -> {};
    volatile Subscription subscription;

    /** Requests nothing until told to. */
    RecordingSubscriber(EventLoop loop, List<String> steps) {
        this(loop, steps, 0);
    }

    /** Requests {@code initialRequest} from {@code onSubscribe} (0: nothing). */
    RecordingSubscriber(EventLoop loop, List<String> steps, long initialRequest) {
        this.loop = loop;
        this.steps = steps;
        this.initialRequest = initialRequest;
    }

    /** A subscriber of the running loop with its own step log. */
    static <T> RecordingSubscriber<T> onRunningLoop(long initialRequest) {
        return new RecordingSubscriber<>(Async.loop(), Collections.synchronizedList(new ArrayList<>()), initialRequest);
    }

    RecordingSubscriber<T> onNextDoing(Consumer<T> action) {
        this.onNextAction = action;
        return this;
    }

    @Override
    public void onSubscribe(Subscription s) {
        check("onSubscribe");
        steps.add("onSubscribe");
        subscription = s;
        subscribed.complete(s);
        if (initialRequest > 0) {
            s.request(initialRequest);
        }
    }

    @Override
    public void onNext(T item) {
        check("onNext " + item);
        steps.add("onNext " + item);
        items.add(item);
        onNextAction.accept(item);
    }

    @Override
    public void onError(Throwable t) {
        check("onError");
        steps.add("onError " + t.getClass().getSimpleName());
        terminated.complete(t);
    }

    @Override
    public void onComplete() {
        check("onComplete");
        steps.add("onComplete");
        terminated.complete(null);
    }

    private void check(String signal) {
        if (loop != null && !loop.inLoop()) {
            offLoop.add(signal + " on " + Thread.currentThread().getName());
        }
    }

    void request(long n) {
        subscription.request(n);
    }

    void cancel() {
        subscription.cancel();
    }

    boolean isTerminated() {
        return terminated.isDone();
    }

    /** Inside a coroutine: suspends until the terminal signal and returns the error ({@code null}: completed). */
    Throwable awaitTerminal() {
        return Async.waitFor(LoopFuture.from(Async.loop(), terminated), PATIENCE);
    }

    // ---------------------------------------------------------------- coroutine helpers

    /**
     * Inside a coroutine: lets the loop run every callback and coroutine step that is ready, then a
     * little longer, so whatever a signal set in motion on the loop has happened.
     */
    static void settle() {
        for (int i = 0; i < 20; i++) {
            Async.sleep(Duration.ZERO);
        }
        Async.sleep(Duration.ofMillis(5));
    }

    /** Inside a coroutine: suspends until {@code condition} holds, failing after {@link #PATIENCE}. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Async.sleep(Duration.ofMillis(1));
        }
    }
}
