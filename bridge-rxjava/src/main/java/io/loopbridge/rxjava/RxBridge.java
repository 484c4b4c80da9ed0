package io.loopbridge.rxjava;

import io.loopbridge.future.Awaitable;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.internal.SharedLoop;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineFunction;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.FlowableTransformer;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.exceptions.MissingBackpressureException;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Coroutines inside RxJava 3 applications, and RxJava inside coroutines.
 *
 * <pre>{@code
 * Single<User> user = RxBridge.single(() -> {
 *     Profile p = RxBridge.await(profiles.find(id));   // suspends, does not block
 *     Async.sleep(Duration.ofMillis(10));
 *     return new User(p);
 * });
 * Flowable<Integer> enriched = ids.compose(RxBridge.mapAsync(8, id -> lookup(id)));
 * }</pre>
 *
 * <p><b>Loops.</b> Methods without a loop use the running loop when called inside a coroutine, and
 * otherwise one shared loop, started on first use on a daemon thread ({@code loopbridge-shared}) and
 * closed at JVM shutdown. Every source here is cold, runs its coroutine or generator on its loop and
 * signals from it, and may be subscribed from any thread; {@code onSubscribe} of a {@code Single},
 * {@code Maybe} or {@code Completable} comes on the subscribing thread.
 *
 * <p><b>Disposal.</b> Disposing a subscription cancels its task or closes its generator ({@code
 * finally} blocks run), and its {@code Disposable.isDisposed()} is true from then on (and after the
 * terminal signal). A task cancelled by a dispose ends in silence: no error, no {@code
 * UndeliverableException}. Sources made from an {@link Awaitable} ({@code toSingle}, ...) never
 * cancel it, since others may await it too.
 *
 * <p><b>Errors RxJava cannot deliver</b> — a coroutine or generator that fails after its observer
 * disposed it (say, it catches the cancellation and throws something else), an observer or
 * subscriber that throws from a signal method (its subscription is cancelled first), a source that
 * fails after the coroutine awaiting or iterating it has left (or after its outcome), an upstream
 * of {@code mapAsync} that fails after the stream ended, a scheduled task that throws — follow
 * one policy:
 *
 * <ol>
 *   <li>they always go to the loop's exception handler ({@link EventLoop#setExceptionHandler}), on
 *       the loop, with the keys {@code "message"}, {@code "exception"} and {@code "source"};
 *   <li>they also go to {@link RxJavaPlugins#onError} (which wraps them in {@code
 *       UndeliverableException} unless it counts them as bugs) when an RxJava error handler is
 *       installed ({@link RxJavaPlugins#setErrorHandler}); without one, RxJava's default (print,
 *       then the thread's uncaught-exception handler) is skipped, as the loop's handler has already
 *       logged the error.
 * </ol>
 *
 * The one exception: {@code onSubscribe} of a {@code Single}, {@code Maybe} or {@code Completable}
 * runs inside {@code subscribe()} on the subscribing thread, so what it throws is RxJava's {@code
 * subscribe()}'s to handle, exactly as for RxJava's own sources, and no task starts.
 *
 * <p>Work scheduled on {@link #scheduler} after its loop closed is rejected as RxJava's executor
 * schedulers reject it: a {@code RejectedExecutionException} to {@code RxJavaPlugins.onError}.
 */
public final class RxBridge {
    private RxBridge() {}

    // ---------------------------------------------------------------- coroutines → RxJava

    /**
     * A cold {@code Single} of the coroutine's result: each subscription runs it as a new task on
     * {@code loop}. A {@code null} result fails with {@link NullPointerException} (use {@link
     * #maybe}); disposing cancels the task.
     *
     * <p><b>Scheduler:</b> the coroutine runs on {@code loop}'s thread and {@code onSuccess} or
     * {@code onError} comes from it; subscribing is allowed from any thread, and {@code onSubscribe}
     * comes on the subscribing thread.
     *
     * @param <T> the coroutine's result type
     * @param loop the loop each subscription's task runs on; if it is closed when an observer
     *     subscribes, that observer gets {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @param coroutine the code run once per subscription; it must return a non-null value
     * @return a cold {@code Single} of the coroutine's result
     * @throws NullPointerException if {@code loop} or {@code coroutine} is null
     */
    public static <T> Single<T> single(EventLoop loop, Coroutine<T> coroutine) {
        Objects.requireNonNull(loop, "loop is null");
        Objects.requireNonNull(coroutine, "coroutine is null");
        return new SingleFromFuture<>(loop, () -> loop.createTask(coroutine), true, "RxBridge.single", coroutine);
    }

    /**
     * {@link #single(EventLoop, Coroutine)} on the running or the shared loop (chosen when this
     * method is called, not at subscription).
     *
     * @param <T> the coroutine's result type
     * @param coroutine the code run once per subscription; it must return a non-null value
     * @return a cold {@code Single} of the coroutine's result, signalling on the chosen loop's thread
     * @throws NullPointerException if {@code coroutine} is null
     */
    public static <T> Single<T> single(Coroutine<T> coroutine) {
        return single(SharedLoop.currentOrShared(), coroutine);
    }

    /**
     * A cold {@code Maybe} of the coroutine's result: each subscription runs it as a new task on
     * {@code loop}; a {@code null} result completes empty; disposing cancels the task.
     *
     * <p><b>Scheduler:</b> the coroutine runs on {@code loop}'s thread and {@code onSuccess}, {@code
     * onComplete} or {@code onError} comes from it; subscribing is allowed from any thread, and
     * {@code onSubscribe} comes on the subscribing thread.
     *
     * @param <T> the coroutine's result type
     * @param loop the loop each subscription's task runs on; if it is closed when an observer
     *     subscribes, that observer gets {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @param coroutine the code run once per subscription; {@code null} means no value
     * @return a cold {@code Maybe} of the coroutine's result
     * @throws NullPointerException if {@code loop} or {@code coroutine} is null
     */
    public static <T> Maybe<T> maybe(EventLoop loop, Coroutine<T> coroutine) {
        Objects.requireNonNull(loop, "loop is null");
        Objects.requireNonNull(coroutine, "coroutine is null");
        return new MaybeFromFuture<>(loop, () -> loop.createTask(coroutine), true, "RxBridge.maybe", coroutine);
    }

    /**
     * {@link #maybe(EventLoop, Coroutine)} on the running or the shared loop (chosen when this method
     * is called, not at subscription).
     *
     * @param <T> the coroutine's result type
     * @param coroutine the code run once per subscription; {@code null} means no value
     * @return a cold {@code Maybe} of the coroutine's result, signalling on the chosen loop's thread
     * @throws NullPointerException if {@code coroutine} is null
     */
    public static <T> Maybe<T> maybe(Coroutine<T> coroutine) {
        return maybe(SharedLoop.currentOrShared(), coroutine);
    }

    /**
     * A cold {@code Completable}: each subscription runs the coroutine as a new task on {@code loop}
     * and completes when it returns (its result is ignored); disposing cancels the task.
     *
     * <p><b>Scheduler:</b> the coroutine runs on {@code loop}'s thread and {@code onComplete} or
     * {@code onError} comes from it; subscribing is allowed from any thread, and {@code onSubscribe}
     * comes on the subscribing thread.
     *
     * @param loop the loop each subscription's task runs on; if it is closed when an observer
     *     subscribes, that observer gets {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @param coroutine the code run once per subscription
     * @return a cold {@code Completable} of the coroutine's completion
     * @throws NullPointerException if {@code loop} or {@code coroutine} is null
     */
    public static Completable completable(EventLoop loop, Coroutine<?> coroutine) {
        Objects.requireNonNull(loop, "loop is null");
        Objects.requireNonNull(coroutine, "coroutine is null");
        return new CompletableFromFuture<>(
                loop, () -> loop.createTask(coroutine), true, "RxBridge.completable", coroutine);
    }

    /**
     * {@link #completable(EventLoop, Coroutine)} on the running or the shared loop (chosen when this
     * method is called, not at subscription).
     *
     * @param coroutine the code run once per subscription
     * @return a cold {@code Completable} of the coroutine's completion, signalling on the chosen
     *     loop's thread
     * @throws NullPointerException if {@code coroutine} is null
     */
    public static Completable completable(Coroutine<?> coroutine) {
        return completable(SharedLoop.currentOrShared(), coroutine);
    }

    /**
     * A cold {@code Flowable}: each subscription runs {@code body} as an async generator on {@code
     * loop}, each {@code y.yield(v)} an {@code onNext}. Backpressure: a {@code yield} returns at once
     * while the subscriber has demand and waits for demand otherwise, so nothing is buffered and no
     * overflow strategy is needed. Returning completes, an exception is {@code onError}, cancelling
     * closes the generator.
     *
     * <p><b>Backpressure:</b> honoured, as above (RxJava's {@code BackpressureKind.FULL}).
     * <b>Scheduler:</b> the body runs on {@code loop}'s thread and every signal comes from it; {@code
     * request} and {@code cancel} may come from any thread.
     *
     * @param <T> the type of the items yielded
     * @param loop the loop each subscription's generator runs on; if it is closed when a subscriber
     *     subscribes, that subscriber gets {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @param body the generator body run once per subscription
     * @return a cold {@code Flowable} of what {@code body} yields
     * @throws NullPointerException if {@code loop} or {@code body} is null
     */
    public static <T> Flowable<T> flowable(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        Objects.requireNonNull(loop, "loop is null");
        Objects.requireNonNull(body, "body is null");
        return new FlowableFromAsyncGenerator<>(loop, body);
    }

    /**
     * {@link #flowable(EventLoop, AsyncGenerator.Body)} on the running or the shared loop (chosen
     * when this method is called, not at subscription).
     *
     * @param <T> the type of the items yielded
     * @param body the generator body run once per subscription
     * @return a cold {@code Flowable} of what {@code body} yields, paced by demand and signalling on
     *     the chosen loop's thread
     * @throws NullPointerException if {@code body} is null
     */
    public static <T> Flowable<T> flowable(AsyncGenerator.Body<T, Void> body) {
        return flowable(SharedLoop.currentOrShared(), body);
    }

    /**
     * A cold {@code Observable}: each subscription runs {@code body} as an async generator on {@code
     * loop}, each {@code y.yield(v)} an {@code onNext}. An {@code Observable} has no backpressure: a
     * {@code yield} never waits, so the generator runs at the loop's pace, giving the loop up only
     * where it awaits. Disposing closes the generator.
     *
     * <p><b>Scheduler:</b> the body runs on {@code loop}'s thread and every signal comes from it.
     *
     * @param <T> the type of the items yielded
     * @param loop the loop each subscription's generator runs on; if it is closed when an observer
     *     subscribes, that observer gets {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @param body the generator body run once per subscription
     * @return a cold {@code Observable} of what {@code body} yields
     * @throws NullPointerException if {@code loop} or {@code body} is null
     */
    public static <T> Observable<T> observable(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        Objects.requireNonNull(loop, "loop is null");
        Objects.requireNonNull(body, "body is null");
        return new ObservableFromAsyncGenerator<>(loop, body);
    }

    /**
     * {@link #observable(EventLoop, AsyncGenerator.Body)} on the running or the shared loop (chosen
     * when this method is called, not at subscription).
     *
     * @param <T> the type of the items yielded
     * @param body the generator body run once per subscription
     * @return a cold {@code Observable} of what {@code body} yields, without backpressure, signalling
     *     on the chosen loop's thread
     * @throws NullPointerException if {@code body} is null
     */
    public static <T> Observable<T> observable(AsyncGenerator.Body<T, Void> body) {
        return observable(SharedLoop.currentOrShared(), body);
    }

    /**
     * A {@code Single} of {@code awaitable}'s outcome, signalled from its loop; a {@code null} result
     * fails with {@link NullPointerException}. Disposing does not cancel the awaitable.
     *
     * @param <T> the awaitable's result type
     * @param awaitable the future or task to observe; it may be shared, and each subscription reads
     *     the same outcome. If its loop is closed when an observer subscribes, that observer gets
     *     {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @return a {@code Single} of {@code awaitable}'s result, failing with its exception
     *     ({@link java.util.concurrent.CancellationException} if it was cancelled)
     * @throws NullPointerException if {@code awaitable} is null
     */
    public static <T> Single<T> toSingle(Awaitable<T> awaitable) {
        Objects.requireNonNull(awaitable, "awaitable is null");
        return new SingleFromFuture<>(awaitable.loop(), shared(awaitable), false, "RxBridge.toSingle", awaitable);
    }

    /**
     * A {@code Maybe} of {@code awaitable}'s outcome, signalled from its loop; {@code null} completes
     * empty. Disposing does not cancel it.
     *
     * @param <T> the awaitable's result type
     * @param awaitable the future or task to observe; it may be shared, and each subscription reads
     *     the same outcome. If its loop is closed when an observer subscribes, that observer gets
     *     {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @return a {@code Maybe} of {@code awaitable}'s result, failing with its exception
     *     ({@link java.util.concurrent.CancellationException} if it was cancelled)
     * @throws NullPointerException if {@code awaitable} is null
     */
    public static <T> Maybe<T> toMaybe(Awaitable<T> awaitable) {
        Objects.requireNonNull(awaitable, "awaitable is null");
        return new MaybeFromFuture<>(awaitable.loop(), shared(awaitable), false, "RxBridge.toMaybe", awaitable);
    }

    /**
     * A {@code Completable} of {@code awaitable}'s outcome, signalled from its loop, its result
     * ignored. Disposing does not cancel it.
     *
     * @param awaitable the future or task to observe; it may be shared, and each subscription reads
     *     the same outcome. If its loop is closed when an observer subscribes, that observer gets
     *     {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @return a {@code Completable} that completes when {@code awaitable} succeeds and fails with its
     *     exception ({@link java.util.concurrent.CancellationException} if it was cancelled)
     * @throws NullPointerException if {@code awaitable} is null
     */
    public static Completable toCompletable(Awaitable<?> awaitable) {
        Objects.requireNonNull(awaitable, "awaitable is null");
        return new CompletableFromFuture<>(
                awaitable.loop(), shared(awaitable), false, "RxBridge.toCompletable", awaitable);
    }

    private static <T> Supplier<LoopFuture<T>> shared(Awaitable<T> awaitable) {
        return awaitable::future;
    }

    /**
     * A transformer for {@code flowable.compose(...)}: runs {@code fn} as a coroutine per item on
     * {@code loop}, at most {@code concurrency} at a time, and emits the results in upstream order as
     * downstream demand allows (see {@link Reactive#mapAsync}). Cancelling cancels the upstream and
     * every task in flight.
     *
     * <p><b>Backpressure:</b> requests {@code concurrency} items from upstream, then one more per
     * result emitted; results wait for downstream demand. <b>Scheduler:</b> the coroutines run and
     * the results are emitted on {@code loop}'s thread; upstream signals from other threads hop onto
     * it.
     *
     * @param <T> the upstream item type
     * @param <R> the result type
     * @param loop the loop the coroutines run on
     * @param concurrency the most coroutines in flight at once, and the upstream prefetch; at least 1
     * @param fn the coroutine run per item; a failure or a {@code null} result cancels the rest and
     *     fails the {@code Flowable}
     * @return a transformer from the upstream {@code Flowable} to the {@code Flowable} of results
     * @throws NullPointerException if {@code loop} or {@code fn} is null
     * @throws IllegalArgumentException if {@code concurrency} is less than 1
     */
    public static <T, R> FlowableTransformer<T, R> mapAsync(
            EventLoop loop, int concurrency, CoroutineFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(loop, "loop is null");
        Objects.requireNonNull(fn, "fn is null");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        return upstream -> new FlowableMapAsync<>(upstream, loop, concurrency, fn);
    }

    /**
     * {@link #mapAsync(EventLoop, int, CoroutineFunction)} on the running or the shared loop (chosen
     * when this method is called, not at subscription).
     *
     * @param <T> the upstream item type
     * @param <R> the result type
     * @param concurrency the most coroutines in flight at once, and the upstream prefetch; at least 1
     * @param fn the coroutine run per item; a failure or a {@code null} result cancels the rest and
     *     fails the {@code Flowable}
     * @return a transformer from the upstream {@code Flowable} to the {@code Flowable} of results
     * @throws NullPointerException if {@code fn} is null
     * @throws IllegalArgumentException if {@code concurrency} is less than 1
     */
    public static <T, R> FlowableTransformer<T, R> mapAsync(
            int concurrency, CoroutineFunction<? super T, ? extends R> fn) {
        return mapAsync(SharedLoop.currentOrShared(), concurrency, fn);
    }

    // ---------------------------------------------------------------- RxJava → coroutines

    /**
     * Inside a coroutine: subscribes to {@code single} and suspends until it signals; returns its
     * value or rethrows its error (checked ones wrapped in {@code CompletionException}). A ready
     * source costs no suspension; a signal from another thread hops onto the loop. Cancelling the
     * coroutine disposes the subscription. The coroutine form of {@code blockingGet()}, without
     * blocking the loop.
     *
     * <p><b>Scheduler:</b> loop thread only (inside a coroutine).
     *
     * @param <T> the value type
     * @param single the {@code Single} to subscribe to (once)
     * @return the value
     * @throws NullPointerException if {@code single} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> T await(Single<T> single) {
        Objects.requireNonNull(single, "single is null");
        AwaitObserver<T> o = new AwaitObserver<>("RxBridge.await(Single)");
        o.subscribing = true;
        try {
            single.subscribe(o);
        } finally {
            o.subscribing = false;
        }
        return o.result();
    }

    /**
     * {@link #await(Single)} for a {@code Maybe}: its value, or {@code null} when it completes empty.
     *
     * @param <T> the value type
     * @param maybe the {@code Maybe} to subscribe to (once)
     * @return the value, or {@code null} if {@code maybe} completes empty
     * @throws NullPointerException if {@code maybe} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> T await(Maybe<T> maybe) {
        Objects.requireNonNull(maybe, "maybe is null");
        AwaitObserver<T> o = new AwaitObserver<>("RxBridge.await(Maybe)");
        o.subscribing = true;
        try {
            maybe.subscribe(o);
        } finally {
            o.subscribing = false;
        }
        return o.result();
    }

    /**
     * {@link #await(Single)} for a {@code Completable}: returns when it completes.
     *
     * @param completable the {@code Completable} to subscribe to (once)
     * @throws NullPointerException if {@code completable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static void await(Completable completable) {
        Objects.requireNonNull(completable, "completable is null");
        AwaitObserver<Void> o = new AwaitObserver<>("RxBridge.await(Completable)");
        o.subscribing = true;
        try {
            completable.subscribe(o);
        } finally {
            o.subscribing = false;
        }
        o.result();
    }

    /**
     * Inside a coroutine: the first item of {@code flowable} (requested one at a time), then cancels it.
     * Suspends the coroutine, not the loop; items from other threads hop onto the loop.
     *
     * @param <T> the item type
     * @param flowable the {@code Flowable} to subscribe to
     * @return the first item
     * @throws NullPointerException if {@code flowable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws NoSuchElementException if it completes empty
     */
    public static <T> T awaitFirst(Flowable<T> flowable) {
        return Reactive.awaitFirst(Objects.requireNonNull(flowable, "flowable is null"));
    }

    /**
     * Inside a coroutine: the first item, or {@code defaultValue} if {@code flowable} completes
     * empty; as {@link #awaitFirst(Flowable)}, it requests one item and then cancels.
     *
     * @param <T> the item type
     * @param flowable the {@code Flowable} to subscribe to
     * @param defaultValue returned if {@code flowable} completes empty; may be null
     * @return the first item, or {@code defaultValue}
     * @throws NullPointerException if {@code flowable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> T awaitFirstOrDefault(Flowable<T> flowable, T defaultValue) {
        return Reactive.awaitFirstOrDefault(Objects.requireNonNull(flowable, "flowable is null"), defaultValue);
    }

    /**
     * Inside a coroutine: the first item, or {@code null} if {@code flowable} completes empty; as
     * {@link #awaitFirst(Flowable)}, it requests one item and then cancels.
     *
     * @param <T> the item type
     * @param flowable the {@code Flowable} to subscribe to
     * @return the first item, or {@code null}
     * @throws NullPointerException if {@code flowable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> T awaitFirstOrNull(Flowable<T> flowable) {
        return Reactive.awaitFirstOrNull(Objects.requireNonNull(flowable, "flowable is null"));
    }

    /**
     * Inside a coroutine: the last item once {@code flowable} completes. Items are requested {@value
     * Reactive#DEFAULT_PREFETCH} at a time and all but the last dropped.
     *
     * @param <T> the item type
     * @param flowable the {@code Flowable} to read to its end
     * @return the last item
     * @throws NullPointerException if {@code flowable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws NoSuchElementException if {@code flowable} completes empty
     */
    public static <T> T awaitLast(Flowable<T> flowable) {
        return Reactive.awaitLast(Objects.requireNonNull(flowable, "flowable is null"));
    }

    /**
     * Inside a coroutine: the only item, once {@code flowable} completes (requests two items).
     *
     * @param <T> the item type
     * @param flowable the {@code Flowable} to read to its end
     * @return the only item
     * @throws NullPointerException if {@code flowable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws NoSuchElementException if {@code flowable} completes empty
     * @throws IllegalArgumentException if {@code flowable} emits a second item (the subscription is
     *     cancelled)
     */
    public static <T> T awaitSingle(Flowable<T> flowable) {
        return Reactive.awaitSingle(Objects.requireNonNull(flowable, "flowable is null"));
    }

    /**
     * Inside a coroutine: the only item, or {@code null} if {@code flowable} completes empty
     * (requests two items).
     *
     * @param <T> the item type
     * @param flowable the {@code Flowable} to read to its end
     * @return the only item, or {@code null}
     * @throws NullPointerException if {@code flowable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws IllegalArgumentException if {@code flowable} emits a second item (the subscription is
     *     cancelled)
     */
    public static <T> T awaitSingleOrNull(Flowable<T> flowable) {
        return Reactive.awaitSingleOrNull(Objects.requireNonNull(flowable, "flowable is null"));
    }

    /**
     * Inside a coroutine: the first item of {@code observable}, then disposes it (an {@code
     * Observable} has no backpressure: nothing is requested).
     *
     * @param <T> the item type
     * @param observable the {@code Observable} to subscribe to
     * @return the first item
     * @throws NullPointerException if {@code observable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws NoSuchElementException if it completes empty
     */
    public static <T> T awaitFirst(Observable<T> observable) {
        return await(Objects.requireNonNull(observable, "observable is null").firstOrError());
    }

    /**
     * Inside a coroutine: the first item, or {@code defaultValue} if {@code observable} completes
     * empty; then disposes it.
     *
     * @param <T> the item type
     * @param observable the {@code Observable} to subscribe to
     * @param defaultValue returned if {@code observable} completes empty; may be null
     * @return the first item, or {@code defaultValue}
     * @throws NullPointerException if {@code observable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> T awaitFirstOrDefault(Observable<T> observable, T defaultValue) {
        T first = awaitFirstOrNull(observable);
        return first != null ? first : defaultValue;
    }

    /**
     * Inside a coroutine: the first item, or {@code null} if {@code observable} completes empty;
     * then disposes it.
     *
     * @param <T> the item type
     * @param observable the {@code Observable} to subscribe to
     * @return the first item, or {@code null}
     * @throws NullPointerException if {@code observable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> T awaitFirstOrNull(Observable<T> observable) {
        return await(Objects.requireNonNull(observable, "observable is null").firstElement());
    }

    /**
     * Inside a coroutine: the last item once {@code observable} completes.
     *
     * @param <T> the item type
     * @param observable the {@code Observable} to read to its end
     * @return the last item
     * @throws NullPointerException if {@code observable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws NoSuchElementException if {@code observable} completes empty
     */
    public static <T> T awaitLast(Observable<T> observable) {
        return await(Objects.requireNonNull(observable, "observable is null").lastOrError());
    }

    /**
     * Inside a coroutine: the only item, once {@code observable} completes.
     *
     * @param <T> the item type
     * @param observable the {@code Observable} to read to its end
     * @return the only item
     * @throws NullPointerException if {@code observable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws NoSuchElementException if {@code observable} completes empty
     * @throws IllegalArgumentException if {@code observable} emits a second item (it is disposed)
     */
    public static <T> T awaitSingle(Observable<T> observable) {
        return await(Objects.requireNonNull(observable, "observable is null").singleOrError());
    }

    /**
     * Inside a coroutine: the only item, or {@code null} if {@code observable} completes empty.
     *
     * @param <T> the item type
     * @param observable the {@code Observable} to read to its end
     * @return the only item, or {@code null}
     * @throws NullPointerException if {@code observable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws IllegalArgumentException if {@code observable} emits a second item (it is disposed)
     */
    public static <T> T awaitSingleOrNull(Observable<T> observable) {
        return await(Objects.requireNonNull(observable, "observable is null").singleElement());
    }

    /**
     * Inside a coroutine: iterates {@code flowable}, requesting {@code prefetch} items and more as
     * they are read; see {@link LoopSubscriber}. Close it (try-with-resources) or {@code break} out
     * of a try-with-resources block to cancel early.
     *
     * <p><b>Backpressure:</b> at most {@code prefetch} items wait in its buffer. <b>Scheduler:</b>
     * loop thread only; items from other threads hop onto the loop.
     *
     * @param <T> the item type
     * @param flowable the {@code Flowable} to subscribe to (at once, by this call)
     * @param prefetch the most items buffered, and the first request; at least 1
     * @return the subscriber, an iterator whose {@code hasNext()} suspends until an item, the end or
     *     an error (rethrown) arrives
     * @throws NullPointerException if {@code flowable} is null
     * @throws IllegalArgumentException if {@code prefetch} is less than 1
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> LoopSubscriber<T> iterate(Flowable<T> flowable, int prefetch) {
        return Reactive.iterate(Objects.requireNonNull(flowable, "flowable is null"), prefetch);
    }

    /**
     * Inside a coroutine: iterates {@code observable}, whose items wait for the coroutine in a buffer
     * of {@code bufferSize}; an item that finds the buffer full fails the iteration with {@link
     * MissingBackpressureException} (never a silent loss); see {@link LoopObserver}. Close it
     * (try-with-resources) to dispose the upstream early.
     *
     * <p><b>Backpressure:</b> none upstream ({@code Observable}); the buffer bounds what waits.
     * <b>Scheduler:</b> loop thread only; items from other threads hop onto the loop.
     *
     * @param <T> the item type
     * @param observable the {@code Observable} to subscribe to (at once, by this call)
     * @param bufferSize the most items that may wait unread; at least 1
     * @return the observer, an iterator whose {@code hasNext()} suspends until an item, the end or
     *     an error (rethrown) arrives
     * @throws NullPointerException if {@code observable} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws IllegalArgumentException if {@code bufferSize} is less than 1
     */
    public static <T> LoopObserver<T> iterate(Observable<T> observable, int bufferSize) {
        Objects.requireNonNull(observable, "observable is null");
        EventLoop loop = EventLoop.running();
        if (loop == null) {
            throw new IllegalStateException(
                    "RxBridge.iterate() needs a running event loop: call it inside a coroutine");
        }
        LoopObserver<T> o = new LoopObserver<>(loop, bufferSize);
        observable.subscribe(o);
        return o;
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * An RxJava {@link Scheduler} running work on {@code loop}: {@code observeOn(scheduler(loop))}
     * moves a pipeline onto the loop; delays and periods use the loop's timers and {@code now()} its
     * clock (virtual time on a {@code TestEventLoop}). A worker's tasks run one at a time, in the
     * order scheduled; disposing a worker cancels its pending work. {@code shutdown()} disposes
     * every worker and leaves the loop open.
     *
     * @param loop the loop that runs the scheduler's work; tasks run on its thread
     * @return a new scheduler on {@code loop}
     * @throws NullPointerException if {@code loop} is null
     */
    public static Scheduler scheduler(EventLoop loop) {
        return new LoopScheduler(loop);
    }
}
