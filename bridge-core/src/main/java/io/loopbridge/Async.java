package io.loopbridge;

import io.loopbridge.future.Awaitable;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TimerHandle;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.ReturnWhen;
import io.loopbridge.task.Task;
import io.loopbridge.task.TaskGroup;
import io.loopbridge.task.Timeout;
import io.loopbridge.task.WaitResult;
import io.loopbridge.task.internal.Driver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * asyncio's functions for Java: run a coroutine, await, sleep, create tasks, gather, time out.
 *
 * <p>Methods that suspend ({@link #await}, {@link #sleep}, {@link #waitFor}, {@link #toThread})
 * must be called inside a coroutine; they throw {@link IllegalStateException} elsewhere. A failure
 * is rethrown as it is when it is a {@link RuntimeException} or {@link Error}, and wrapped in
 * {@link CompletionException} when it is checked.
 */
public final class Async {
    private Async() {}

    // ---------------------------------------------------------------- entry points

    /**
     * Runs {@code main} on a new event loop until it completes and returns its result (asyncio's
     * {@code run}): then cancels the tasks it left behind and waits for them, shuts the default
     * executor down and closes the loop.
     *
     * @param main the coroutine to run as the loop's first task; not null
     * @param <T> the type of the result
     * @return what {@code main} returned
     * @throws IllegalStateException if called from a running event loop
     */
    public static <T> T run(Coroutine<T> main) {
        return run(CoroutineEngine.defaultEngine(), main);
    }

    /**
     * {@link #run(Coroutine)} on a loop whose coroutines run on {@code engine}.
     *
     * @param engine what runs the coroutines; not null, and {@linkplain CoroutineEngine#isAvailable()
     *     available} on this JVM
     * @param main the coroutine to run as the loop's first task; not null
     * @param <T> the type of the result
     * @return what {@code main} returned
     * @throws IllegalArgumentException if {@code engine} is not available on this JVM
     * @throws IllegalStateException if called from a running event loop
     */
    public static <T> T run(CoroutineEngine engine, Coroutine<T> main) {
        Objects.requireNonNull(engine, "engine");
        return run(() -> new EventLoop(engine), main);
    }

    /**
     * {@link #run(Coroutine)} on a loop made by {@code loopFactory} (Python 3.12's {@code
     * loop_factory}), e.g. {@code Async.run(TestEventLoop::new, main)} to run on virtual time.
     *
     * @param loopFactory called once for the loop to run on; must return a new loop, neither running
     *     nor closed, which {@code run} closes when done
     * @param main the coroutine to run as the loop's first task; not null
     * @param <T> the type of the result
     * @return what {@code main} returned
     * @throws IllegalArgumentException if {@code loopFactory} returns a loop that is running or closed
     * @throws IllegalStateException if called from a running event loop
     */
    public static <T> T run(java.util.function.Supplier<? extends EventLoop> loopFactory, Coroutine<T> main) {
        Objects.requireNonNull(loopFactory, "loopFactory");
        Objects.requireNonNull(main, "main");
        if (EventLoop.running() != null) {
            throw new IllegalStateException("Async.run() cannot be called from a running event loop: "
                    + "await the coroutine, or start it with Async.createTask()");
        }
        EventLoop loop = Objects.requireNonNull(loopFactory.get(), "loopFactory returned null");
        if (loop.isRunning() || loop.isClosed()) {
            throw new IllegalArgumentException("loopFactory must return a new loop, got " + loop);
        }
        try {
            Task<T> task = loop.createTask(main);
            return loop.runUntilComplete(task);
        } finally {
            try {
                cancelLeftovers(loop);
                loop.runUntilComplete(loop.shutdownAsyncGens());
                loop.runUntilComplete(loop.shutdownDefaultExecutor());
            } finally {
                loop.close();
            }
        }
    }

    private static void cancelLeftovers(EventLoop loop) {
        List<Task<?>> left = loop.allTasks();
        if (left.isEmpty()) {
            return;
        }
        for (Task<?> t : left) {
            t.cancel();
        }
        loop.runUntilComplete(gatherSettled(left));
        for (Task<?> t : left) {
            if (!t.isCancelled() && t.exception() != null) {
                Map<String, Object> ctx = new LinkedHashMap<>();
                ctx.put("message", "unhandled exception during Async.run() shutdown");
                ctx.put("exception", t.exception());
                ctx.put("task", t);
                loop.callExceptionHandler(ctx);
            }
        }
    }

    /**
     * Wraps {@code coroutine} in a task on the running loop (asyncio's {@code create_task}).
     *
     * @param coroutine the body of the task; not null
     * @param <T> the type of the task's result
     * @return the task, named {@code Task-N}, scheduled to start at the loop's next step
     * @throws IllegalStateException if no event loop runs on the calling thread
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return runningLoop("Async.createTask()").createTask(coroutine);
    }

    /**
     * {@link #createTask(Coroutine)} with a name.
     *
     * @param coroutine the body of the task; not null
     * @param name the task's name; {@code null} for the default {@code Task-N}
     * @param <T> the type of the task's result
     * @return the task, scheduled to start at the loop's next step
     * @throws IllegalStateException if no event loop runs on the calling thread
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return runningLoop("Async.createTask()").createTask(coroutine, name);
    }

    /** {@return the task whose coroutine calls this, or {@code null} outside a task} */
    public static Task<?> currentTask() {
        Driver d = Driver.currentOrNull();
        return d != null && d.owner() instanceof Task ? (Task<?>) d.owner() : null;
    }

    /**
     * The running loop's tasks that are not done yet.
     *
     * @return a new list of the tasks, in creation order
     * @throws IllegalStateException if no event loop runs on the calling thread
     */
    public static List<Task<?>> allTasks() {
        return runningLoop("Async.allTasks()").allTasks();
    }

    /**
     * The loop running the calling code.
     *
     * @return the event loop running on the calling thread; never null
     * @throws IllegalStateException if no event loop runs on the calling thread
     */
    public static EventLoop loop() {
        return runningLoop("Async.loop()");
    }

    // ---------------------------------------------------------------- suspending

    /**
     * Suspends the calling coroutine until {@code awaitable} is done and returns its result.
     *
     * @param awaitable what to wait for; of the calling coroutine's loop; not null
     * @param <T> the type of the result
     * @return the awaitable's result; its failure is rethrown instead (a checked one wrapped in
     *     {@link CompletionException})
     * @throws IllegalStateException outside a coroutine, or for a future of another loop, or when
     *     a task awaits itself
     * @throws CancellationException if the awaitable was cancelled, or the calling task is
     */
    public static <T> T await(Awaitable<T> awaitable) {
        Objects.requireNonNull(awaitable, "awaitable");
        Driver d = Driver.current("Async.await()");
        LoopFuture<T> f = awaitable.future();
        if (f.loop() != d.loop()) {
            throw new IllegalStateException("Cannot await " + f + ": it belongs to another event loop; "
                    + "hop with LoopFuture.from(loop, future.toCompletableFuture())");
        }
        if (f == d.owner()) {
            throw new IllegalStateException("Task cannot await on itself: " + f);
        }
        return d.await(f);
    }

    /**
     * Suspends the calling coroutine until {@code stage} completes (a {@link CompletableFuture},
     * {@code HttpClient.sendAsync}, ...) and returns its value; the outcome hops onto the loop.
     *
     * @param stage what to wait for; may complete on any thread; not null
     * @param <T> the type of the value
     * @return the stage's value, at once without suspending if it is a {@link CompletableFuture}
     *     that is already done; its failure, unwrapped from {@link CompletionException}, is
     *     rethrown instead as by {@link #await(Awaitable)}
     * @throws IllegalStateException outside a coroutine
     * @throws CancellationException if the stage was cancelled, or the calling task is
     */
    public static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        Driver d = Driver.current("Async.await()");
        if (stage instanceof CompletableFuture) {
            CompletableFuture<T> cf = (CompletableFuture<T>) stage;
            if (cf.isDone()) {
                return joinDone(cf);
            }
        }
        return d.await(LoopFuture.from(d.loop(), stage));
    }

    private static <T> T joinDone(CompletableFuture<T> cf) {
        try {
            return cf.get();
        } catch (ExecutionException e) {
            throw LoopFuture.rethrowable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /**
     * Suspends the calling coroutine for {@code delay}; zero or negative yields to the loop once,
     * letting every other ready callback run (asyncio's {@code sleep(0)}).
     *
     * @param delay how long to sleep, in loop time; not null
     * @throws IllegalStateException outside a coroutine
     * @throws CancellationException if the calling task is cancelled while sleeping
     */
    public static void sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        Driver d = Driver.current("Async.sleep()");
        if (delay.isZero() || delay.isNegative()) {
            d.yieldNow();
            return;
        }
        d.sleep(delay);
    }

    /**
     * Awaits {@code awaitable} for at most {@code timeout} (asyncio's {@code wait_for}): past it, the
     * awaitable is cancelled, and once it has finished cancelling, {@link AsyncTimeoutException} is
     * thrown. A zero or negative timeout still returns an awaitable that is already done; a {@code
     * null} one waits as long as it takes (asyncio's {@code timeout=None}).
     *
     * @param awaitable what to wait for; of the calling coroutine's loop; not null
     * @param timeout the longest wait, in loop time; {@code null} for no limit
     * @param <T> the type of the result
     * @return the awaitable's result; its failure is rethrown instead
     * @throws AsyncTimeoutException if {@code timeout} passed first
     * @throws IllegalStateException outside a coroutine
     */
    public static <T> T waitFor(Awaitable<T> awaitable, Duration timeout) {
        Objects.requireNonNull(awaitable, "awaitable");
        LoopFuture<T> f = awaitable.future();
        if (f.isDone()) {
            Driver.current("Async.waitFor()");
            return f.result();
        }
        try (Timeout t = Timeout.after(timeout)) {
            return await(f);
        }
    }

    /**
     * {@link #waitFor(Awaitable, Duration)} for a coroutine, run as a task of its own.
     *
     * @param coroutine the body of the task to wait for; not null
     * @param timeout the longest wait, in loop time; {@code null} for no limit
     * @param <T> the type of the result
     * @return the task's result; its failure is rethrown instead
     * @throws AsyncTimeoutException if {@code timeout} passed first; the task is then cancelled
     */
    public static <T> T waitFor(Coroutine<T> coroutine, Duration timeout) {
        return waitFor(createTask(coroutine), timeout);
    }

    /**
     * A deadline for a try-with-resources block (asyncio's {@code timeout}); {@code null} for none
     * until {@link Timeout#reschedule}. See {@link Timeout}.
     *
     * @param delay the time from now to the deadline; zero or negative expires at the loop's next
     *     step; {@code null} for none
     * @return the active timeout, to close by leaving the try-with-resources block
     * @throws IllegalStateException outside a coroutine
     */
    public static Timeout timeout(Duration delay) {
        return Timeout.after(delay);
    }

    /**
     * {@link #timeout(Duration)} with a deadline in loop time ({@link EventLoop#time()}).
     *
     * @param when the deadline in loop time (nanoseconds); {@code Long.MAX_VALUE} for none
     * @return the active timeout, to close by leaving the try-with-resources block
     * @throws IllegalStateException outside a coroutine
     */
    public static Timeout timeoutAt(long when) {
        return Timeout.at(when);
    }

    /**
     * Runs {@code fn} on the loop's default executor and suspends until it returns (asyncio's
     * {@code to_thread}): the way to call blocking code from a coroutine.
     *
     * @param fn the blocking code, run on an executor thread; not null
     * @param <T> the type of the result
     * @return what {@code fn} returned; what it threw is rethrown instead
     * @throws IllegalStateException outside a coroutine
     */
    public static <T> T toThread(Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        Driver d = Driver.current("Async.toThread()");
        return d.await(d.loop().runInExecutor(null, fn));
    }

    // ---------------------------------------------------------------- combinators

    /**
     * A future of every awaitable's result, in argument order (asyncio's {@code gather}). The first
     * failure fails the future at once while the others keep running; cancelling the future cancels
     * every awaitable that is not done, and the future then ends cancelled: when the first of them
     * ends cancelled, or once all are done if they all swallowed the cancellation.
     *
     * @param awaitables what to gather, all of one loop; none null; with none, the running loop's
     *     future of an empty list
     * @param <T> the type of the results
     * @return a future of the results, in argument order
     * @throws IllegalArgumentException if the awaitables belong to different loops
     */
    @SafeVarargs
    public static <T> LoopFuture<List<T>> gather(Awaitable<? extends T>... awaitables) {
        return gather(Arrays.asList(awaitables));
    }

    /**
     * {@link #gather(Awaitable[])} over a collection.
     *
     * @param awaitables what to gather, all of one loop; none null
     * @param <T> the type of the results
     * @return a future of the results, in the collection's iteration order
     * @throws IllegalArgumentException if the awaitables belong to different loops
     */
    public static <T> LoopFuture<List<T>> gather(Collection<? extends Awaitable<? extends T>> awaitables) {
        List<LoopFuture<? extends T>> children = futures(awaitables);
        EventLoop loop = loopOf(children, "Async.gather()");
        GatheringFuture<List<T>> outer = new GatheringFuture<>(loop, children);
        if (children.isEmpty()) {
            outer.setResult(List.of());
            return outer;
        }
        int[] left = {children.size()};
        for (LoopFuture<? extends T> child : children) {
            child.addDoneCallback(c -> {
                left[0]--;
                if (outer.isDone()) {
                    if (!c.isCancelled()) {
                        c.exception(); // read, so it is not reported as lost
                    }
                    return;
                }
                if (c.isCancelled()) {
                    if (outer.cancelRequested) {
                        outer.finishCancelled();
                    } else {
                        outer.setException(new CancellationException("a gathered awaitable was cancelled: " + c));
                    }
                    return;
                }
                Throwable e = c.exception();
                if (e != null) {
                    outer.setException(e);
                } else if (left[0] == 0 && outer.cancelRequested) {
                    outer.finishCancelled(); // the children swallowed the cancellation: it still propagates
                } else if (left[0] == 0) {
                    List<T> results = new ArrayList<>(children.size());
                    for (LoopFuture<? extends T> f : children) {
                        results.add(f.result());
                    }
                    outer.setResult(results);
                }
            });
        }
        return outer;
    }

    /**
     * A future that completes once every awaitable is done, with their futures (all done) in
     * argument order, so each outcome — result, failure or cancellation — can be read (asyncio's
     * {@code gather(..., return_exceptions=True)}).
     *
     * @param awaitables what to wait for, all of one loop; none null; with none, the running loop's
     *     future of an empty list
     * @param <T> the type of the results
     * @return a future of the awaitables' futures, in argument order; it never fails, and cancelling
     *     it cancels every awaitable not done yet, then ends cancelled once they are done
     * @throws IllegalArgumentException if the awaitables belong to different loops
     */
    @SafeVarargs
    public static <T> LoopFuture<List<LoopFuture<T>>> gatherSettled(Awaitable<? extends T>... awaitables) {
        return gatherSettled(Arrays.asList(awaitables));
    }

    /**
     * {@link #gatherSettled(Awaitable[])} over a collection.
     *
     * @param awaitables what to wait for, all of one loop; none null
     * @param <T> the type of the results
     * @return a future of the awaitables' futures, in the collection's iteration order
     * @throws IllegalArgumentException if the awaitables belong to different loops
     */
    @SuppressWarnings("unchecked")
    public static <T> LoopFuture<List<LoopFuture<T>>> gatherSettled(
            Collection<? extends Awaitable<? extends T>> awaitables) {
        List<LoopFuture<? extends T>> children = futures(awaitables);
        EventLoop loop = loopOf(children, "Async.gatherSettled()");
        GatheringFuture<List<LoopFuture<T>>> outer = new GatheringFuture<>(loop, children);
        List<LoopFuture<T>> settled = new ArrayList<>(children.size());
        for (LoopFuture<? extends T> c : children) {
            settled.add((LoopFuture<T>) c);
        }
        int[] left = {children.size()};
        if (left[0] == 0) {
            outer.setResult(List.of());
            return outer;
        }
        for (LoopFuture<? extends T> child : children) {
            child.addDoneCallback(c -> {
                if (--left[0] == 0 && !outer.isDone()) {
                    if (outer.cancelRequested) {
                        outer.finishCancelled(); // a cancelled gather ends cancelled, settled or not
                    } else {
                        outer.setResult(List.copyOf(settled));
                    }
                }
            });
        }
        return outer;
    }

    /**
     * A future with {@code awaitable}'s outcome that can be cancelled without cancelling it
     * (asyncio's {@code shield}): the awaitable runs on even when the caller is cancelled.
     *
     * @param awaitable what to protect from cancellation; not null
     * @param <T> the type of the result
     * @return a new future of the awaitable's loop with its outcome; the awaitable's own future if
     *     it is already done
     */
    public static <T> LoopFuture<T> shield(Awaitable<T> awaitable) {
        Objects.requireNonNull(awaitable, "awaitable");
        LoopFuture<T> inner = awaitable.future();
        if (inner.isDone()) {
            return inner;
        }
        LoopFuture<T> outer = new LoopFuture<>(inner.loop());
        inner.addDoneCallback(i -> {
            if (outer.isDone()) {
                if (!i.isCancelled()) {
                    i.exception();
                }
                return;
            }
            if (i.isCancelled()) {
                outer.cancel();
            } else if (i.exception() != null) {
                outer.setException(i.exception());
            } else {
                outer.setResult(i.result());
            }
        });
        return outer;
    }

    /**
     * The future of {@code gather}/{@code gatherSettled} (asyncio's {@code _GatheringFuture}):
     * cancelling it cancels the children, and it ends cancelled once the children report back.
     */
    private static final class GatheringFuture<R> extends LoopFuture<R> {
        private final List<? extends LoopFuture<?>> children;
        /** A cancel reached the children: the outcome is a cancellation, whatever they end with. */
        boolean cancelRequested;

        private String message;

        GatheringFuture(EventLoop loop, List<? extends LoopFuture<?>> children) {
            super(loop);
            this.children = children;
        }

        /**
         * Cancels the children not done yet, again on a repeated cancel (this future waits for them
         * either way); {@code false}, and nothing changes, if none could be: they are all done and
         * their outcomes are on the way.
         */
        @Override
        public boolean cancel(String message) {
            if (isDone()) {
                return false;
            }
            boolean any = false;
            for (LoopFuture<?> c : children) {
                any |= c.cancel(message);
            }
            if (any) {
                // the children report their cancellation through their callbacks, which finish this future
                cancelRequested = true;
                this.message = message;
            }
            return any;
        }

        void finishCancelled() {
            super.cancel(message);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static EventLoop runningLoop(String what) {
        EventLoop loop = EventLoop.running();
        if (loop == null) {
            throw new IllegalStateException(
                    what + " needs a running event loop: call it inside a coroutine " + "started with Async.run(...)");
        }
        return loop;
    }

    private static <T> List<LoopFuture<? extends T>> futures(Collection<? extends Awaitable<? extends T>> awaitables) {
        Objects.requireNonNull(awaitables, "awaitables");
        List<LoopFuture<? extends T>> list = new ArrayList<>(awaitables.size());
        for (Awaitable<? extends T> a : awaitables) {
            list.add(Objects.requireNonNull(a, "awaitables contains null").future());
        }
        return list;
    }

    private static EventLoop loopOf(List<? extends LoopFuture<?>> futures, String what) {
        EventLoop loop = futures.isEmpty() ? runningLoop(what) : futures.get(0).loop();
        for (LoopFuture<?> f : futures) {
            if (f.loop() != loop) {
                throw new IllegalArgumentException(what + ": awaitables belong to different event loops: " + f);
            }
        }
        return loop;
    }

    // ================================================================ structured concurrency and waiting
    // TaskGroup, wait, asCompleted, gather over coroutines. Kept together so this block can be
    // edited without touching the sections above.

    /**
     * Runs {@code body} with a new {@link TaskGroup} and returns what it returns once every task of
     * the group is done: {@link TaskGroup#run(TaskGroup.Body)}.
     *
     * @param body creates the group's tasks; run at once on the calling coroutine; not null
     * @param <T> the type of the body's result
     * @return what {@code body} returned, once every task of the group is done
     * @throws io.loopbridge.task.TaskGroupException if a task failed, or the body failed
     * @throws IllegalStateException outside a coroutine
     */
    public static <T> T taskGroup(TaskGroup.Body<T> body) {
        return TaskGroup.run(body);
    }

    /**
     * A future of an empty list: {@code gather()} with no arguments, which the two varargs forms
     * would otherwise make ambiguous.
     *
     * @param <T> the type of the (absent) results
     * @return a new future of the running loop, already done with an empty list
     * @throws IllegalStateException if no event loop runs on the calling thread
     */
    public static <T> LoopFuture<List<T>> gather() {
        return gather(List.<Awaitable<T>>of());
    }

    /**
     * {@link #gather(Awaitable[])} over coroutines, each wrapped in a task on the running loop in
     * argument order (asyncio's {@code gather(coro(), ...)}).
     *
     * @param coroutines the bodies of the tasks to create and gather; none null
     * @param <T> the type of the results
     * @return a future of the results, in argument order
     * @throws IllegalStateException if no event loop runs on the calling thread
     */
    @SafeVarargs
    public static <T> LoopFuture<List<T>> gather(Coroutine<? extends T>... coroutines) {
        Objects.requireNonNull(coroutines, "coroutines");
        EventLoop loop = runningLoop("Async.gather()");
        for (Coroutine<? extends T> c : coroutines) {
            Objects.requireNonNull(c, "coroutines contains null");
        }
        List<Task<? extends T>> tasks = new ArrayList<>(coroutines.length);
        for (Coroutine<? extends T> c : coroutines) {
            tasks.add(loop.createTask(c));
        }
        return Async.<T>gather(tasks);
    }

    /**
     * Suspends the calling coroutine until {@code returnWhen} holds for the awaitables or {@code
     * timeout} ({@code null}: none) passes, and returns which are done and which are pending
     * (asyncio's {@code wait}). Nothing is cancelled, not even on timeout, and failures are not
     * thrown: read them from the done futures. Duplicates count once.
     *
     * <p>Call it as {@code Async.wait(...)}: inside any class, a bare {@code wait(...)} means
     * {@link Object#wait()}.
     *
     * @param awaitables what to wait for, of the calling coroutine's loop; not empty, none null
     * @param timeout the longest wait, in loop time; {@code null} for none
     * @param returnWhen when to return: first done, first failure, or all done; not null
     * @param <T> the type of the results
     * @return the awaitables' futures, split into those done and those still pending
     * @throws IllegalArgumentException if {@code awaitables} is empty
     * @throws IllegalStateException outside a coroutine, or for an awaitable of another loop
     * @throws CancellationException if the calling task is cancelled (the awaitables are not)
     */
    public static <T> WaitResult<T> wait(
            Collection<? extends Awaitable<? extends T>> awaitables, Duration timeout, ReturnWhen returnWhen) {
        Objects.requireNonNull(returnWhen, "returnWhen");
        Set<LoopFuture<T>> fs = distinctFutures(awaitables);
        if (fs.isEmpty()) {
            throw new IllegalArgumentException("Async.wait() needs at least one awaitable");
        }
        Driver d = Driver.current("Async.wait()");
        EventLoop loop = d.loop();
        for (LoopFuture<T> f : fs) {
            if (f.loop() != loop) {
                throw new IllegalStateException("Cannot wait for " + f + ": it belongs to another event loop");
            }
        }
        LoopFuture<Void> waiter = loop.createFuture();
        int[] left = {fs.size()};
        Consumer<LoopFuture<?>> onDone = f -> {
            left[0]--;
            boolean release = left[0] <= 0
                    || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || (returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.isCancelled() && f.exception() != null);
            if (release && !waiter.isDone()) {
                waiter.setResult(null);
            }
        };
        TimerHandle timer = timeout == null
                ? null
                : loop.callLater(timeout, () -> {
                    if (!waiter.isDone()) {
                        waiter.setResult(null);
                    }
                });
        for (LoopFuture<T> f : fs) {
            f.addDoneCallback(onDone);
        }
        try {
            d.await(waiter);
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (LoopFuture<T> f : fs) {
                f.removeDoneCallback(onDone);
            }
        }
        Set<LoopFuture<T>> done = new LinkedHashSet<>();
        Set<LoopFuture<T>> pending = new LinkedHashSet<>();
        for (LoopFuture<T> f : fs) {
            (f.isDone() ? done : pending).add(f);
        }
        return new WaitResult<>(done, pending);
    }

    /**
     * {@link #asCompleted(Collection, Duration)} without a timeout.
     *
     * @param awaitables what to wait for, all of one loop; none null
     * @param <T> the type of the results
     * @return one new future per distinct awaitable, filled in completion order; empty if none
     */
    public static <T> List<LoopFuture<T>> asCompleted(Collection<? extends Awaitable<? extends T>> awaitables) {
        return asCompleted(awaitables, null);
    }

    /**
     * One future per awaitable, in completion order (asyncio's {@code as_completed}): the k-th
     * future gets the outcome (result, failure or cancellation) of the k-th awaitable to be done.
     * Once {@code timeout} ({@code null}: none) passes, the futures still pending fail with {@link
     * AsyncTimeoutException}; the awaitables are not cancelled. Duplicates count once. Loop thread
     * only.
     *
     * <pre>{@code
     * for (LoopFuture<String> next : Async.asCompleted(List.of(a, b, c))) {
     *     String first = Async.await(next);  // whichever finished first, then second, ...
     * }
     * }</pre>
     *
     * @param awaitables what to wait for, all of one loop; none null
     * @param timeout how long until the futures still pending fail, in loop time; {@code null} for
     *     never
     * @param <T> the type of the results
     * @return one new future per distinct awaitable, filled in completion order; an unmodifiable
     *     list, empty if there is no awaitable
     * @throws IllegalArgumentException if the awaitables belong to different loops
     * @throws IllegalStateException if called from another thread than the running loop's
     */
    public static <T> List<LoopFuture<T>> asCompleted(
            Collection<? extends Awaitable<? extends T>> awaitables, Duration timeout) {
        Set<LoopFuture<T>> fs = distinctFutures(awaitables);
        EventLoop loop = loopOf(new ArrayList<>(fs), "Async.asCompleted()");
        loop.checkOwner("Async.asCompleted");
        if (fs.isEmpty()) {
            return List.of();
        }
        List<LoopFuture<T>> slots = new ArrayList<>(fs.size());
        for (int i = 0; i < fs.size(); i++) {
            slots.add(loop.createFuture());
        }
        int[] completed = {0};
        TimerHandle[] timer = {null};
        Consumer<LoopFuture<T>> onDone = f -> {
            if (completed[0] == slots.size()) {
                return; // timed out
            }
            LoopFuture<T> slot = slots.get(completed[0]++);
            if (completed[0] == slots.size() && timer[0] != null) {
                timer[0].cancel();
            }
            if (!slot.isDone()) { // its reader may have cancelled it
                copyOutcome(f, slot);
            }
        };
        for (LoopFuture<T> f : fs) {
            f.addDoneCallback(onDone);
        }
        if (timeout != null) {
            timer[0] = loop.callLater(timeout, () -> {
                completed[0] = slots.size();
                for (LoopFuture<T> f : fs) {
                    f.removeDoneCallback(onDone);
                }
                for (LoopFuture<T> slot : slots) {
                    if (!slot.isDone()) {
                        slot.setException(new AsyncTimeoutException("Async.asCompleted() timed out after " + timeout));
                    }
                }
            });
        }
        return List.copyOf(slots);
    }

    private static <T> void copyOutcome(LoopFuture<T> from, LoopFuture<T> to) {
        if (from.isCancelled()) {
            to.cancel();
        } else if (from.exception() != null) {
            to.setException(from.exception());
        } else {
            to.setResult(from.result());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Set<LoopFuture<T>> distinctFutures(Collection<? extends Awaitable<? extends T>> awaitables) {
        Set<LoopFuture<T>> set = new LinkedHashSet<>();
        for (LoopFuture<? extends T> f : futures(awaitables)) {
            set.add((LoopFuture<T>) f);
        }
        return set;
    }

    // ================================================================ end of structured concurrency and waiting
}
