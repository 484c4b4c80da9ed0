package io.loopbridge.gen;

import io.loopbridge.Async;
import io.loopbridge.context.Context;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.CurrentContext;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.internal.Driver;
import io.loopbridge.task.internal.FiberKilled;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A Python async generator: a body that may {@code Async.await} between its yields.
 *
 * <pre>{@code
 * AsyncGenerator<String, Void> ticks = AsyncGenerator.of(y -> {
 *     for (int i = 0; i < 3; i++) {
 *         Async.sleep(Duration.ofMillis(100));
 *         y.yield("tick " + i);
 *     }
 * });
 * for (String t : ticks) System.out.println(t);   // inside a coroutine: each step suspends
 * }</pre>
 *
 * <p>Requests ({@link #anext}, {@link #asend}, {@link #athrow}, {@link #aclose}) are made on the
 * loop's thread (in a coroutine or a callback) and return a future of the outcome; a value the body
 * yields without awaiting completes that future before the request returns. An exhausted generator
 * fails {@code anext} with {@link NoSuchElementException} (Python's {@code StopAsyncIteration}).
 * Cancelling a request's future cancels the await the body is suspended in. The loop keeps track of
 * unfinished async generators: {@link EventLoop#shutdownAsyncGens()} (called by {@code Async.run})
 * closes them so their {@code finally} blocks run.
 *
 * @param <Y> the type of the values yielded
 * @param <S> the type of the values sent in ({@code Void} when nothing is sent)
 */
public final class AsyncGenerator<Y, S> implements Iterable<Y> {
    /**
     * The body of an async generator.
     *
     * @param <Y> the type of the values the body yields
     * @param <S> the type of the values sent in with {@code asend}
     */
    @FunctionalInterface
    public interface Body<Y, S> {
        /**
         * Runs on the loop's thread, from one {@code yield} to the next for each request ({@code
         * anext}, {@code asend}, {@code athrow}); may {@code Async.await} between yields.
         *
         * @param y the handle to yield values through and to receive the values sent in
         * @throws Exception a failure, which fails the future of the request that resumed the body
         */
        void run(AsyncYielder<Y, S> y) throws Exception;
    }

    private static final LoopAccess LOOPS = LoopAccess.get();
    private static final int CREATED = 0;
    private static final int SUSPENDED = 1;
    private static final int RUNNING = 2;
    private static final int DONE = 3;
    /** {@link #directOutcome}: the body has not yielded or ended yet (it awaits something). */
    private static final int DIRECT_PENDING = 0;
    /** {@link #directOutcome}: the body yielded {@link #directValue}. */
    private static final int DIRECT_YIELDED = 1;
    /** {@link #directOutcome}: the body returned. */
    private static final int DIRECT_ENDED = 2;

    private final Body<Y, S> body;
    private final YielderImpl yielder = new YielderImpl();
    private GenDriver driver;
    private int state = CREATED;
    /** The request the body is working on; completed by its next yield or its end. */
    private Request pending;

    private boolean closing;
    private Object sent;
    private Throwable thrownIn;
    /** The context of the code making the request: the body resumes in it, as in asyncio. */
    private Object requesterContext;

    /**
     * Set while the iterator resumes the body without a request future: a yield or end before the
     * body awaits anything lands in {@link #directOutcome} and {@link #directValue} instead.
     */
    private boolean direct;

    private int directOutcome;
    private Object directValue;
    /** The exception the body failed with while {@link #direct}. */
    private Throwable directFailure;

    private AsyncGenerator(Body<Y, S> body) {
        this.body = body;
    }

    /**
     * An async generator running {@code body}; nothing runs until the first request.
     *
     * @param <Y> the type of the values yielded
     * @param <S> the type of the values sent in
     * @param body the code to run on the loop of the requests; must not be null
     * @return a new generator in its not-started state
     */
    public static <Y, S> AsyncGenerator<Y, S> of(Body<Y, S> body) {
        return new AsyncGenerator<>(Objects.requireNonNull(body, "body"));
    }

    /**
     * A future of the next value (Python's {@code anext}).
     *
     * @return a future of the next value; it fails with {@link NoSuchElementException} once the
     *     body has returned
     */
    public LoopFuture<Y> anext() {
        return cast(request("anext", null, null, false));
    }

    /**
     * Resumes the body with {@code value} as the result of its paused yield; a future of the next
     * value.
     *
     * @param value the value the paused yield returns in the body; must be null before the first
     *     yield
     * @return a future of the next value the body yields, failing with {@link
     *     NoSuchElementException} if the body returns instead
     * @throws IllegalStateException if a request is still pending ("already running"), or a
     *     non-null value is sent before the first yield
     */
    public LoopFuture<Y> asend(S value) {
        if (state == CREATED && value != null) {
            throw new IllegalStateException(
                    "can't send non-null value to a just-started async generator: call anext() first");
        }
        return cast(request("asend", value, null, false));
    }

    /**
     * Raises {@code error} at the paused yield; a future of the value yielded next if the body
     * handles it, or of {@code error} if it lets it pass.
     *
     * @param error the exception to raise inside the body; must not be null
     * @return a future of the next value yielded, or failed with whatever the body lets escape
     */
    public LoopFuture<Y> athrow(Throwable error) {
        Objects.requireNonNull(error, "error");
        return cast(request("athrow", null, error, false));
    }

    /**
     * Closes the generator: raises {@link GeneratorExit} at the paused yield so its {@code finally}
     * blocks run (they may await). A future that completes when the body has ended; it fails with
     * {@code RuntimeException("async generator ignored GeneratorExit")} if the body yields again.
     *
     * @return a future that completes with null once the body has ended
     */
    public LoopFuture<Void> aclose() {
        return cast(request("aclose", null, new GeneratorExit(), true));
    }

    /**
     * Whether the body has ended.
     *
     * @return true once the body has returned, failed or been closed
     */
    public boolean isDone() {
        return state == DONE;
    }

    /**
     * Iteration inside a coroutine: {@code hasNext()} awaits the next value. A value the body
     * yields without awaiting is taken straight from it: the loop neither suspends nor makes a
     * future for it. Breaking out of the loop leaves the generator open: close it with {@code
     * Async.await(gen.aclose())}.
     */
    @Override
    public Iterator<Y> iterator() {
        return new Iterator<>() {
            private boolean ready;
            private Y value;

            @Override
            public boolean hasNext() {
                if (ready) {
                    return true;
                }
                LoopFuture<Object> awaiting = nextDirect();
                if (awaiting == null) {
                    if (directOutcome == DIRECT_ENDED) {
                        return false;
                    }
                    value = castValue(directValue);
                    directValue = null;
                    ready = true;
                    return true;
                }
                try {
                    value = castValue(Async.await(awaiting));
                } catch (Exhausted end) {
                    return false;
                }
                ready = true;
                return true;
            }

            @Override
            public Y next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("async generator exhausted");
                }
                ready = false;
                Y v = value;
                value = null;
                return v;
            }
        };
    }

    private LoopFuture<Object> request(String op, Object value, Throwable error, boolean close) {
        EventLoop loop = bind(op);
        if (pending != null || direct) {
            throw new IllegalStateException(op + "(): asynchronous generator is already running");
        }
        Request r = new Request(loop);
        if (state == DONE || (close && state == CREATED)) {
            state = DONE;
            if (close) {
                r.setResult(null);
            } else if (error != null) {
                r.setException(error);
            } else {
                r.setException(new Exhausted());
            }
            return r;
        }
        if (state == CREATED && error != null) {
            state = DONE;
            r.setException(error);
            return r;
        }
        pending = r;
        closing = close;
        sent = value;
        thrownIn = error;
        requesterContext = CurrentContext.inUse() ? Context.current() : null;
        state = RUNNING;
        driver.resumeNow();
        return r;
    }

    /**
     * {@code anext()} for the iterator, without a future while the body does not await: it runs
     * nested in the caller, so a value yielded (or an end reached) before any await is handed
     * back in {@link #directOutcome} and the caller has nothing to await, as with an asyncio
     * async generator whose body does not await. Only when the body suspends in an await does the
     * request get its future, which the caller then awaits (and may cancel). Returns that future,
     * or null when the outcome is in {@link #directOutcome}.
     */
    private LoopFuture<Object> nextDirect() {
        EventLoop loop = bind("anext");
        if (pending != null || direct) {
            throw new IllegalStateException("anext(): asynchronous generator is already running");
        }
        if (state == DONE) {
            directOutcome = DIRECT_ENDED;
            return null;
        }
        direct = true;
        directOutcome = DIRECT_PENDING;
        closing = false;
        sent = null;
        thrownIn = null;
        requesterContext = CurrentContext.inUse() ? Context.current() : null;
        state = RUNNING;
        try {
            driver.resumeNow();
        } finally {
            direct = false;
        }
        if (directOutcome != DIRECT_PENDING) {
            return null;
        }
        if (state == DONE) {
            // the body failed before awaiting anything: hand the failure over as anext() would
            Request failed = new Request(loop);
            failed.setException(directFailure);
            directFailure = null;
            return failed;
        }
        // the body awaits something: from here on it is an ordinary pending request
        Request r = new Request(loop);
        pending = r;
        return r;
    }

    private EventLoop bind(String op) {
        if (driver != null) {
            EventLoop loop = driver.loop();
            if (!loop.inLoop() && state != DONE) { // a finished generator answers without its body
                loop.checkOwner(op); // another thread while it runs: that message
                if (loop.isClosed() && Driver.unwinding(loop)) {
                    // a task's finally closing its generator while the closing loop unwinds it: as
                    // an await there, it ends at once (the close unwinds the generator too)
                    throw new FiberKilled();
                }
                // stopped or closed: a body resumed now would run outside its loop, where even
                // closing that loop from the body would have to unwind the body itself
                throw new IllegalStateException(op + "() needs the generator's event loop running on this thread ("
                        + (loop.isClosed() ? "it is closed" : "it is not running")
                        + "): call it inside a coroutine of that loop");
            }
            return loop;
        }
        EventLoop loop = EventLoop.running();
        if (loop == null) {
            throw new IllegalStateException(op + "() needs a running event loop: call it inside a coroutine");
        }
        loop.checkOwner(op);
        driver = new GenDriver(loop);
        LOOPS.asyncGenerators(loop).add(driver); // the loop finalizes it, or unwinds it when closed
        return loop;
    }

    private void finish(Object value, Throwable error) {
        state = DONE;
        LOOPS.asyncGenerators(driver.loop()).remove(driver);
        if (direct) {
            direct = false;
            if (error == null) {
                directOutcome = DIRECT_ENDED;
            } else {
                directFailure = error;
            }
            return;
        }
        Request r = pending;
        pending = null;
        if (r == null || r.isDone()) {
            return;
        }
        if (closing) {
            if (error == null || error instanceof GeneratorExit) {
                r.setResult(null);
            } else {
                r.setException(error);
            }
        } else if (error != null) {
            r.setException(error);
        } else {
            r.setException(new Exhausted());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> LoopFuture<T> cast(LoopFuture<?> f) {
        return (LoopFuture<T>) f;
    }

    @SuppressWarnings("unchecked")
    private static <T> T castValue(Object v) {
        return (T) v;
    }

    @Override
    public String toString() {
        String[] names = {"created", "suspended", "running", "done"};
        return "AsyncGenerator[" + names[state] + "]";
    }

    /** Thrown by {@code anext} on an exhausted generator; distinct from a body's own exception. */
    private static final class Exhausted extends NoSuchElementException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super("async generator exhausted");
        }
    }

    /** A request's future: cancelling it cancels what the body awaits. */
    private final class Request extends LoopFuture<Object> {
        Request(EventLoop loop) {
            super(loop);
        }

        @Override
        public boolean cancel(String message) {
            if (!super.cancel(message)) {
                return false;
            }
            if (pending == this && state == RUNNING) {
                driver.requestCancel(message, false);
            }
            return true;
        }
    }

    private final class GenDriver extends Driver {
        private final EventLoop loop;

        GenDriver(EventLoop loop) {
            super(CurrentContext.get(), false, null);
            this.loop = loop;
        }

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        protected void runBody() {
            try {
                if (thrownIn != null) {
                    Throwable t = thrownIn;
                    thrownIn = null;
                    throw t;
                }
                body.run(yielder);
            } catch (FiberKilled killed) {
                throw killed;
            } catch (Throwable t) {
                finish(null, t);
                return;
            }
            finish(null, null);
        }

        @Override
        protected void cancelBeforeStart(String message) {
            finish(null, new java.util.concurrent.CancellationException(message));
        }

        @Override
        protected boolean finished() {
            return state == DONE;
        }

        @Override
        protected String fiberName() {
            return "async-generator";
        }

        @Override
        public Object owner() {
            return AsyncGenerator.this;
        }
    }

    private final class YielderImpl implements AsyncYielder<Y, S> {
        @Override
        @SuppressWarnings("unchecked")
        public S yield(Y value) {
            if (state != RUNNING || Driver.currentOrNull() != driver) {
                throw new IllegalStateException("yield() called outside the async generator's own body");
            }
            Request r = pending;
            pending = null;
            state = SUSPENDED;
            if (direct) {
                direct = false;
                directOutcome = DIRECT_YIELDED;
                directValue = value;
            } else if (closing) {
                if (r != null && !r.isDone()) {
                    r.setException(new RuntimeException("async generator ignored GeneratorExit"));
                }
            } else if (r != null && !r.isDone()) {
                r.setResult(value);
            }
            driver.park();
            if (requesterContext != null) {
                // on an engine whose fibers have threads of their own, the body's thread takes it
                CurrentContext.swap(requesterContext);
            }
            Throwable t = thrownIn;
            if (t != null) {
                thrownIn = null;
                throw sneaky(t);
            }
            S v = (S) sent;
            sent = null;
            return v;
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
