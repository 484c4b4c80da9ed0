package io.loopbridge.reactive;

import io.loopbridge.future.Awaitable;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineFunction;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.reactivestreams.FlowAdapters;

/**
 * {@link Reactive} for {@link java.util.concurrent.Flow}: the same functions, taking and returning
 * JDK {@code Flow} types, so JDK users need no Reactive Streams import. Each is the {@link Reactive}
 * function behind {@link FlowAdapters}.
 */
public final class ReactiveFlow {
    private ReactiveFlow() {}

    /**
     * {@link Reactive#publisher} as a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param loop the loop each subscription's task runs on; must not be null
     * @param body the code each subscription runs; its yields are the items; must not be null
     * @return a new cold publisher
     */
    public static <T> Flow.Publisher<T> publisher(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        return FlowAdapters.toFlowPublisher(Reactive.publisher(loop, body));
    }

    /**
     * {@link Reactive#fromCoroutine} as a {@code Flow.Publisher}.
     *
     * @param <T> the type of the result
     * @param loop the loop each subscription's task runs on; must not be null
     * @param coroutine the coroutine each subscription runs; must not be null
     * @return a new cold publisher of at most one item
     */
    public static <T> Flow.Publisher<T> fromCoroutine(EventLoop loop, Coroutine<T> coroutine) {
        return FlowAdapters.toFlowPublisher(Reactive.fromCoroutine(loop, coroutine));
    }

    /**
     * {@link Reactive#fromAwaitable(Awaitable)} as a {@code Flow.Publisher}.
     *
     * @param <T> the type of the result
     * @param awaitable the future or task whose outcome is published; must not be null
     * @return a publisher of at most one item; a cancel leaves {@code awaitable} running
     */
    public static <T> Flow.Publisher<T> fromAwaitable(Awaitable<T> awaitable) {
        return FlowAdapters.toFlowPublisher(Reactive.fromAwaitable(awaitable));
    }

    /**
     * {@link Reactive#fromAwaitable(Awaitable, boolean)} as a {@code Flow.Publisher}.
     *
     * @param <T> the type of the result
     * @param awaitable the future or task whose outcome is published; must not be null
     * @param cancelOnUnsubscribe whether a subscriber's cancel cancels {@code awaitable}
     * @return a publisher of at most one item
     */
    public static <T> Flow.Publisher<T> fromAwaitable(Awaitable<T> awaitable, boolean cancelOnUnsubscribe) {
        return FlowAdapters.toFlowPublisher(Reactive.fromAwaitable(awaitable, cancelOnUnsubscribe));
    }

    /**
     * {@link Reactive#mapAsync} over {@code Flow} publishers.
     *
     * @param <T> the type of the upstream items
     * @param <R> the type of the results
     * @param publisher the upstream; must not be null
     * @param loop the loop the tasks run on; must not be null
     * @param concurrency the most tasks in flight at once; at least 1
     * @param fn the coroutine to run for each item; must not be null (a null result is an error)
     * @return a new publisher of the results, in upstream order
     */
    public static <T, R> Flow.Publisher<R> mapAsync(
            Flow.Publisher<T> publisher,
            EventLoop loop,
            int concurrency,
            CoroutineFunction<? super T, ? extends R> fn) {
        return FlowAdapters.toFlowPublisher(
                Reactive.mapAsync(FlowAdapters.toPublisher(publisher), loop, concurrency, fn));
    }

    /**
     * {@link Reactive#iterate(org.reactivestreams.Publisher, int)}; the subscriber is also a {@code Flow.Subscriber} via {@link #asFlowSubscriber}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to; must not be null
     * @param prefetch how many items to request ahead and buffer; at least 1
     * @return the subscriber, already subscribed, to iterate on the running loop
     */
    public static <T> LoopSubscriber<T> iterate(Flow.Publisher<T> publisher, int prefetch) {
        return Reactive.iterate(FlowAdapters.toPublisher(publisher), prefetch);
    }

    /**
     * {@link Reactive#iterate(org.reactivestreams.Publisher)} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to; must not be null
     * @return the subscriber, already subscribed, to iterate on the running loop
     */
    public static <T> LoopSubscriber<T> iterate(Flow.Publisher<T> publisher) {
        return Reactive.iterate(FlowAdapters.toPublisher(publisher));
    }

    /**
     * A {@code Flow.Subscriber} view of {@code subscriber}, to subscribe it to a {@code Flow.Publisher} yourself.
     *
     * @param <T> the type of the items
     * @param subscriber the subscriber to adapt; must not be null
     * @return a {@code Flow.Subscriber} that forwards every signal to {@code subscriber}
     */
    public static <T> Flow.Subscriber<T> asFlowSubscriber(LoopSubscriber<T> subscriber) {
        return FlowAdapters.toFlowSubscriber(subscriber);
    }

    /**
     * {@link Reactive#toAsyncGenerator} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to; must not be null
     * @param prefetch how many items to request ahead and buffer; at least 1
     * @return a new async generator that has not subscribed yet
     */
    public static <T> AsyncGenerator<T, Void> toAsyncGenerator(Flow.Publisher<T> publisher, int prefetch) {
        return Reactive.toAsyncGenerator(FlowAdapters.toPublisher(publisher), prefetch);
    }

    /**
     * {@link Reactive#toFuture} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the item
     * @param publisher the publisher to subscribe to; must not be null
     * @return a future of the only item, or of null if there is none
     */
    public static <T> LoopFuture<T> toFuture(Flow.Publisher<T> publisher) {
        return Reactive.toFuture(FlowAdapters.toPublisher(publisher));
    }

    /**
     * {@link Reactive#awaitFirst} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the first item
     */
    public static <T> T awaitFirst(Flow.Publisher<T> publisher) {
        return Reactive.awaitFirst(FlowAdapters.toPublisher(publisher));
    }

    /**
     * {@link Reactive#awaitFirstOrDefault} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @param defaultValue the value to return if there is no item; may be null
     * @return the first item, or {@code defaultValue}
     */
    public static <T> T awaitFirstOrDefault(Flow.Publisher<T> publisher, T defaultValue) {
        return Reactive.awaitFirstOrDefault(FlowAdapters.toPublisher(publisher), defaultValue);
    }

    /**
     * {@link Reactive#awaitFirstOrNull} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the first item, or null
     */
    public static <T> T awaitFirstOrNull(Flow.Publisher<T> publisher) {
        return Reactive.awaitFirstOrNull(FlowAdapters.toPublisher(publisher));
    }

    /**
     * {@link Reactive#awaitFirstOrElse} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @param fallback called only if there is no item; must not be null
     * @return the first item, or the value {@code fallback} supplies
     */
    public static <T> T awaitFirstOrElse(Flow.Publisher<T> publisher, Supplier<? extends T> fallback) {
        return Reactive.awaitFirstOrElse(FlowAdapters.toPublisher(publisher), fallback);
    }

    /**
     * {@link Reactive#awaitLast} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the last item
     */
    public static <T> T awaitLast(Flow.Publisher<T> publisher) {
        return Reactive.awaitLast(FlowAdapters.toPublisher(publisher));
    }

    /**
     * {@link Reactive#awaitSingle} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the only item
     */
    public static <T> T awaitSingle(Flow.Publisher<T> publisher) {
        return Reactive.awaitSingle(FlowAdapters.toPublisher(publisher));
    }

    /**
     * {@link Reactive#awaitSingleOrNull} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return the only item, or null
     */
    public static <T> T awaitSingleOrNull(Flow.Publisher<T> publisher) {
        return Reactive.awaitSingleOrNull(FlowAdapters.toPublisher(publisher));
    }

    /**
     * {@link Reactive#toList(org.reactivestreams.Publisher, int)} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @param maxItems the most items to keep; not negative
     * @return a new mutable list of the items, in order
     */
    public static <T> List<T> toList(Flow.Publisher<T> publisher, int maxItems) {
        return Reactive.toList(FlowAdapters.toPublisher(publisher), maxItems);
    }

    /**
     * {@link Reactive#toList(org.reactivestreams.Publisher)} over a {@code Flow.Publisher}.
     *
     * @param <T> the type of the items
     * @param publisher the publisher to subscribe to, from a coroutine of the running loop; must
     *     not be null
     * @return a new mutable list of the items, in order
     */
    public static <T> List<T> toList(Flow.Publisher<T> publisher) {
        return Reactive.toList(FlowAdapters.toPublisher(publisher));
    }
}
