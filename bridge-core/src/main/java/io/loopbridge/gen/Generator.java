package io.loopbridge.gen;

import io.loopbridge.context.Context;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.CurrentContext;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.internal.Fiber;
import io.loopbridge.task.internal.Fibers;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A Python generator: a body that produces values one at a time with {@code y.yield(v)}, pausing
 * in between, and can receive values ({@link #send}), exceptions ({@link #throwIn}) and a request
 * to stop ({@link #close}) at the paused yield.
 *
 * <pre>{@code
 * Generator<Integer, Void, String> countdown = Generator.of(y -> {
 *     for (int n = 3; n > 0; n--) y.yield(n);
 *     return "liftoff";
 * });
 * for (int n : countdown) System.out.println(n);   // 3 2 1
 * countdown.result();                               // "liftoff"
 * }</pre>
 *
 * <p>The body runs on a fiber of the coroutine engine (the running loop's, else the default one),
 * so it needs no event loop. {@link #next()} costs one switch there and back; {@link
 * #forEachRemaining} and {@link #stream()} run the consumer on the body's own fiber and cost no
 * switch per value. Not thread-safe. On the thread-based engines a generator that is neither
 * exhausted nor closed keeps its thread parked: close it (it is {@link AutoCloseable}). On the
 * continuation engine a started generator is part of the stack of the thread that started it:
 * resuming or closing it from another thread throws {@link IllegalStateException}.
 *
 * @param <Y> the type of the values yielded
 * @param <S> the type of the values sent in ({@code Void} when nothing is sent)
 * @param <R> the type of the return value ({@code Void} when there is none)
 */
public final class Generator<Y, S, R> implements Iterator<Y>, Iterable<Y>, AutoCloseable {
    /**
     * The body of a generator.
     *
     * @param <Y> the type of the values yielded
     * @param <S> the type of the values sent in
     * @param <R> the type of the return value
     */
    @FunctionalInterface
    public interface Body<Y, S, R> {
        /**
         * Runs on a fiber of the coroutine engine, from one {@code yield} to the next for each
         * {@code next}, {@code send} or {@code throwIn}; the caller waits while it runs.
         *
         * @param y the handle to yield values through and to receive the values sent in
         * @return the generator's return value (Python's {@code StopIteration.value})
         * @throws Exception a failure, which the {@code next} or {@code send} that resumed the
         *     body rethrows
         */
        R run(Yielder<Y, S> y) throws Exception;
    }

    private static final Object EXHAUSTED = new Object();
    private static final int CREATED = 0;
    private static final int SUSPENDED = 1;
    private static final int RUNNING = 2;
    private static final int DONE = 3;

    private final Body<Y, S, R> body;
    private final YielderImpl yielder = new YielderImpl();
    private Fiber fiber;
    /**
     * On the continuation engine, the thread whose stack the suspended body belongs to (see {@link
     * #checkThread}); {@code null} on the other engines, whose bodies may resume from any thread.
     */
    private Thread continuationThread;

    private int state = CREATED;
    private Object sent;
    private Throwable thrownIn;
    private Object yielded;
    private Throwable failure;
    private R result;
    /** Whether the body returned (as opposed to failing or being closed): only then is there a result. */
    private boolean returned;

    private Consumer<? super Y> sink;
    /** The context of the code resuming the body: the body runs in it, as a Python generator does. */
    private Object callerContext;

    private boolean peeked;
    private Y peekedValue;

    private Generator(Body<Y, S, R> body) {
        this.body = body;
    }

    /**
     * A generator running {@code body}; nothing runs until the first {@link #next()}.
     *
     * @param <Y> the type of the values yielded
     * @param <S> the type of the values sent in
     * @param <R> the type of the return value
     * @param body the code to run lazily, on a fiber, from the first {@code next}; must not be null
     * @return a new generator that has not started
     */
    public static <Y, S, R> Generator<Y, S, R> of(Body<Y, S, R> body) {
        return new Generator<>(Objects.requireNonNull(body, "body"));
    }

    /** Whether another value can be read; runs the body up to its next yield to find out. */
    @Override
    public boolean hasNext() {
        if (peeked) {
            return true;
        }
        Object v = advance(null, null, "hasNext");
        if (v == EXHAUSTED) {
            return false;
        }
        peeked = true;
        peekedValue = cast(v);
        return true;
    }

    /**
     * Runs the body to its next yield and returns the value (Python's {@code next(gen)}).
     *
     * @throws NoSuchElementException if the body has returned ({@link #result()} has its value)
     */
    @Override
    public Y next() {
        if (peeked) {
            peeked = false;
            Y v = peekedValue;
            peekedValue = null;
            return v;
        }
        return orStop(advance(null, null, "next"));
    }

    /**
     * Resumes the body with {@code value} as the result of its paused yield and returns the next
     * value yielded.
     *
     * @param value the value the paused yield returns in the body; must be null while the
     *     generator has not started
     * @return the next value the body yields
     * @throws IllegalStateException when a non-null value is sent to a generator that has not
     *     started (it has no yield to receive it), or after {@link #hasNext()} ran ahead
     * @throws NoSuchElementException if the body returns
     */
    public Y send(S value) {
        if (peeked) {
            throw new IllegalStateException("send() after hasNext() ran the generator ahead to its next value");
        }
        if (state == CREATED && value != null) {
            throw new IllegalStateException("can't send non-null value to a just-started generator: call next() first");
        }
        return orStop(advance(value, null, "send"));
    }

    /**
     * Raises {@code error} at the paused yield. If the body handles it and yields again, returns
     * that value; if it lets it pass, it is rethrown here (checked exceptions wrapped in {@link
     * java.util.concurrent.CompletionException}).
     *
     * @param error the exception to raise at the paused yield; must not be null. On a generator
     *     that has not started or has ended it is thrown straight back and the generator is done
     * @return the value the body yields after handling {@code error}
     * @throws NoSuchElementException if the body returns
     */
    public Y throwIn(Throwable error) {
        Objects.requireNonNull(error, "error");
        if (peeked) {
            throw new IllegalStateException("throwIn() after hasNext() ran the generator ahead to its next value");
        }
        if (state == CREATED || state == DONE) {
            state = DONE;
            throw LoopFuture.rethrowable(error);
        }
        return orStop(advance(null, error, "throwIn"));
    }

    /**
     * Stops the generator: raises {@link GeneratorExit} at the paused yield so its {@code finally}
     * blocks run. Idempotent; a generator that never started just ends.
     *
     * @throws RuntimeException "generator ignored GeneratorExit" if the body yields again
     */
    @Override
    public void close() {
        if (state == RUNNING) {
            throw new IllegalStateException("generator already executing");
        }
        peeked = false;
        peekedValue = null;
        if (state != SUSPENDED) {
            state = DONE;
            return;
        }
        Object v;
        try {
            v = advance(null, new GeneratorExit(), "close");
        } catch (GeneratorExit expected) {
            return;
        }
        if (v != EXHAUSTED) {
            throw new RuntimeException("generator ignored GeneratorExit");
        }
    }

    /**
     * The body's return value (Python's {@code StopIteration.value}).
     *
     * @return the value the body returned (may be null)
     * @throws IllegalStateException if the body has not returned
     */
    public R result() {
        if (!returned) {
            throw new IllegalStateException("the generator has not returned yet");
        }
        return result;
    }

    /**
     * Whether the body has ended (returned, failed or closed).
     *
     * @return true once the body has returned, failed or been closed
     */
    public boolean isDone() {
        return state == DONE;
    }

    @Override
    public Iterator<Y> iterator() {
        return this;
    }

    /**
     * Feeds every remaining value to {@code action}, which runs on the body's own fiber: no switch
     * per value. An exception from {@code action} is raised at the yield inside the body.
     */
    @Override
    public void forEachRemaining(Consumer<? super Y> action) {
        Objects.requireNonNull(action, "action");
        if (peeked) {
            action.accept(next());
        }
        if (state == DONE) {
            return;
        }
        sink = action;
        try {
            Object v = advance(null, null, "forEachRemaining");
            if (v != EXHAUSTED) {
                throw new IllegalStateException("generator yielded while draining: " + v);
            }
        } finally {
            sink = null;
        }
    }

    /**
     * The remaining values as a sequential stream; its terminal operations drain on the body's fiber.
     *
     * @return a stream over the values not yet read; closing the stream closes the generator
     */
    public Stream<Y> stream() {
        Spliterator<Y> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
            @Override
            public boolean tryAdvance(Consumer<? super Y> action) {
                if (!hasNext()) {
                    return false;
                }
                action.accept(next());
                return true;
            }

            @Override
            public void forEachRemaining(Consumer<? super Y> action) {
                Generator.this.forEachRemaining(action);
            }
        };
        return StreamSupport.stream(split, false).onClose(this::close);
    }

    private Y orStop(Object v) {
        if (v == EXHAUSTED) {
            throw new NoSuchElementException("generator exhausted");
        }
        return cast(v);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object v) {
        return (T) v;
    }

    /** Runs the body to its next yield; returns the value or {@link #EXHAUSTED}. */
    private Object advance(Object value, Throwable error, String op) {
        switch (state) {
            case RUNNING:
                throw new IllegalStateException("generator already executing: " + op + "() from its own body");
            case DONE:
                return EXHAUSTED;
            case CREATED:
                EventLoop loop = EventLoop.running();
                CoroutineEngine engine = loop != null ? loop.engine() : CoroutineEngine.defaultEngine();
                fiber = Fibers.create(engine, loop, null, this::runBody);
                if (engine == CoroutineEngine.CONTINUATION) {
                    continuationThread = Thread.currentThread();
                }
                break;
            default:
                checkThread(op);
                break;
        }
        sent = value;
        thrownIn = error;
        callerContext = CurrentContext.inUse() ? Context.current() : null;
        state = RUNNING;
        try {
            fiber.resume();
        } catch (Throwable t) {
            state = DONE;
            throw t;
        }
        if (state == DONE) {
            Throwable f = failure;
            if (f != null) {
                failure = null;
                throw LoopFuture.rethrowable(f);
            }
            return EXHAUSTED;
        }
        state = SUSPENDED;
        Object v = yielded;
        yielded = null;
        return v;
    }

    /**
     * A body on the continuation engine is frozen frames of the thread that last ran it, and
     * JIT-compiled frames may keep {@code Thread.currentThread()} across a yield (the event loop
     * guards its coroutines the same way): resuming it on another thread could run code that
     * believes it is on the old one. Refused before anything changes, so the generator can still
     * be resumed or closed on its own thread.
     */
    private void checkThread(String op) {
        Thread last = continuationThread;
        if (last != null && last != Thread.currentThread()) {
            throw new IllegalStateException("This generator is suspended in a continuation of thread '"
                    + last.getName() + "' and cannot " + op + "() on thread '"
                    + Thread.currentThread().getName()
                    + "': resume and close it on that thread, or create it on the threads or virtual engine"
                    + " to move it between threads");
        }
    }

    private void runBody() {
        enterCallerContext();
        try {
            // started by forEachRemaining: the body can never suspend, so its yields need no
            // suspend path; a yielder of their own keeps the value from escaping (no boxing once inlined)
            Consumer<? super Y> s = sink;
            result = body.run(s != null ? new DrainYielder(s) : yielder);
            returned = true;
        } catch (Throwable t) {
            failure = t;
        }
        state = DONE;
    }

    /** On an engine whose fibers have threads of their own, the body's thread takes the caller's context. */
    private void enterCallerContext() {
        if (callerContext != null) {
            CurrentContext.swap(callerContext);
        }
    }

    @Override
    public String toString() {
        String[] names = {"created", "suspended", "running", "done"};
        return "Generator[" + names[state] + "]";
    }

    /** The yielder of a body started by {@link #forEachRemaining}: each value goes straight to the consumer. */
    private final class DrainYielder implements Yielder<Y, S> {
        private final Consumer<? super Y> action;

        DrainYielder(Consumer<? super Y> action) {
            this.action = action;
        }

        @Override
        public S yield(Y value) {
            if (state != RUNNING || !fiber.isCurrent()) {
                throw new IllegalStateException("yield() called outside the generator's own body");
            }
            action.accept(value);
            return null;
        }

        @Override
        public <R2> R2 yieldFrom(Generator<? extends Y, S, R2> sub) {
            Objects.requireNonNull(sub, "sub");
            sub.forEachRemaining(action);
            return sub.result();
        }
    }

    private final class YielderImpl implements Yielder<Y, S> {
        @Override
        @SuppressWarnings("unchecked")
        public S yield(Y value) {
            if (state != RUNNING || !fiber.isCurrent()) {
                throw new IllegalStateException("yield() called outside the generator's own body");
            }
            Consumer<? super Y> s = sink;
            if (s != null) {
                s.accept(value);
                return null;
            }
            yielded = value;
            state = SUSPENDED;
            fiber.suspend();
            state = RUNNING;
            enterCallerContext();
            Throwable t = thrownIn;
            if (t != null) {
                thrownIn = null;
                throw sneaky(t);
            }
            S v = (S) sent;
            sent = null;
            return v;
        }

        @Override
        public <R2> R2 yieldFrom(Generator<? extends Y, S, R2> sub) {
            Objects.requireNonNull(sub, "sub");
            Consumer<? super Y> s = sink;
            if (s != null) {
                sub.forEachRemaining(s);
                return sub.result();
            }
            Object v = sub.advance(null, null, "next");
            while (v != EXHAUSTED) {
                S in;
                try {
                    in = this.yield(cast(v));
                } catch (GeneratorExit exit) {
                    sub.close();
                    throw exit;
                } catch (Throwable t) {
                    v = sub.advance(null, t, "throwIn");
                    continue;
                }
                v = sub.advance(in, null, "send");
            }
            return sub.result();
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
