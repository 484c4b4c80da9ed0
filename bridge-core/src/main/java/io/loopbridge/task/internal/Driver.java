package io.loopbridge.task.internal;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.CurrentContext;
import io.loopbridge.internal.LiveTask;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.internal.jfr.LoopEvents;
import io.loopbridge.internal.jfr.TaskStepEvent;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.Handle;
import io.loopbridge.loop.TimerHandle;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Runs a coroutine body on a fiber, one loop step at a time: the machinery behind a task (and
 * anything else that awaits, like an async generator). Not API.
 *
 * <p>Invariants (asyncio's {@code Task.__step}):
 *
 * <ol>
 *   <li>Either the driver waits on {@code waitingOn} with {@code wakeup} registered on it, or a step
 *       is scheduled, or the body is running, or it has ended.
 *   <li>A cancellation request while waiting cancels {@code waitingOn}, which wakes the driver; if
 *       that is not possible, {@code mustCancel} makes the next resumption throw.
 *   <li>Cancellation surfaces only where the body suspends.
 * </ol>
 */
public abstract class Driver extends LiveTask implements Runnable, Consumer<LoopFuture<?>> {
    private static final LoopAccess LOOPS = LoopAccess.get();

    /** What a driver whose body started inline on a role thread ({@link RoleFiber}) holds once it ends. */
    private static final Fiber ENDED = new Ended();

    /**
     * Null before the first step; then a {@link Fiber} (threads and virtual engines) or, on the
     * continuation engine, the bare continuation, whose target is its loop's {@link Entry}. A
     * {@link RoleFiber} is the body's thread itself, which goes on with other bodies once this one
     * ended: then {@link #ENDED}.
     */
    private Object fiber;

    /**
     * What the suspended body waits for: a future, or the {@link Wake} of a sleep; else null, or
     * the loop handle of the last {@link #yieldNow()}, kept for the next one (cancellation ignores it).
     * Before the first step ({@code fiber} null): the body given to the constructor, which {@link
     * #takeBody()} hands over once; a field of its own would make every task 8 bytes bigger.
     */
    private Object waitingOn;

    /**
     * Null, the body's context, or an {@link Extras}: what most tasks never need (cancellation
     * requests, the loop closing under them) lives apart, so that a suspended task's driver is
     * nothing but its seven references (40 bytes, with the task's own; a boolean more would make it
     * 48). A context alone is kept here as it is: no extra object per task once contexts are in use.
     */
    private Object extras;

    /**
     * {@code ownsContext}: the body runs in {@code context} (a task); otherwise it runs in whatever
     * context resumes it (an async generator, which belongs to the task iterating it). {@code body}:
     * what {@link #runBody()} gets from {@link #takeBody()}, or null.
     */
    protected Driver(Object context, boolean ownsContext, Object body) {
        this.waitingOn = body;
        if (!ownsContext) {
            extras().borrowsContext = true;
        }
        setContext(context);
    }

    /** Runs the coroutine body on the fiber; must handle every outcome itself. */
    protected abstract void runBody();

    /** In {@link #runBody()}: the body given to the constructor; null once taken. */
    protected final Object takeBody() {
        Object body = waitingOn;
        waitingOn = null;
        return body;
    }

    /** Ends the driver, cancelled before its body ever ran. */
    protected abstract void cancelBeforeStart(String message);

    /** Whether the driver has finished (its future is done). */
    protected abstract boolean finished();

    /** The fiber's thread name, or null. */
    protected abstract String fiberName();

    /** What this driver runs for: the task, or the async generator. */
    public abstract Object owner();

    /** The driver whose body runs on the calling code, or throws explaining how to get one. */
    public static Driver current(String what) {
        EventLoop loop = EventLoop.running();
        Object step = loop == null ? null : LOOPS.currentStep(loop);
        if (!(step instanceof Driver) || !((Driver) step).runsHere()) {
            throw new IllegalStateException(what + " must be called inside a coroutine: start one with Async.run(...), "
                    + "loop.createTask(...) or Async.createTask(...)");
        }
        return (Driver) step;
    }

    /** Whether the closing {@code loop} is unwinding a body (its current step is an abandoned driver). */
    public static boolean unwinding(EventLoop loop) {
        Object step = LOOPS.currentStep(loop);
        return step instanceof Driver && ((Driver) step).abandoned();
    }

    /** The driver whose body runs on the calling code, or null. */
    public static Driver currentOrNull() {
        EventLoop loop = EventLoop.running();
        Object step = loop == null ? null : LOOPS.currentStep(loop);
        return step instanceof Driver && ((Driver) step).runsHere() ? (Driver) step : null;
    }

    /**
     * The loop the body runs on: the owner's, not a field of the driver, so that a suspended task's
     * driver stays at 40 bytes with the default name's number in it ({@code Task.TaskDriver}).
     */
    public abstract EventLoop loop();

    /** Schedules the first step. */
    public final void start() {
        loop().callSoon(this);
    }

    /** A scheduled step (the driver is its own callback, so a task allocates no lambda for it). */
    @Override
    public final void run() {
        step();
    }

    /**
     * The continuation engine's entry into the body: the target of the continuations of a loop's
     * drivers, one per loop rather than one per task (nor the driver itself, whose {@link #run()} is
     * the step: this frame stays at the bottom of every suspended stack, so it must not be the
     * step's). A continuation first runs inside its driver's {@link #step()} or {@link #abandon()},
     * which made the driver the loop's current step.
     */
    private static final class Entry implements Runnable {
        /** The entry made last: most programs run one loop at a time. Weak: a closed loop may go. */
        private static java.lang.ref.WeakReference<Entry> last = new java.lang.ref.WeakReference<>(null);

        private final EventLoop loop;

        private Entry(EventLoop loop) {
            this.loop = loop;
        }

        static Entry of(EventLoop loop) {
            Entry e = last.get();
            if (e == null || e.loop != loop) {
                e = new Entry(loop);
                last = new java.lang.ref.WeakReference<>(e);
            }
            return e;
        }

        @Override
        public void run() {
            Driver driver = (Driver) LOOPS.currentStep(loop);
            try {
                if (!driver.abandoned()) {
                    driver.enterBody();
                }
            } catch (FiberKilled expected) {
                // unwound on purpose; any other failure propagates out of the continuation's run
            }
        }
    }

    /** The fiber of a body that ended on a role thread, which has gone on without it. */
    private static final class Ended extends Fiber {
        @Override
        public void resume() {
            throw new IllegalStateException("the coroutine has ended");
        }

        @Override
        public void suspend() {
            throw new IllegalStateException("the coroutine has ended");
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public boolean isCurrent() {
            return false;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            return new StackTraceElement[0];
        }

        @Override
        public void kill() {
            // nothing runs
        }
    }

    /** Whether the body runs on {@code f}. */
    public final boolean runsOn(Object f) {
        return fiber == f;
    }

    /** Whether the calling code runs on this driver's fiber. */
    private boolean runsHere() {
        Object f = fiber;
        if (f instanceof Fiber) {
            return ((Fiber) f).isCurrent();
        }
        return f != null && ContinuationFiber.current() == f;
    }

    private void resume() {
        Object f = fiber;
        if (f instanceof Fiber) {
            ((Fiber) f).resume();
            return;
        }
        try {
            ContinuationFiber.run(f); // throws if the continuation has ended, or runs already
        } catch (IllegalStateException e) {
            if (ContinuationFiber.isMounted(f)) {
                throw new IllegalStateException("coroutine is already running: " + owner(), e);
            }
            throw e;
        }
    }

    private void suspend() {
        Object f = fiber;
        if (f instanceof RoleFiber) {
            roleSuspend((RoleFiber) f);
            return;
        }
        if (f instanceof Fiber) {
            ((Fiber) f).suspend();
            return;
        }
        if (LOOPS.takeLoneStep(loop(), this)) {
            return; // the next lap would only resume this body: no freeze and thaw (as ThreadFiber)
        }
        ContinuationFiber.yieldNow();
        if (abandoned()) { // only a kill resumes an abandoned body
            throw new FiberKilled();
        }
    }

    private static boolean fiberDone(Object f) {
        return f instanceof Fiber ? ((Fiber) f).isDone() : ContinuationFiber.isDone(f);
    }

    /** The wake-up: the awaited future is done (unless the body no longer waits on it). */
    @Override
    public final void accept(LoopFuture<?> done) {
        if (waitingOn == done) {
            step();
        }
    }

    @Override
    public final Object task() {
        return owner();
    }

    /** For {@code dumpTasks}: the owner and where its body waits. */
    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(String.valueOf(owner()));
        StackTraceElement[] trace = stackTrace();
        for (int i = 0; i < Math.min(trace.length, 8); i++) {
            sb.append("\n    at ").append(trace[i]);
        }
        return sb.toString();
    }

    /** Resumes the body until it suspends or ends. Runs on the loop, as a callback. */
    final void step() {
        EventLoop loop = loop();
        if (finished()) {
            return;
        }
        Object f = fiber;
        if (f instanceof RoleFiber) {
            LOOPS.roleResume(loop, (RoleFiber) f);
            return; // the body resumes on its own thread, which holds the loop now
        }
        if (f == null && ownsContext() && !mustCancel()) {
            int mode = LOOPS.roleStartMode(loop);
            if (mode == 1) {
                runInline();
                return;
            }
            if (mode == 2) {
                LOOPS.roleHandFirstStep(loop, this); // a pure thread runs this step inline
                return;
            }
        }
        Object previous = LOOPS.currentStep(loop);
        LOOPS.setCurrentStep(loop, this);
        // no context work at all until some context variable is set somewhere
        boolean swaps = ownsContext() && (hasContext() || CurrentContext.inUse());
        Object callerContext = swaps ? CurrentContext.swap(context()) : null;
        try {
            if (fiber == null) {
                if (mustCancel()) {
                    extras().mustCancel = false;
                    waitingOn = null; // the body, never to run
                    cancelBeforeStart(cancelMessage());
                    return;
                }
                if (loop.engine() == CoroutineEngine.CONTINUATION) {
                    fiber = ContinuationFiber.newContinuation(Entry.of(loop));
                } else {
                    fiber = Fibers.create(loop.engine(), loop, this);
                }
            }
            if (LoopEvents.enabled()) {
                resumeRecorded();
            } else {
                resume();
            }
            watchAwaited();
        } finally {
            if (swaps || (ownsContext() && CurrentContext.inUse())) {
                // a body that set its first variable made a context in the slot: keep it
                setContext(CurrentContext.swap(callerContext));
            }
            LOOPS.setCurrentStep(loop, previous);
        }
    }

    /**
     * The first step on a pure role thread: the body runs here, on the loop's role, as a callback
     * of the lap; if it suspends, this thread goes on with the lap inside the suspend. A step that
     * {@link #step()} handed to a pure thread ({@link LoopAccess#roleHandFirstStep}) is started here
     * by the thread itself, without {@code step()}'s frame below it (the frozen stack of every
     * suspended virtual-engine task holds the frames under its body, and a wrapper here was one
     * more, left as C1 code in some JVMs).
     */
    public final void runInline() {
        EventLoop loop = loop();
        RoleFiber f = LOOPS.roleBeginBody(loop);
        fiber = f;
        Object previous = LOOPS.currentStep(loop);
        LOOPS.setCurrentStep(loop, this);
        boolean swaps = hasContext() || CurrentContext.inUse();
        f.outerContext = swaps ? CurrentContext.swap(context()) : null;
        try {
            runBody();
        } catch (FiberKilled expected) {
            // unwound on purpose: the loop closed
        } finally {
            fiber = ENDED; // the thread may start another body now: a done task must not keep it
            // loop() again, not the local: a value live across the body is a slot more in this
            // frame, which every suspended body on the virtual engine keeps
            LOOPS.roleEndBody(loop(), f);
            Object outer = f.outerContext;
            f.outerContext = null;
            if (swaps || CurrentContext.inUse()) {
                setContext(CurrentContext.swap(outer));
            }
            LOOPS.setCurrentStep(loop(), previous);
        }
    }

    /**
     * The body suspends on its role thread, which holds the loop: the thread goes on with the lap
     * (other callbacks run in their own contexts, outside this task) until the lap reaches this
     * body's step, or another thread hands the role back for it.
     */
    private void roleSuspend(RoleFiber f) {
        EventLoop loop = loop();
        boolean swaps = hasContext() || CurrentContext.inUse();
        if (swaps) {
            setContext(CurrentContext.swap(f.outerContext));
        }
        LOOPS.setCurrentStep(loop, null);
        boolean live = LOOPS.roleSuspend(loop, f, this);
        if (swaps || CurrentContext.inUse()) {
            f.outerContext = CurrentContext.swap(context());
        }
        if (!live || abandoned()) {
            throw new FiberKilled(); // the loop closed: abandon() made this the current step
        }
        LOOPS.setCurrentStep(loop(), this); // not the local, live across the suspend (runInline)
    }

    private void resumeRecorded() {
        TaskStepEvent e = new TaskStepEvent();
        e.begin();
        resume();
        e.end();
        if (e.shouldCommit()) {
            e.task = String.valueOf(owner());
            e.commit();
        }
    }

    final void enterBody() {
        Object context = context();
        if (context != null) {
            // a fiber with its own thread needs the context in that thread's slot
            CurrentContext.swap(context);
        }
        runBody();
    }

    /** The body's context object, or null if none was captured or made yet. */
    public final Object context() {
        Object x = extras;
        return x instanceof Extras ? ((Extras) x).context : x;
    }

    private boolean hasContext() {
        return context() != null;
    }

    private void setContext(Object context) {
        Object x = extras;
        if (x instanceof Extras) {
            ((Extras) x).context = context;
        } else {
            extras = context;
        }
    }

    /** Whether the body runs in a context of its own (a task's), not in its resumer's. */
    private boolean ownsContext() {
        Object x = extras;
        return !(x instanceof Extras) || !((Extras) x).borrowsContext;
    }

    private boolean abandoned() {
        Object x = extras;
        return x instanceof Extras && ((Extras) x).abandoned;
    }

    /** Suspends the body until {@code future} is done, then returns its result or throws. */
    @SuppressWarnings("unchecked")
    public final <T> T await(LoopFuture<T> future) {
        if (future.isDone()) {
            return future.result();
        }
        if (abandoned()) {
            throw new FiberKilled(); // an await in a finally block while the loop closes
        }
        waitingOn = future;
        if (!(fiber instanceof Fiber)) {
            return awaitFrozen(); // the continuation engine
        }
        future.addDoneCallback(this);
        boolean cancelledIt = false;
        if (mustCancel() && future.cancel(cancelMessage())) {
            // cancelled while running (e.g. by itself): as asyncio's __step, cancel what it awaits now
            extras().mustCancel = false;
            cancelledIt = true;
        }
        // past here the future is read back from waitingOn: a local live across the suspend would
        // take a slot in the frame that the suspended stack keeps
        try {
            suspend();
        } catch (IllegalStateException pinned) {
            ((LoopFuture<?>) waitingOn).removeDoneCallback(this);
            waitingOn = null; // a done callback already queued now finds the body not waiting
            if (cancelledIt) {
                extras().mustCancel = true; // nothing suspended: the request stays pending
            }
            throw pinned;
        }
        return awaitedResult();
    }

    /**
     * {@link #await} on the continuation engine: the body yields first and {@link #step()} adds
     * the done callback once the stack is frozen ({@link #watchAwaited}), so the frame that a
     * suspended body keeps holds none of the registration's locals (the callback list may grow
     * there, and a compiled frame is as big as its worst call site needs).
     */
    @SuppressWarnings("unchecked")
    private <T> T awaitFrozen() {
        try {
            // not suspend(): its lone-step shortcut cannot apply (nothing will queue this step
            // before the callback is added), and its code would widen the frame
            ContinuationFiber.yieldNow();
        } catch (IllegalStateException pinned) {
            LoopFuture<?> awaited = (LoopFuture<?>) waitingOn;
            waitingOn = null; // nothing was registered
            if (mustCancel()) {
                awaited.cancel(cancelMessage()); // as asyncio's __step; the request stays pending
            }
            throw pinned;
        }
        if (abandoned()) { // only a kill resumes an abandoned body
            throw new FiberKilled();
        }
        return awaitedResult();
    }

    /** Back in an await: what the awaited future (read back from {@code waitingOn}) gives the body. */
    @SuppressWarnings("unchecked")
    private <T> T awaitedResult() {
        LoopFuture<T> done = (LoopFuture<T>) waitingOn;
        waitingOn = null;
        if (mustCancel() || (done.isCancelled() && cancelling() > 0)) {
            throw takeCancellation();
        }
        return done.result();
    }

    /**
     * After a continuation's run returned: a body that yielded in {@link #awaitFrozen} waits on
     * {@code waitingOn} with no callback yet. (Every resumption of an await clears {@code
     * waitingOn} before the body can suspend again, so a future found here is never registered.)
     */
    private void watchAwaited() {
        Object w = waitingOn;
        if (w instanceof LoopFuture && !(fiber instanceof Fiber)) {
            LoopFuture<?> future = (LoopFuture<?>) w;
            future.addDoneCallback(this);
            if (mustCancel() && future.cancel(cancelMessage())) {
                // cancelled while running (e.g. by itself): as asyncio's __step, cancel what it awaits now
                extras().mustCancel = false;
            }
        }
    }

    /**
     * Suspends the body for {@code delay} (positive) on a loop timer whose callback wakes the
     * driver: no future and no done callback per sleep. As with asyncio's sleep future, the step
     * runs one lap after the timer fires, and a cancellation cancels the timer (or, once it has
     * fired, is kept for the step) and surfaces here.
     */
    public final void sleep(Duration delay) {
        if (abandoned()) {
            throw new FiberKilled(); // a sleep in a finally block while the loop closes
        }
        Wake wake = new Wake(this);
        TimerHandle timer = loop().callLater(delay, wake);
        wake.timer = timer;
        waitingOn = wake;
        Handle cancelStep = null;
        if (mustCancel()) {
            // cancelled while running: as asyncio's __step, cancel the wait now
            extras().mustCancel = false;
            timer.cancel();
            cancelStep = loop().callSoon(this);
        }
        try {
            suspend();
        } catch (IllegalStateException | FiberKilled e) {
            timer.cancel(); // pinned, or the loop closed under the body
            if (cancelStep != null) {
                // nothing suspended: no step may resume the body later, and the request stays pending
                cancelStep.cancel();
                extras().mustCancel = true;
            }
            waitingOn = null;
            throw e;
        }
        waitingOn = null;
        if (timer.isCancelled() || mustCancel()) {
            // a cancelled timer raises even after an uncancel(), as asyncio's cancelled sleep future does
            throw cancelling() > 0 || mustCancel() ? takeCancellation() : new CancellationException(cancelMessage());
        }
    }

    /** A sleep's timer callback: queues the driver's step, as the result of asyncio's sleep future would. */
    private static final class Wake implements Runnable {
        private final Driver driver;
        private TimerHandle timer;
        /** The timer ran: the step is queued, so cancelling the timer would no longer wake anyone. */
        private boolean fired;

        Wake(Driver driver) {
            this.driver = driver;
        }

        @Override
        public void run() {
            fired = true;
            driver.loop().callSoon(driver);
        }
    }

    /**
     * Hands control back to whoever resumed the body, with nothing scheduled to resume it: the
     * caller arranges that (an async generator's next request does). Cancellation does not surface here.
     */
    public final void park() {
        suspend();
    }

    /** Resumes the body now, from the loop's owner thread (an async generator's request does this). */
    public final void resumeNow() {
        step();
    }

    /** Lets every other ready callback run once, then resumes (asyncio's {@code sleep(0)}). */
    public final void yieldNow() {
        if (abandoned()) {
            throw new FiberKilled();
        }
        Handle queued;
        if (ownsContext()) {
            // the step sets up the task's context itself, so its handle can serve every yield
            Object w = waitingOn;
            Handle last = w instanceof Handle ? (Handle) w : null;
            queued = LOOPS.callSoonReusing(loop(), last, this);
            waitingOn = queued;
        } else {
            queued = loop().callSoon(this); // the handle carries the resumer's context of the moment
        }
        try {
            suspend();
        } catch (IllegalStateException pinned) {
            // nothing suspended: the queued step must not resume the body later
            queued.cancel();
            if (waitingOn == queued) {
                waitingOn = null;
            }
            throw pinned;
        }
        if (mustCancel()) {
            throw takeCancellation();
        }
    }

    /**
     * Requests cancellation (asyncio's {@code Task.cancel}); {@code timeout} marks a request made
     * by a deadline, which surfaces as {@link AsyncTimeoutException} unless a plain request came since
     * the deadline was set up ({@link #requestTimeoutCancel}).
     */
    public final boolean requestCancel(String message, boolean timeout) {
        if (finished()) {
            return false;
        }
        Extras r = extras();
        r.count++;
        if (timeout) {
            r.deadlines++;
        }
        r.message = message;
        Object w = fiber != null ? waitingOn : null; // before the first step: the body
        if (w instanceof LoopFuture) {
            if (((LoopFuture<?>) w).cancel(message)) {
                return true;
            }
        } else if (w instanceof Wake && !((Wake) w).fired && !((Wake) w).timer.isCancelled()) {
            // a sleep whose timer has not fired: cancel it and wake the body, where the cancellation surfaces
            ((Wake) w).timer.cancel();
            loop().callSoon(this);
            return true;
        }
        r.mustCancel = true;
        return true;
    }

    /**
     * {@link #requestCancel} for a deadline set up when {@code plainAtEntry} ({@link
     * #plainCancelling()}) requests were outstanding.
     */
    public final boolean requestTimeoutCancel(String message, int plainAtEntry) {
        if (finished()) {
            return false;
        }
        extras().plainAtDeadlineEntry = plainAtEntry;
        return requestCancel(message, true);
    }

    /** Outstanding cancellation requests that did not come from deadlines. */
    public final int plainCancelling() {
        Extras r = extrasOrNull();
        return r == null ? 0 : r.count - r.deadlines;
    }

    /** asyncio's {@code Task.cancelling()}: outstanding cancellation requests. */
    public final int cancelling() {
        Extras r = extrasOrNull();
        return r == null ? 0 : r.count;
    }

    /** asyncio's {@code Task.uncancel()}; {@code timeout} withdraws a deadline's request. */
    public final int uncancel(boolean timeout) {
        Extras r = extrasOrNull();
        if (r == null) {
            return 0;
        }
        if (r.count > 0) {
            r.count--;
            if (timeout && r.deadlines > 0) {
                r.deadlines--;
            }
            // a plain uncancel() can withdraw a deadline's request too: none may outlive the count
            r.deadlines = Math.min(r.deadlines, r.count);
            if (r.count == 0) {
                r.mustCancel = false;
            }
        }
        return r.count;
    }

    /** Whether a cancellation is pending that the body has not seen yet. */
    public final boolean mustCancel() {
        Object x = extras;
        return x instanceof Extras && ((Extras) x).mustCancel;
    }

    /** Clears a pending cancellation that the body ended before seeing; returns whether there was one. */
    public final boolean takeMustCancel() {
        Extras e = extrasOrNull();
        if (e == null) {
            return false;
        }
        boolean m = e.mustCancel;
        e.mustCancel = false;
        return m;
    }

    public final String cancelMessage() {
        Extras r = extrasOrNull();
        return r == null ? null : r.message;
    }

    /**
     * What most drivers never need, apart from them: the cancellation requests made of the driver
     * (most tasks never get one), the body's context (none unless a context variable was ever
     * set), the flags of a rare state.
     */
    private static final class Extras {
        /** Outstanding requests ({@code cancelling()}). */
        int count;
        /** Outstanding requests that came from deadlines. */
        int deadlines;
        /**
         * The outstanding requests not from deadlines when the deadline that fired last was set up:
         * a deadline surfaces as {@link AsyncTimeoutException} unless more are outstanding now
         * (asyncio's timeout compares {@code cancelling()} with its value at entry). Requests from
         * before, seen or not, never turn it into a plain cancellation; one made since does, even
         * if swallowed.
         */
        int plainAtDeadlineEntry;
        /** The message of the last request. */
        String message;
        /** A cancellation is pending that the body has not seen yet. */
        boolean mustCancel;
        /** Set once the loop closed under the body: a suspend now would never be resumed. */
        boolean abandoned;
        /** An async generator's: the body runs in whatever context resumes it. */
        boolean borrowsContext;
        /** The context the body runs in; null until a context variable is first set in it. */
        Object context;
    }

    /** The driver's extras, made (with the context kept so far) if it has none. */
    private Extras extras() {
        Object x = extras;
        if (x instanceof Extras) {
            return (Extras) x;
        }
        Extras r = new Extras();
        r.context = x;
        extras = r;
        return r;
    }

    private Extras extrasOrNull() {
        Object x = extras;
        return x instanceof Extras ? (Extras) x : null;
    }

    private CancellationException takeCancellation() {
        Extras r = extrasOrNull();
        if (r != null) {
            r.mustCancel = false;
        }
        String message = r == null ? null : r.message;
        if (r != null && r.deadlines > 0 && r.count - r.deadlines <= r.plainAtDeadlineEntry) {
            return new AsyncTimeoutException(message != null ? message : "deadline exceeded");
        }
        return new CancellationException(message);
    }

    /**
     * Where the body waits, innermost first, down to the body's outermost frame (library frames
     * above it and the frames that started it dropped); empty if unknown.
     */
    public final StackTraceElement[] stackTrace() {
        Object f = fiber;
        if (f == null || fiberDone(f) || (!(f instanceof Fiber) && ContinuationFiber.isMounted(f))) {
            return new StackTraceElement[0];
        }
        StackTraceElement[] all = f instanceof Fiber ? ((Fiber) f).stackTrace() : ContinuationFiber.stackTrace(f);
        int i = 0;
        while (i < all.length && isMachinery(all[i].getClassName())) {
            i++;
        }
        // below the body: this driver's runBody and what started it (the loop's or the engine's frames)
        String self = getClass().getName();
        int end = i;
        while (end < all.length
                && !(all[end].getMethodName().equals("runBody")
                        && all[end].getClassName().equals(self))) {
            end++;
        }
        StackTraceElement[] user = new StackTraceElement[end - i];
        System.arraycopy(all, i, user, 0, user.length);
        return user;
    }

    private static boolean isMachinery(String cls) {
        return cls.startsWith("java.")
                || cls.startsWith("jdk.")
                || cls.startsWith("sun.")
                || cls.startsWith("io.loopbridge.task.internal.")
                || cls.equals("io.loopbridge.Async")
                || cls.startsWith("io.loopbridge.Async$");
    }

    /** The future the body waits on, or null (also while it sleeps). */
    public final LoopFuture<?> waitingOn() {
        Object w = fiber != null ? waitingOn : null;
        return w instanceof LoopFuture ? (LoopFuture<?>) w : null;
    }

    /** What the body waits on, for a description (a future, or a sleep and when it ends), or null. */
    public final String describeWait() {
        Object w = fiber != null ? waitingOn : null;
        if (w instanceof Handle) {
            return null; // a yield's handle: the body is ready, not waiting
        }
        if (w instanceof Wake) {
            long left = ((Wake) w).timer.when() - loop().time();
            return String.format(java.util.Locale.ROOT, "Async.sleep (%.3f s left)", Math.max(0, left) / 1e9);
        }
        return w == null ? null : w.toString();
    }

    /** Unwinds a body whose loop closes under it. */
    @Override
    public final void abandon() {
        EventLoop loop = loop();
        extras().abandoned = true;
        Object f = fiber;
        if (f != null && !fiberDone(f)) {
            Object previous = LOOPS.currentStep(loop);
            LOOPS.setCurrentStep(loop, this);
            Throwable escaped = null;
            try {
                if (f instanceof Fiber) {
                    ((Fiber) f).kill();
                } else {
                    resume(); // abandoned: the body's suspend throws FiberKilled
                }
            } catch (RuntimeException | Error e) {
                escaped = e;
            } finally {
                LOOPS.setCurrentStep(loop, previous);
            }
            reportUnwindFailure(escaped);
        }
    }

    /**
     * A body that failed while unwinding (a {@code finally} threw) has nobody left to await it on
     * a closed loop: its exception goes to the exception handler, once. A task keeps it as its
     * outcome and reports that: its end absorbs the closed loop's refusal of its done callbacks
     * ({@code Task.TaskDriver.end}), which on a role thread would not come back here but be reported
     * apart.
     */
    private void reportUnwindFailure(Throwable escaped) {
        Object o = owner();
        Throwable failure = escaped;
        if (o instanceof LoopFuture && ((LoopFuture<?>) o).isDone()) {
            LoopFuture<?> future = (LoopFuture<?>) o;
            failure = future.isCancelled() ? null : future.exception();
        }
        if (failure == null || failure instanceof FiberKilled) {
            return;
        }
        java.util.Map<String, Object> context = new java.util.LinkedHashMap<>();
        context.put("message", "a coroutine failed while its closed loop unwound it");
        context.put("exception", failure);
        context.put("task", o);
        loop().callExceptionHandler(context);
    }
}
