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

    /** {@link Reactive#publisher} as a {@code Flow.Publisher}. */
    public static <T> Flow.Publisher<T> publisher(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        return FlowAdapters.toFlowPublisher(Reactive.publisher(loop, body));
    }

    /** {@link Reactive#fromCoroutine} as a {@code Flow.Publisher}. */
    public static <T> Flow.Publisher<T> fromCoroutine(EventLoop loop, Coroutine<T> coroutine) {
        return FlowAdapters.toFlowPublisher(Reactive.fromCoroutine(loop, coroutine));
    }

    /** {@link Reactive#fromAwaitable(Awaitable)} as a {@code Flow.Publisher}. */
    public static <T> Flow.Publisher<T> fromAwaitable(Awaitable<T> awaitable) {
        return FlowAdapters.toFlowPublisher(Reactive.fromAwaitable(awaitable));
    }

    /** {@link Reactive#fromAwaitable(Awaitable, boolean)} as a {@code Flow.Publisher}. */
    public static <T> Flow.Publisher<T> fromAwaitable(Awaitable<T> awaitable, boolean cancelOnUnsubscribe) {
        return FlowAdapters.toFlowPublisher(Reactive.fromAwaitable(awaitable, cancelOnUnsubscribe));
    }

    /** {@link Reactive#mapAsync} over {@code Flow} publishers. */
    public static <T, R> Flow.Publisher<R> mapAsync(Flow.Publisher<T> publisher, EventLoop loop, int concurrency,
            CoroutineFunction<? super T, ? extends R> fn) {
        return FlowAdapters.toFlowPublisher(Reactive.mapAsync(FlowAdapters.toPublisher(publisher), loop, concurrency, fn));
    }

    /** {@link Reactive#iterate(org.reactivestreams.Publisher, int)}; the subscriber is also a {@code Flow.Subscriber} via {@link #asFlowSubscriber}. */
    public static <T> LoopSubscriber<T> iterate(Flow.Publisher<T> publisher, int prefetch) {
        return Reactive.iterate(FlowAdapters.toPublisher(publisher), prefetch);
    }

    /** {@link Reactive#iterate(org.reactivestreams.Publisher)} over a {@code Flow.Publisher}. */
    public static <T> LoopSubscriber<T> iterate(Flow.Publisher<T> publisher) {
        return Reactive.iterate(FlowAdapters.toPublisher(publisher));
    }

    /** A {@code Flow.Subscriber} view of {@code subscriber}, to subscribe it to a {@code Flow.Publisher} yourself. */
    public static <T> Flow.Subscriber<T> asFlowSubscriber(LoopSubscriber<T> subscriber) {
        return FlowAdapters.toFlowSubscriber(subscriber);
    }

    /** {@link Reactive#toAsyncGenerator} over a {@code Flow.Publisher}. */
    public static <T> AsyncGenerator<T, Void> toAsyncGenerator(Flow.Publisher<T> publisher, int prefetch) {
        return Reactive.toAsyncGenerator(FlowAdapters.toPublisher(publisher), prefetch);
    }

    /** {@link Reactive#toFuture} over a {@code Flow.Publisher}. */
    public static <T> LoopFuture<T> toFuture(Flow.Publisher<T> publisher) {
        return Reactive.toFuture(FlowAdapters.toPublisher(publisher));
    }

    /** {@link Reactive#awaitFirst} over a {@code Flow.Publisher}. */
    public static <T> T awaitFirst(Flow.Publisher<T> publisher) {
        return Reactive.awaitFirst(FlowAdapters.toPublisher(publisher));
    }

    /** {@link Reactive#awaitFirstOrDefault} over a {@code Flow.Publisher}. */
    public static <T> T awaitFirstOrDefault(Flow.Publisher<T> publisher, T defaultValue) {
        return Reactive.awaitFirstOrDefault(FlowAdapters.toPublisher(publisher), defaultValue);
    }

    /** {@link Reactive#awaitFirstOrNull} over a {@code Flow.Publisher}. */
    public static <T> T awaitFirstOrNull(Flow.Publisher<T> publisher) {
        return Reactive.awaitFirstOrNull(FlowAdapters.toPublisher(publisher));
    }

    /** {@link Reactive#awaitFirstOrElse} over a {@code Flow.Publisher}. */
    public static <T> T awaitFirstOrElse(Flow.Publisher<T> publisher, Supplier<? extends T> fallback) {
        return Reactive.awaitFirstOrElse(FlowAdapters.toPublisher(publisher), fallback);
    }

    /** {@link Reactive#awaitLast} over a {@code Flow.Publisher}. */
    public static <T> T awaitLast(Flow.Publisher<T> publisher) {
        return Reactive.awaitLast(FlowAdapters.toPublisher(publisher));
    }

    /** {@link Reactive#awaitSingle} over a {@code Flow.Publisher}. */
    public static <T> T awaitSingle(Flow.Publisher<T> publisher) {
        return Reactive.awaitSingle(FlowAdapters.toPublisher(publisher));
    }

    /** {@link Reactive#awaitSingleOrNull} over a {@code Flow.Publisher}. */
    public static <T> T awaitSingleOrNull(Flow.Publisher<T> publisher) {
        return Reactive.awaitSingleOrNull(FlowAdapters.toPublisher(publisher));
    }

    /** {@link Reactive#toList(org.reactivestreams.Publisher, int)} over a {@code Flow.Publisher}. */
    public static <T> List<T> toList(Flow.Publisher<T> publisher, int maxItems) {
        return Reactive.toList(FlowAdapters.toPublisher(publisher), maxItems);
    }

    /** {@link Reactive#toList(org.reactivestreams.Publisher)} over a {@code Flow.Publisher}. */
    public static <T> List<T> toList(Flow.Publisher<T> publisher) {
        return Reactive.toList(FlowAdapters.toPublisher(publisher));
    }
}
