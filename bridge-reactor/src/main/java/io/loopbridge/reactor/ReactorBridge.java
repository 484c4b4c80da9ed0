package io.loopbridge.reactor;

import io.loopbridge.Async;
import io.loopbridge.context.ContextVar;
import io.loopbridge.future.Awaitable;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.internal.SharedLoop;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.reactor.internal.BlockingGuard;
import io.loopbridge.reactor.internal.ContextBridge;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineFunction;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * Coroutines inside Reactor applications, and Reactor inside coroutines.
 *
 * <pre>{@code
 * Mono<User> user = ReactorBridge.mono(() -> {
 *     Profile p = ReactorBridge.await(profiles.find(id));   // suspends, does not block
 *     Async.sleep(Duration.ofMillis(10));
 *     return new User(p);
 * });
 * Flux<Integer> enriched = ids.transform(ReactorBridge.mapAsync(8, id -> lookup(id)));
 * }</pre>
 *
 * <p>Methods without a loop use the running loop when called inside a coroutine, and otherwise one
 * shared loop, started on first use on a daemon thread ({@code loopbridge-shared}) and closed at JVM
 * shutdown.
 *
 * <p>Context: a {@link ContextVar} bound to a Reactor context key with {@link #bind} takes that
 * key's value inside {@link #mono}/{@link #flux} coroutines, and its value is put under the key into
 * the subscriber context of every {@code Mono}/{@code Flux} such a coroutine awaits, so tracing keys
 * survive the round trip. {@link #subscriberContext()} gives the whole subscriber context.
 */
public final class ReactorBridge {
    static {
        // block() on a loop's thread fails instead of stalling every coroutine of the loop (debug mode),
        // or of waiting forever for a mono/flux coroutine that needs this very thread
        BlockingGuard.install();
    }

    private ReactorBridge() {}

    // ---------------------------------------------------------------- coroutines → Reactor

    /**
     * A cold {@code Mono} of the coroutine's result: each subscription runs it as a task on {@code
     * loop}; a {@code null} result completes empty; cancelling cancels the task. A failure after the
     * subscriber cancelled goes to {@code Hooks.onErrorDropped}.
     *
     * <p><b>Scheduler:</b> the coroutine runs on {@code loop}'s thread and the {@code Mono} signals
     * from it; subscribing is allowed from any thread. The subscriber's Reactor context is readable
     * inside through {@link #subscriberContext()}.
     *
     * @param <T> the coroutine's result type
     * @param loop the loop each subscription's task runs on; if it is closed when a subscriber
     *     subscribes, that subscriber gets {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @param coroutine the code run once per subscription; its result is the {@code Mono}'s value
     * @return a cold {@code Mono} of at most one value
     * @throws NullPointerException if {@code loop} or {@code coroutine} is null
     */
    public static <T> Mono<T> mono(EventLoop loop, Coroutine<T> coroutine) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(coroutine, "coroutine");
        // a failure after the cancel: the core publisher sends it to Hooks.onErrorDropped (its subscriber is Reactor's)
        return Mono.deferContextual(view -> {
            Mono<T> mono = Mono.fromDirect(Reactive.<T>fromCoroutine(loop, () -> {
                ContextBridge.enter(view);
                return coroutine.call();
            }));
            return BlockingGuard.tracked(loop, mono);
        });
    }

    /**
     * {@link #mono(EventLoop, Coroutine)} on the running or the shared loop (chosen when this
     * method is called, not at subscription).
     *
     * @param <T> the coroutine's result type
     * @param coroutine the code run once per subscription; its result is the {@code Mono}'s value
     * @return a cold {@code Mono} of at most one value, signalling on the chosen loop's thread
     * @throws NullPointerException if {@code coroutine} is null
     */
    public static <T> Mono<T> mono(Coroutine<T> coroutine) {
        return mono(SharedLoop.currentOrShared(), coroutine);
    }

    /**
     * A cold {@code Flux}: each subscription runs {@code body} as an async generator on {@code
     * loop}, each {@code y.yield(v)} an {@code onNext}, paced by demand (nothing is buffered, no
     * overflow strategy is needed); cancelling closes the generator. A failure after the subscriber
     * cancelled goes to {@code Hooks.onErrorDropped}.
     *
     * <p><b>Backpressure:</b> honoured; a {@code yield} returns at once while there is demand and
     * suspends the generator until there is. <b>Scheduler:</b> the body runs on {@code loop}'s thread
     * and every signal comes from it; {@code request} and {@code cancel} may come from any thread.
     *
     * @param <T> the type of the items yielded
     * @param loop the loop each subscription's generator runs on; if it is closed when a subscriber
     *     subscribes, that subscriber gets {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @param body the generator body run once per subscription; returning completes the {@code
     *     Flux}, throwing fails it
     * @return a cold {@code Flux} of what {@code body} yields
     * @throws NullPointerException if {@code loop} or {@code body} is null
     */
    public static <T> Flux<T> flux(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(body, "body");
        // a failure after the cancel: the core publisher sends it to Hooks.onErrorDropped (its subscriber is Reactor's)
        return Flux.deferContextual(view -> {
            Flux<T> flux = Flux.from(Reactive.<T>publisher(loop, y -> {
                ContextBridge.enter(view);
                body.run(y);
            }));
            return BlockingGuard.tracked(loop, flux);
        });
    }

    /**
     * {@link #flux(EventLoop, AsyncGenerator.Body)} on the running or the shared loop (chosen when
     * this method is called, not at subscription).
     *
     * @param <T> the type of the items yielded
     * @param body the generator body run once per subscription; returning completes the {@code
     *     Flux}, throwing fails it
     * @return a cold {@code Flux} of what {@code body} yields, paced by demand and signalling on the
     *     chosen loop's thread
     * @throws NullPointerException if {@code body} is null
     */
    public static <T> Flux<T> flux(AsyncGenerator.Body<T, Void> body) {
        return flux(SharedLoop.currentOrShared(), body);
    }

    /**
     * A {@code Mono} of {@code awaitable}'s outcome; cancelling does not cancel the awaitable. A
     * {@code null} result completes empty.
     *
     * <p><b>Scheduler:</b> signals come from the awaitable's loop thread.
     *
     * @param <T> the awaitable's result type
     * @param awaitable the future or task to observe; it may be shared, and each subscription reads
     *     the same outcome. If its loop is closed when a subscriber subscribes, that subscriber gets
     *     {@code onError(IllegalStateException)},
     *     at once and on the subscribing thread
     * @return a {@code Mono} of {@code awaitable}'s result, empty for {@code null}, failing with its
     *     exception ({@link CancellationException} if it was cancelled)
     * @throws NullPointerException if {@code awaitable} is null
     */
    public static <T> Mono<T> toMono(Awaitable<T> awaitable) {
        Mono<T> mono = Mono.fromDirect(Reactive.fromAwaitable(awaitable));
        return Mono.defer(() -> BlockingGuard.tracked(awaitable.loop(), mono));
    }

    /**
     * A {@code Flux} of the items of an async generator; as a generator runs once, only one
     * subscription reads it. The generator runs on {@code loop}.
     *
     * <p><b>Backpressure:</b> honoured: the generator is advanced only as items are requested.
     * <b>Scheduler:</b> the generator is read and every signal comes from {@code loop}'s thread.
     *
     * @param <T> the type of the generator's items
     * @param loop the loop the generator is read on
     * @param generator the generator to read; it is closed when the {@code Flux} completes, fails or
     *     is cancelled
     * @return a {@code Flux} of the generator's items, to subscribe to once: a later subscriber
     *     ({@code retry} and {@code repeat} included) gets {@code onError(IllegalStateException)}, as
     *     from Reactor's one-shot sources such as {@code Flux.fromStream}
     * @throws NullPointerException if {@code loop} or {@code generator} is null
     */
    public static <T> Flux<T> toFlux(EventLoop loop, AsyncGenerator<T, ?> generator) {
        Objects.requireNonNull(generator, "generator");
        Flux<T> once = flux(loop, y -> {
            try {
                for (T item : generator) {
                    y.yield(item);
                }
            } finally {
                close(generator);
            }
        });
        // a second subscriber would share or miss the items (retry would complete empty): refuse it
        AtomicBoolean subscribed = new AtomicBoolean();
        return Flux.defer(() -> subscribed.compareAndSet(false, true)
                ? once
                : Flux.error(new IllegalStateException("ReactorBridge.toFlux(" + generator
                        + ") allows only one subscriber: the generator runs once (use ReactorBridge.flux(body) for a"
                        + " source each subscriber runs again)")));
    }

    /**
     * Closes {@code generator}. A cancel that reached it through the awaited {@code anext} wakes this
     * task first and unwinds the generator's body after (its {@code finally} may await): until that
     * is over, {@code aclose} fails as "already running", so wait for it.
     */
    private static void close(AsyncGenerator<?, ?> generator) {
        boolean first = true;
        while (!generator.isDone()) {
            LoopFuture<Void> closed;
            try {
                closed = generator.aclose();
            } catch (IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().contains("already running")) {
                    throw e;
                }
                Async.sleep(first ? Duration.ZERO : Duration.ofMillis(1));
                first = false;
                continue;
            }
            Async.await(closed);
        }
    }

    /**
     * {@link #toFlux(EventLoop, AsyncGenerator)} on the running or the shared loop (chosen when this
     * method is called, not at subscription).
     *
     * @param <T> the type of the generator's items
     * @param generator the generator to read; it is closed when the {@code Flux} completes, fails or
     *     is cancelled
     * @return a {@code Flux} of the generator's items, to subscribe to once (a later subscriber gets
     *     {@code onError(IllegalStateException)})
     * @throws NullPointerException if {@code generator} is null
     */
    public static <T> Flux<T> toFlux(AsyncGenerator<T, ?> generator) {
        return toFlux(SharedLoop.currentOrShared(), generator);
    }

    /**
     * A transformer for {@code flux.transform(...)}: runs {@code fn} as a coroutine per item on
     * {@code loop}, at most {@code concurrency} at a time, results in upstream order (see {@link
     * Reactive#mapAsync}), Reactor's {@code flatMapSequential} with a coroutine per item.
     *
     * <p><b>Backpressure:</b> requests {@code concurrency} items from upstream, then one more per
     * result emitted; results wait for downstream demand. <b>Context:</b> the subscriber context
     * reaches the upstream, and each coroutine sees it as a {@link #mono} coroutine does (bound
     * context vars, {@link #subscriberContext()}). <b>Scheduler:</b> the coroutines run and
     * the results are emitted on {@code loop}'s thread; upstream signals from other threads hop onto
     * it. An upstream error or a coroutine failure after the {@code Flux} ended or was cancelled
     * goes to {@code Hooks.onErrorDropped}; the results not emitted and the items whose coroutine had
     * not started, to the subscriber's discard hook ({@code doOnDiscard}).
     *
     * @param <T> the upstream item type
     * @param <R> the result type
     * @param loop the loop the coroutines run on
     * @param concurrency the most coroutines in flight at once, and the upstream prefetch; at least 1
     * @param fn the coroutine run per item; a failure or a {@code null} result cancels the rest and
     *     fails the {@code Flux}
     * @return a function from the upstream {@code Flux} to the {@code Flux} of results
     * @throws NullPointerException if {@code loop} or {@code fn} is null
     * @throws IllegalArgumentException if {@code concurrency} is less than 1
     */
    public static <T, R> Function<Flux<T>, Flux<R>> mapAsync(
            EventLoop loop, int concurrency, CoroutineFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(fn, "fn");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        // an operator like any other: the subscriber context reaches the upstream and each item's coroutine
        return flux -> Flux.deferContextual(view -> {
            Flux<T> upstream = view.isEmpty() ? flux : flux.contextWrite(view);
            CoroutineFunction<? super T, ? extends R> perItem = view.isEmpty()
                    ? fn
                    : item -> {
                        ContextBridge.enter(view);
                        return fn.apply(item);
                    };
            return BlockingGuard.tracked(loop, Flux.from(Reactive.mapAsync(upstream, loop, concurrency, perItem)));
        });
    }

    /**
     * {@link #mapAsync(EventLoop, int, CoroutineFunction)} on the running or the shared loop (chosen
     * when this method is called, not at subscription).
     *
     * @param <T> the upstream item type
     * @param <R> the result type
     * @param concurrency the most coroutines in flight at once, and the upstream prefetch; at least 1
     * @param fn the coroutine run per item; a failure or a {@code null} result cancels the rest and
     *     fails the {@code Flux}
     * @return a function from the upstream {@code Flux} to the {@code Flux} of results
     * @throws NullPointerException if {@code fn} is null
     * @throws IllegalArgumentException if {@code concurrency} is less than 1
     */
    public static <T, R> Function<Flux<T>, Flux<R>> mapAsync(
            int concurrency, CoroutineFunction<? super T, ? extends R> fn) {
        return mapAsync(SharedLoop.currentOrShared(), concurrency, fn);
    }

    // ---------------------------------------------------------------- Reactor → coroutines

    /**
     * Inside a coroutine: subscribes to {@code mono} and suspends until it completes; returns its
     * value, or {@code null} when it is empty ({@code Mono<Void>} included). A ready {@code Mono}
     * costs no suspension. Cancelling the coroutine cancels the subscription. The coroutine form of
     * {@code mono.block()}, without blocking the loop; an error is rethrown as it is when unchecked,
     * wrapped in {@code CompletionException} when checked. A source that breaks the {@code Mono}
     * contract keeps its first value: a second item goes to {@code Hooks.onNextDropped}, an error
     * after the value to {@code Hooks.onErrorDropped}.
     *
     * <p><b>Scheduler:</b> loop thread only (inside a coroutine); a signal from another thread hops
     * onto the loop before the coroutine resumes.
     *
     * @param <T> the value type
     * @param mono the {@code Mono} to subscribe to (once)
     * @return the value, or {@code null} if {@code mono} completes empty
     * @throws NullPointerException if {@code mono} is null
     * @throws IllegalStateException if {@code mono} is not ready and no coroutine is running (a
     *     ready {@code Mono}, such as {@code Mono.just}, is read anywhere)
     */
    public static <T> T await(Mono<T> mono) {
        return MonoAwait.await(mono);
    }

    /**
     * Inside a coroutine: the first item of {@code flux}, then cancels it (requests one item).
     * Suspends the coroutine, not the loop; items from other threads hop onto the loop.
     *
     * @param <T> the item type
     * @param flux the {@code Flux} to subscribe to
     * @return the first item
     * @throws NullPointerException if {@code flux} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws java.util.NoSuchElementException if {@code flux} completes empty
     */
    public static <T> T awaitFirst(Flux<T> flux) {
        return Reactive.awaitFirst(checked(flux));
    }

    /**
     * Inside a coroutine: the first item, or {@code defaultValue} if {@code flux} completes empty;
     * as {@link #awaitFirst}, it requests one item and then cancels.
     *
     * @param <T> the item type
     * @param flux the {@code Flux} to subscribe to
     * @param defaultValue returned if {@code flux} completes empty; may be null
     * @return the first item, or {@code defaultValue}
     * @throws NullPointerException if {@code flux} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> T awaitFirstOrDefault(Flux<T> flux, T defaultValue) {
        return Reactive.awaitFirstOrDefault(checked(flux), defaultValue);
    }

    /**
     * Inside a coroutine: the first item, or {@code null} if {@code flux} completes empty; as
     * {@link #awaitFirst}, it requests one item and then cancels.
     *
     * @param <T> the item type
     * @param flux the {@code Flux} to subscribe to
     * @return the first item, or {@code null}
     * @throws NullPointerException if {@code flux} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> T awaitFirstOrNull(Flux<T> flux) {
        return Reactive.awaitFirstOrNull(checked(flux));
    }

    /**
     * Inside a coroutine: the last item once {@code flux} completes. Items are requested {@value
     * Reactive#DEFAULT_PREFETCH} at a time and all but the last dropped.
     *
     * @param <T> the item type
     * @param flux the {@code Flux} to read to its end
     * @return the last item
     * @throws NullPointerException if {@code flux} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws NoSuchElementException if {@code flux} completes empty
     */
    public static <T> T awaitLast(Flux<T> flux) {
        return Reactive.awaitLast(checked(flux));
    }

    /**
     * Inside a coroutine: the only item, once {@code flux} completes (requests two items).
     *
     * @param <T> the item type
     * @param flux the {@code Flux} to read to its end
     * @return the only item
     * @throws NullPointerException if {@code flux} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws NoSuchElementException if {@code flux} completes empty
     * @throws IllegalArgumentException if {@code flux} emits a second item (the subscription is
     *     cancelled)
     */
    public static <T> T awaitSingle(Flux<T> flux) {
        return Reactive.awaitSingle(checked(flux));
    }

    /**
     * Inside a coroutine: the only item, or {@code null} if {@code flux} completes empty (requests
     * two items).
     *
     * @param <T> the item type
     * @param flux the {@code Flux} to read to its end
     * @return the only item, or {@code null}
     * @throws NullPointerException if {@code flux} is null
     * @throws IllegalStateException if no event loop is running on the calling thread
     * @throws IllegalArgumentException if {@code flux} emits a second item (the subscription is
     *     cancelled)
     */
    public static <T> T awaitSingleOrNull(Flux<T> flux) {
        return Reactive.awaitSingleOrNull(checked(flux));
    }

    /**
     * Inside a coroutine: iterates {@code flux}, {@code prefetch} items at a time; see {@link
     * LoopSubscriber}. Close it (try-with-resources) to cancel early; an error the {@code Flux}
     * sends after that goes to {@code Hooks.onErrorDropped}, an item after its end to {@code
     * Hooks.onNextDropped}.
     *
     * <p><b>Backpressure:</b> requests {@code prefetch} items, then more as they are read, so at most
     * {@code prefetch} wait in its buffer. <b>Scheduler:</b> loop thread only; items from other
     * threads hop onto the loop.
     *
     * @param <T> the item type
     * @param flux the {@code Flux} to subscribe to (at once, by this call)
     * @param prefetch the most items buffered, and the first request; at least 1
     * @return the subscriber, an iterator whose {@code hasNext()} suspends until an item, the end or
     *     an error (rethrown) arrives
     * @throws NullPointerException if {@code flux} is null
     * @throws IllegalArgumentException if {@code prefetch} is less than 1
     * @throws IllegalStateException if no event loop is running on the calling thread
     */
    public static <T> LoopSubscriber<T> iterate(Flux<T> flux, int prefetch) {
        return Reactive.iterate(checked(flux), prefetch);
    }

    /** The coroutine's bound context vars reach the Flux through the subscriber ({@link io.loopbridge.reactor.internal.ReactorSubscriberFactory}). */
    private static <T> Flux<T> checked(Flux<T> flux) {
        return Objects.requireNonNull(flux, "flux");
    }

    // ---------------------------------------------------------------- scheduling and context

    /**
     * A Reactor {@link Scheduler} running work on {@code loop}: {@code publishOn(scheduler(loop))}
     * moves a pipeline onto the loop. Delays and periods use the loop's timers. Disposing the
     * scheduler cancels its pending work but leaves the loop open.
     *
     * @param loop the loop that runs the scheduler's work; tasks run on its thread
     * @return a new scheduler on {@code loop}
     * @throws NullPointerException if {@code loop} is null
     */
    public static Scheduler scheduler(EventLoop loop) {
        return new LoopScheduler(loop);
    }

    /**
     * An {@link Executor} on {@link Schedulers#boundedElastic()}, for {@code
     * loop.runInExecutor(ReactorBridge.boundedElastic(), blockingCall)}: blocking work leaves the
     * loop for Reactor's pool for blocking tasks.
     *
     * @return an executor that schedules each task on Reactor's shared {@code boundedElastic}
     *     scheduler (looked up per task)
     */
    public static Executor boundedElastic() {
        return task -> Schedulers.boundedElastic().schedule(task);
    }

    /**
     * Binds {@code var} to the Reactor context key {@code key}, for every bridged coroutine from now
     * on (see the class comment).
     *
     * @param var the context var to bind
     * @param key the Reactor context key it mirrors; binding the same var to the same key again does
     *     nothing
     * @throws NullPointerException if {@code var} or {@code key} is null
     * @throws IllegalStateException if {@code var} is already bound to another key
     */
    public static void bind(ContextVar<?> var, Object key) {
        ContextBridge.bind(var, key);
    }

    /**
     * Inside a {@link #mono}/{@link #flux} coroutine: the subscriber's Reactor context (empty
     * elsewhere).
     *
     * @return the subscriber context, or an empty context outside such a coroutine; never null
     */
    public static ContextView subscriberContext() {
        ContextView v = ContextBridge.SUBSCRIBER_CONTEXT.get(null);
        return v != null ? v : reactor.util.context.Context.empty();
    }
}
