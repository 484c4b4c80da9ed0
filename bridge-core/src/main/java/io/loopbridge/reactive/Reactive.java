package io.loopbridge.reactive;

import io.loopbridge.future.Awaitable;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.internal.SubscriberFactory;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;

/**
 * Reactive Streams ↔ coroutines: publishers built from coroutine code, and coroutine code reading
 * publishers. Every publisher here is cold, signals from its loop, and passes the Reactive Streams
 * TCK.
 *
 * <pre>{@code
 * Publisher<String> lines = Reactive.publisher(loop, y -> {
 *     try (var conn = open()) {
 *         String line;
 *         while ((line = conn.readLine()) != null) y.yield(line);   // waits for demand
 *     }
 * });
 * // and back, inside a coroutine:
 * for (String line : Reactive.iterate(lines, 64)) { ... }
 * }</pre>
 */
public final class Reactive {
    /** The prefetch of {@link #iterate(Publisher)}, like Reactor's {@code Queues.SMALL_BUFFER_SIZE}. */
    public static final int DEFAULT_PREFETCH = 256;

    private Reactive() {}

    // ---------------------------------------------------------------- coroutine code → Publisher

    /**
     * A cold publisher: each subscription runs {@code body} as a task on {@code loop}; each {@code
     * y.yield(v)} is an {@code onNext}. A yield returns at once while the subscriber has demand and
     * waits for demand otherwise, so nothing is buffered. Returning completes; an exception is
     * {@code onError}; cancelling closes the body ({@code finally} blocks run). Subscribe from any
     * thread. A failure after the cancel (a {@code finally} block that throws) goes to the loop's
     * exception handler; for a Reactor subscriber to {@code Hooks.onErrorDropped} instead, and for an
     * RxJava one to the RxJava bridge's undeliverable policy (bridge modules present).
     *
     * @param <T> the type of the items
     * @param loop the loop each subscription's task runs on; must not be null
     * @param body the code each subscription runs; its yields are the items; must not be null
     * @return a new cold publisher
     */
    public static <T> Publisher<T> publisher(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        return new PublisherFromAsyncGenerator<>(loop, body);
    }

    /**
     * A cold publisher of the coroutine's result: each subscription runs it as a new task on
     * {@code loop}; a {@code null} result completes empty; cancelling cancels the task. A failure
     * after the cancel goes where {@link #publisher}'s does.
     *
     * @param <T> the type of the result
     * @param loop the loop each subscription's task runs on; must not be null
     * @param coroutine the coroutine each subscription runs; must not be null
     * @return a new cold publisher of at most one item
     */
    public static <T> Publisher<T> fromCoroutine(EventLoop loop, Coroutine<T> coroutine) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(coroutine, "coroutine");
        return new PublisherFromFuture<>(
                loop, () -> loop.createTask(coroutine), true, "Reactive.fromCoroutine(" + coroutine + ")");
    }

    /**
     * A publisher of {@code awaitable}'s outcome (a {@code null} result completes empty). Cancelling
     * a subscription leaves the awaitable running: it may be shared.
     *
     * @param <T> the type of the result
     * @param awaitable the future or task whose outcome is published; must not be null
     * @return a publisher of at most one item; every subscriber sees the same outcome
     */
    public static <T> Publisher<T> fromAwaitable(Awaitable<T> awaitable) {
        return fromAwaitable(awaitable, false);
    }

    /**
     * {@link #fromAwaitable(Awaitable)}; with {@code cancelOnUnsubscribe}, a cancel cancels the awaitable.
     *
     * @param <T> the type of the result
     * @param awaitable the future or task whose outcome is published; must not be null
     * @param cancelOnUnsubscribe whether a subscriber's cancel cancels {@code awaitable}
     * @return a publisher of at most one item; every subscriber sees the same outcome
     */
    public static <T> Publisher<T> fromAwaitable(Awaitable<T> awaitable, boolean cancelOnUnsubscribe) {
        Objects.requireNonNull(awaitable, "awaitable");
        Supplier<LoopFuture<T>> source = awaitable::future;
        return new PublisherFromFuture<>(
                awaitable.loop(), source, cancelOnUnsubscribe, "Reactive.fromAwaitable(" + awaitable + ")");
    }

    /**
     * Runs {@code fn} as a task per item of {@code publisher} on {@code loop}, at most {@code
     * concurrency} at a time, and emits the results in upstream order as downstream demand allows
     * (like Reactor's {@code flatMapSequential} with a coroutine per item). A failed coroutine, a
     * {@code null} result or an upstream error cancels the rest and is signalled as {@code onError};
     * a cancel cancels the upstream and every task in flight. An upstream error or a coroutine
     * failure that comes after the end or the cancel goes to the loop's exception handler (for a
     * Reactor subscriber, to {@code Hooks.onErrorDropped}). For a Reactor subscriber, what the end
     * or the cancel drops goes to its discard hook ({@code doOnDiscard}), each once: results not
     * emitted yet, items whose task had not started, items arriving after the end. A task cancelled
     * by anyone but the stream (e.g. {@code Async.run} cancelling the loop's leftover tasks when its
     * main coroutine returns) fails the stream with a {@code CancellationException}; a stream whose
     * loop closed with no task in flight ends at its next signal, on that signal's thread (the
     * upstream cancelled, an {@code IllegalStateException} for the subscriber), or in {@code
     * close()} for a signal handed to the stopped loop before it closed.
     *
     * @param <T> the type of the upstream items
     * @param <R> the type of the results
     * @param publisher the upstream; must not be null
     * @param loop the loop the tasks run on; must not be null
     * @param concurrency the most tasks in flight at once; at least 1
     * @param fn the coroutine to run for each item; must not be null (a null result is an error)
     * @return a new publisher of the results, in upstream order
     */
    public static <T, R> Publisher<R> mapAsync(
            Publisher<T> publisher, EventLoop loop, int concurrency, CoroutineFunction<? super T, ? extends R> fn) {
        return new PublisherMapAsync<>(publisher, loop, concurrency, fn);
    }

    // ---------------------------------------------------------------- Publisher → coroutine code

    /**
     * Subscribes to {@code publisher} and returns a subscriber to iterate inside a coroutine of the
     * running loop; see {@link LoopSubscriber}. Close it (try-with-resources) to cancel early.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to; must not be null
     * @param prefetch how many items to request ahead and buffer; at least 1
     * @return the subscriber, already subscribed, to iterate on the running loop
     */
    public static <T> LoopSubscriber<T> iterate(Publisher<T> publisher, int prefetch) {
        Objects.requireNonNull(publisher, "publisher");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        LoopSubscriber<T> s = SubscriberFactory.subscriberFor(publisher, runningLoop("Reactive.iterate()"), prefetch);
        publisher.subscribe(s);
        return s;
    }

    /**
     * {@link #iterate(Publisher, int)} with a prefetch of {@value #DEFAULT_PREFETCH}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to; must not be null
     * @return the subscriber, already subscribed, to iterate on the running loop
     */
    public static <T> LoopSubscriber<T> iterate(Publisher<T> publisher) {
        return iterate(publisher, DEFAULT_PREFETCH);
    }

    /**
     * An async generator over {@code publisher}: it subscribes on the first {@code anext}, and
     * {@code aclose} cancels the subscription; upstream errors are raised by {@code anext}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to; must not be null
     * @param prefetch how many items to request ahead and buffer; at least 1
     * @return a new async generator that has not subscribed yet
     */
    public static <T> AsyncGenerator<T, Void> toAsyncGenerator(Publisher<T> publisher, int prefetch) {
        Objects.requireNonNull(publisher, "publisher");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        return AsyncGenerator.of(y -> {
            try (LoopSubscriber<T> items = iterate(publisher, prefetch)) {
                while (items.hasNext()) {
                    y.yield(items.next());
                }
            }
        });
    }

    /**
     * A future of the publisher's only item on the running loop: empty completes with {@code null},
     * a second item fails it with {@link IllegalArgumentException}; cancelling the future cancels
     * the subscription.
     *
     * @param <T> the type of the item
     * @param publisher the publisher to subscribe to; must not be null
     * @return a future of the only item, or of null if there is none; it fails with the publisher's
     *     error
     */
    public static <T> LoopFuture<T> toFuture(Publisher<T> publisher) {
        Objects.requireNonNull(publisher, "publisher");
        return runningLoop("Reactive.toFuture()").createTask(() -> awaitSingleOrNull(publisher));
    }

    /**
     * The first item; cancels the subscription after it.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the first item
     * @throws NoSuchElementException if the publisher completes empty
     */
    public static <T> T awaitFirst(Publisher<T> publisher) {
        try (LoopSubscriber<T> s = iterate(publisher, 1)) {
            if (s.hasNext()) {
                return s.next();
            }
        }
        throw new NoSuchElementException("the publisher completed without items: " + publisher);
    }

    /**
     * The first item, or {@code defaultValue} if the publisher completes empty.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @param defaultValue the value to return if there is no item; may be null
     * @return the first item, or {@code defaultValue}
     */
    public static <T> T awaitFirstOrDefault(Publisher<T> publisher, T defaultValue) {
        try (LoopSubscriber<T> s = iterate(publisher, 1)) {
            return s.hasNext() ? s.next() : defaultValue;
        }
    }

    /**
     * The first item, or {@code null} if the publisher completes empty.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the first item, or null
     */
    public static <T> T awaitFirstOrNull(Publisher<T> publisher) {
        return awaitFirstOrDefault(publisher, null);
    }

    /**
     * The first item, or {@code fallback}'s value if the publisher completes empty.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @param fallback called only if there is no item; must not be null
     * @return the first item, or the value {@code fallback} supplies
     */
    public static <T> T awaitFirstOrElse(Publisher<T> publisher, Supplier<? extends T> fallback) {
        Objects.requireNonNull(fallback, "fallback");
        try (LoopSubscriber<T> s = iterate(publisher, 1)) {
            return s.hasNext() ? s.next() : fallback.get();
        }
    }

    /**
     * The last item, once the publisher completes.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the last item
     * @throws NoSuchElementException if it completes empty
     */
    public static <T> T awaitLast(Publisher<T> publisher) {
        try (LoopSubscriber<T> s = iterate(publisher, DEFAULT_PREFETCH)) {
            if (!s.hasNext()) {
                throw new NoSuchElementException("the publisher completed without items: " + publisher);
            }
            T last = s.next();
            while (s.hasNext()) {
                last = s.next();
            }
            return last;
        }
    }

    /**
     * The only item, once the publisher completes.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the only item
     * @throws NoSuchElementException if it completes empty
     * @throws IllegalArgumentException if it emits a second item (the subscription is cancelled)
     */
    public static <T> T awaitSingle(Publisher<T> publisher) {
        try (LoopSubscriber<T> s = iterate(publisher, 2)) {
            if (!s.hasNext()) {
                throw new NoSuchElementException("the publisher completed without items: " + publisher);
            }
            return onlyItem(s, publisher);
        }
    }

    /**
     * The only item, or {@code null} if the publisher completes empty; a second item fails as in {@link #awaitSingle}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the only item, or null
     */
    public static <T> T awaitSingleOrNull(Publisher<T> publisher) {
        try (LoopSubscriber<T> s = iterate(publisher, 2)) {
            return s.hasNext() ? onlyItem(s, publisher) : null;
        }
    }

    private static <T> T onlyItem(LoopSubscriber<T> s, Publisher<T> publisher) {
        T first = s.next();
        if (s.hasNext()) {
            throw new IllegalArgumentException("the publisher emitted more than one item: " + publisher);
        }
        return first;
    }

    /**
     * Every item, once the publisher completes; at most {@code Integer.MAX_VALUE - 8}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return a new mutable list of the items, in order
     */
    public static <T> List<T> toList(Publisher<T> publisher) {
        return toList(publisher, Integer.MAX_VALUE - 8);
    }

    /**
     * Every item, once the publisher completes.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @param maxItems the most items to keep; not negative
     * @return a new mutable list of the items, in order
     * @throws IllegalStateException if it emits more than {@code maxItems} (the subscription is
     *     cancelled and nothing is kept)
     */
    public static <T> List<T> toList(Publisher<T> publisher, int maxItems) {
        if (maxItems < 0) {
            throw new IllegalArgumentException("maxItems must not be negative, got " + maxItems);
        }
        List<T> items = new ArrayList<>();
        try (LoopSubscriber<T> s = iterate(publisher, DEFAULT_PREFETCH)) {
            while (s.hasNext()) {
                if (items.size() == maxItems) {
                    throw new IllegalStateException("the publisher emitted more than maxItems=" + maxItems + " items");
                }
                items.add(s.next());
            }
        }
        return items;
    }

    private static EventLoop runningLoop(String what) {
        EventLoop loop = EventLoop.running();
        if (loop == null) {
            throw new IllegalStateException(what + " needs a running event loop: call it inside a coroutine");
        }
        return loop;
    }
}
