package io.loopbridge.loop;

import io.loopbridge.future.Awaitable;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.internal.DroppedOnClose;
import io.loopbridge.internal.IoCallback;
import io.loopbridge.internal.LiveTask;
import io.loopbridge.internal.LiveTaskSet;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.internal.LoopBinding;
import io.loopbridge.internal.RunningLoops;
import io.loopbridge.internal.jfr.LoopEvents;
import io.loopbridge.internal.jfr.LoopLapEvent;
import io.loopbridge.internal.jfr.SlowCallbackEvent;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.task.internal.Driver;
import io.loopbridge.task.internal.Fibers;
import io.loopbridge.task.internal.RoleFiber;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * An asyncio-style event loop: one logical thread of control that runs callbacks one after
 * another, fires timers and polls I/O.
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>While the loop runs, only its owner thread (the thread in {@link #runForever}, or the
 *       thread it has handed the loop or a coroutine's step to) touches loop state; every other method checks this
 *       and names {@link #callSoonThreadsafe} as the way in from other threads.
 *   <li>One lap ({@link #runOnce}) runs exactly the callbacks that were ready when the lap
 *       started; callbacks that become ready during the lap run in the next one.
 *   <li>Timers with equal deadlines run in the order they were scheduled.
 *   <li>An idle loop blocks (in the {@link Selector} when I/O is registered, else parked) and
 *       uses no CPU; {@link #callSoonThreadsafe} wakes it only when it is about to block. Without
 *       I/O, while another thread's work keeps arriving soon after each park, it first spins up
 *       to 50 us ({@code -Dloopbridge.idleSpinMicros}); spins that find nothing back off, and a
 *       park longer than 1 ms stops them.
 * </ol>
 */
public class EventLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    /**
     * The loop that started running last, while it runs: on its owner's thread {@link #running()}
     * answers with one comparison, and an await compiles to less code (no thread-local lookup
     * inlined into every coroutine's bottom frame). Racy on purpose: the owner check decides.
     */
    private static EventLoop lastStarted;

    private static final AtomicInteger EXECUTOR_THREADS = new AtomicInteger();
    /** Timers due within this window of "now" run in the current lap, as asyncio's clock resolution. */
    private static final long CLOCK_SLACK_NANOS = 1_000;
    /** A ready queue that held this many callbacks at a lap's start may be trimmed later. */
    static final int READY_TRIM_PEAK = 16_384;

    /** Replaced by a smaller one after a burst ({@link #trimReady}); loop thread only. */
    private ArrayDeque<Handle> ready = new ArrayDeque<>();
    /** The most callbacks a lap started with since the ready queue was last made. */
    private int readyPeak;
    /** Ready queues replaced by smaller ones (for tests). Loop thread only. */
    private long readyTrims;

    private final PriorityQueue<TimerHandle> timers = new PriorityQueue<>();
    private final ConcurrentLinkedQueue<Handle> inbound = new ConcurrentLinkedQueue<>();
    /** The futures of {@link #runCoroutineThreadsafe} not done yet; any thread. */
    private final Set<CompletableFutureFromTask<?>> threadsafeFutures = ConcurrentHashMap.newKeySet();

    private long timerSeq;
    /** {@link #CLOCK_SLACK_NANOS}, or 0 on virtual time, where a timer must never run before its time. */
    long clockSlackNanos = CLOCK_SLACK_NANOS;

    private boolean stopping;
    private Selector selector;
    private ExceptionHandler exceptionHandler;
    private ExecutorService defaultExecutor;
    boolean debug = Boolean.getBoolean("loopbridge.debug");
    private long slowCallbackNanos = Duration.ofMillis(100).toNanos();
    private final CoroutineEngine engine;
    /** The task (or other coroutine driver) whose step is running; see {@link LoopAccess}. */
    private Object currentStep;
    /** See {@link LoopAccess#pendingOnOwnThread}; any thread. */
    private final AtomicInteger pendingOnOwnThread = new AtomicInteger();

    private final Set<LiveTask> liveTasks = new LiveTaskSet();
    private final LapHistogram lapHistogram = new LapHistogram();
    private long lapCount;
    private long callbackCount;
    /** When the running lap started, if its busy time is sampled for the histogram; else 0. */
    private long lapSampleStart;
    /**
     * One lap in 64 is timed for the histogram: two clock reads cost ≈ 50 ns on a virtual machine,
     * ≈ 3 ns a lap at one in 16, a fifth of a lap that only resumes a lone coroutine (takeLoneStep).
     */
    private static final int LAP_SAMPLE_MASK = 63;
    /** The handle whose callback runs now if it is a coroutine's step; else null. */
    private Handle lapHandle;
    /** What {@link #stats()} reads: published by the loop every 64th lap and before it waits. */
    private volatile long publishedLaps;

    private volatile long publishedCallbacks;
    private volatile int publishedReady;
    private volatile int publishedTimers;
    private volatile int publishedTasks;
    private volatile int publishedIo;
    private final Set<Object> asyncGenerators = Collections.newSetFromMap(new WeakHashMap<>());

    private volatile Thread owner;
    private volatile boolean closed;
    /** 1 while the loop is busy or already woken: producers need not wake it. */
    private volatile int awake = 1;
    /** Cancelled timers still in the heap; touched from any thread. */
    private volatile int cancelledTimers;
    /**
     * How long the idle loop spins for work from other threads before it parks ({@link #parkIdle}):
     * {@link #IDLE_SPIN_NANOS} once such work ended a park soon, 0 after a long park. Loop thread
     * only.
     */
    private long idleSpinNanos;
    /** Parks to make without spinning, after spins that found nothing; see {@link #parkIdle}. */
    private int idleSpinSkips;
    /** Spins in a row that found nothing (capped): each doubles the parks skipped after it. */
    private int idleSpinMisses;
    /** Spins that found work (for tests). Loop thread only. */
    private long idleSpinCatches;

    private volatile boolean selectorPolling;
    /** The I/O events of the last poll, run in the current lap: callback, key and ready set. */
    private IoCallback[] ioCallbacks = new IoCallback[64];

    private SelectionKey[] ioKeys = new SelectionKey[64];
    private int[] ioOps = new int[64];
    private int ioCount;
    private final Consumer<SelectionKey> collectSelected = this::collectSelected;
    /** Continuation engine: the thread whose stack the suspended coroutines were started on. */
    private Thread continuationThread;

    /**
     * Thread engines: whether the loop is a role handed between threads ({@code
     * -Dloopbridge.loopRole=false} keeps the older protocol, where the loop's thread resumes each
     * body on its own thread and waits for it to suspend).
     */
    private static final boolean LOOP_ROLE = !"false".equals(System.getProperty("loopbridge.loopRole"));
    /**
     * Virtual engine: how many times a body whose step is next yields its carrier before it parks
     * ({@link #yieldForTurn}); 0 parks at once.
     */
    private static final int YIELD_SPINS = Math.max(0, Integer.getInteger("loopbridge.yieldSpins", 2));
    /** How long a pool thread waits idle for the role before it ends. */
    private static final long ROLE_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * The idle spin's budget ({@code -Dloopbridge.idleSpinMicros}, 0 turns it off): enough to cover
     * a round of a producer on another vCPU that itself had to be woken (4-25 us per wake-up on the
     * machines measured), so that a loop fed in quick turns from another thread (a subscriber
     * requesting from Reactor's worker, items arriving from it) finds the work without being woken.
     * 20 us caught too few turns there (issue 6's cross-thread comparison: 0.08-0.13 against
     * 0.19 with 50 us; 0.07 without a spin).
     */
    static final long IDLE_SPIN_NANOS =
            TimeUnit.MICROSECONDS.toNanos(Math.max(0, Long.getLong("loopbridge.idleSpinMicros", 50)));
    /** A park that another thread's work ends this soon turns the spin on (wake-up latency included). */
    static final long IDLE_SPIN_ON_NANOS = 10 * IDLE_SPIN_NANOS;
    /** A park this long turns the spin off: a loop that waits long between turns parks at once. */
    static final long IDLE_SPIN_OFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int LAP_NONE = 0;
    private static final int LAP_BEFORE_IO = 1;
    private static final int LAP_AFTER_IO = 2;
    /** This run hands the loop around as a role ({@link #roleRun}). */
    private boolean roleMode;
    /** The thread holding the role (its {@link #owner}); role mode only. */
    private RoleThread holder;
    /**
     * The first step handed with the role ({@link RoleThread#HANDED}): loop state, published to the
     * new holder with the role and taken by it before anything else, so no thread carries a field for it.
     */
    private Driver handedStep;
    /** The thread in {@link #runForever}, waiting for the stop; role mode only. */
    private RoleThread roleCaller;
    /** Pure pool threads waiting for the role, last parked first. */
    private final ArrayDeque<RoleThread> idleRoles = new ArrayDeque<>();
    /** Bodies started inline on pool threads and not ended: they can only be stepped in role mode. */
    private int roleBodies;
    /** A failure of the lap on a pool thread, rethrown by {@link #runForever}. */
    private Throwable roleFailure;
    /** The lap in progress, resumable by whichever thread holds the role. */
    private int lapPhase;

    private int lapLeft;
    private int lapAfterIo;
    private int lapIo;
    private int lapCallbacks;
    private boolean lapJfr;
    private LoopLapEvent lapEvent;

    private static final VarHandle OWNER;
    private static final VarHandle AWAKE;
    private static final VarHandle CANCELLED_TIMERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OWNER = l.findVarHandle(EventLoop.class, "owner", Thread.class);
            AWAKE = l.findVarHandle(EventLoop.class, "awake", int.class);
            CANCELLED_TIMERS = l.findVarHandle(EventLoop.class, "cancelledTimers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        LoopAccess.install(new Access());
    }

    /**
     * Creates a loop that is not running yet (asyncio's {@code new_event_loop()}), whose coroutines
     * run on {@link CoroutineEngine#defaultEngine()}.
     */
    public EventLoop() {
        this(CoroutineEngine.defaultEngine());
    }

    /**
     * Creates a loop whose coroutines run on {@code engine}.
     *
     * @param engine the engine to run this loop's coroutines on; must not be null
     * @throws IllegalArgumentException if this JVM does not offer the engine
     */
    public EventLoop(CoroutineEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        if (!engine.isAvailable()) {
            throw new IllegalArgumentException("the " + engine + " coroutine engine is not available on this JVM");
        }
    }

    /**
     * The engine this loop's coroutines run on.
     *
     * @return the engine given at construction; never null
     */
    public CoroutineEngine engine() {
        return engine;
    }

    /**
     * The loop running on the calling thread, or {@code null}.
     *
     * @return the loop running on the calling thread (or handing control to it), or null outside
     *     any loop
     */
    public static EventLoop running() {
        EventLoop last = lastStarted;
        if (last != null && last.owner == Thread.currentThread()) {
            return last;
        }
        return runningElsewhere();
    }

    private static EventLoop runningElsewhere() {
        // checked first: a thread-local get would create the thread's thread-local map
        Thread.UncaughtExceptionHandler h = Thread.currentThread().getUncaughtExceptionHandler();
        if (h instanceof LoopBinding) {
            return ((LoopBinding) h).boundLoop();
        }
        return RUNNING.get();
    }

    /** A stopped loop is no longer {@link #lastStarted}: a closed one may be collected. */
    private void forgetStarted() {
        if (lastStarted == this) {
            lastStarted = null;
        }
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * Schedules {@code callback} to run in the next lap of the loop, after the callbacks already
     * scheduled. Loop thread only; from other threads use {@link #callSoonThreadsafe}.
     *
     * @param callback the code to run on the loop's thread; must not be null
     * @return a handle that cancels the callback if it has not run yet
     */
    public Handle callSoon(Runnable callback) {
        checkOwnerAndOpen("callSoon");
        Handle h = new Handle(this, callback);
        ready.addLast(h);
        return h;
    }

    /**
     * Schedules {@code callback} from any thread and wakes the loop if it is waiting. With {@link
     * #runCoroutineThreadsafe}, the only methods of the loop that may be called from any thread at
     * any time.
     *
     * @param callback the code to run on the loop's thread; must not be null
     * @return a handle that cancels the callback if it has not run yet; thread-safe
     * @throws IllegalStateException if the loop is closed; a callback queued while the loop closes
     *     is dropped with the rest of the loop's pending callbacks
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        checkOpen();
        Handle h = new Handle(this, callback);
        inbound.offer(h);
        if (closed && inbound.remove(h)) {
            // close() emptied the queue between checkOpen() and offer(): the callback would linger, never run
            throw new IllegalStateException("Event loop is closed");
        }
        if (awake == 0 && AWAKE.compareAndSet(this, 0, 1)) {
            wakeUp();
        }
        return h;
    }

    /**
     * Schedules {@code callback} after {@code delay}; a negative delay counts as zero. Loop thread only.
     *
     * @param delay how long from now the callback is due; must not be null
     * @param callback the code to run on the loop's thread; must not be null
     * @return a handle that tells when the callback is due and cancels it
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        checkOwner("callLater");
        long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
        long now = time();
        long when = now + nanos;
        return callAt(when < now ? Long.MAX_VALUE : when, callback);
    }

    /**
     * Schedules {@code callback} at loop time {@code when} (nanoseconds of {@link #time()}). Loop thread only.
     *
     * @param when the loop time the callback is due at; a time in the past means the next lap
     * @param callback the code to run on the loop's thread; must not be null
     * @return a handle that tells when the callback is due and cancels it
     */
    public TimerHandle callAt(long when, Runnable callback) {
        checkOwnerAndOpen("callAt");
        TimerHandle t = new TimerHandle(this, callback, when, timerSeq++);
        timers.add(t);
        return t;
    }

    /**
     * The loop's monotonic clock in nanoseconds; only differences are meaningful.
     *
     * @return the current loop time in nanoseconds
     */
    public long time() {
        return System.nanoTime();
    }

    /**
     * A new pending future bound to this loop.
     *
     * @param <T> the type of the future's result
     * @return a new pending future whose callbacks run on this loop
     */
    public <T> LoopFuture<T> createFuture() {
        return new LoopFuture<>(this);
    }

    /**
     * Wraps {@code coroutine} in a {@link Task} and schedules its first step. Loop thread only.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the coroutine to run as a task on this loop; must not be null
     * @return the new task, already scheduled
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return new Task<>(this, coroutine);
    }

    /**
     * {@link #createTask(Coroutine)} with a name for dumps and logs.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the coroutine to run as a task on this loop; must not be null
     * @param name the task's name, shown by {@link #dumpTasks}; null for the default {@code Task-N}
     * @return the new task, already scheduled
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return new Task<>(this, coroutine, name);
    }

    /**
     * Runs {@code coroutine} as a {@link Task} on this loop, from any thread, and returns a future
     * of its outcome (asyncio's {@code run_coroutine_threadsafe(coro, loop)}). The task is created in
     * the loop's next lap, in a copy of the caller's {@link io.loopbridge.context.Context}, as
     * {@link #callSoonThreadsafe} runs its callbacks.
     *
     * <p>The returned future completes on the loop's thread with the task's result, the exception its
     * body threw (as thrown: {@code get} wraps it in an {@code ExecutionException}), or a {@link java.util.concurrent.CancellationException}
     * if the task was cancelled. Actions chained on it without an executor therefore run on the
     * loop's thread and must not block; wait for it with {@code get}/{@code join} on the calling
     * thread, never on the loop's thread. Cancelling it ({@code cancel(true)} or {@code cancel(false)},
     * from any thread) cancels it at once and cancels the task on the loop, whose body may still run
     * its {@code finally} blocks; cancelled before the loop created the task, the coroutine never
     * runs. Completing it by other means ({@code complete}, {@code orTimeout}) does not touch the
     * task. If the loop closes before the task is done (asyncio would leave the future pending
     * forever), the future fails with an {@link IllegalStateException} saying so, after the
     * suspended body's {@code finally} blocks ran.
     *
     * <p>Thread-safe: may be called from any thread, also the loop's own, and before the loop runs.
     *
     * @param coroutine the coroutine to run on this loop
     * @param <T> the type of the coroutine's result
     * @return a future completed with the task's outcome; cancelling it cancels the task
     * @throws NullPointerException if {@code coroutine} is {@code null}
     * @throws IllegalStateException if the loop is closed, as {@link #callSoonThreadsafe}
     */
    public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        CompletableFutureFromTask<T> future = new CompletableFutureFromTask<>(this, coroutine);
        // registered first: close() fails whatever it finds here, and a submission that loses
        // the race with close() is refused by callSoonThreadsafe below
        threadsafeFutures.add(future);
        future.whenComplete((r, e) -> threadsafeFutures.remove(future));
        try {
            callSoonThreadsafe(future::start);
        } catch (IllegalStateException closedNow) {
            threadsafeFutures.remove(future);
            throw closedNow;
        }
        return future;
    }

    /**
     * The tasks of this loop that are not done yet, in creation order. Loop thread only.
     *
     * @return a new list of the live tasks; empty if there are none
     */
    public List<Task<?>> allTasks() {
        checkOwner("allTasks");
        List<Task<?>> tasks = new ArrayList<>(liveTasks.size());
        for (LiveTask t : liveTasks) {
            tasks.add((Task<?>) t.task());
        }
        return tasks;
    }

    /**
     * Writes every live task, its state and where it waits (like {@code python -m asyncio pstree}).
     * Loop thread only, or any thread while the loop is not running.
     *
     * @param out where to write the dump, one line per task after a header line
     * @throws IOException if {@code out} fails to append
     */
    public void dumpTasks(Appendable out) throws IOException {
        checkOwner("dumpTasks");
        out.append(liveTasks.size() + " live task(s) on " + this + "\n");
        for (LiveTask t : List.copyOf(liveTasks)) {
            out.append(t.describe()).append("\n");
        }
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs laps until {@link #stop()} is called. On the thread engines the loop is a role handed
     * between the calling thread and the loop's own threads, which run task bodies (see the
     * coroutines guide); the calling thread never runs a body, and on the {@link
     * CoroutineEngine#VIRTUAL} engine it only waits while virtual threads run the laps.
     */
    public void runForever() {
        checkOpen();
        EventLoop current = running();
        if (current != null && current != this) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running on this thread");
        }
        if (owner != null) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (LOOP_ROLE
                && engine != CoroutineEngine.CONTINUATION
                && (roleBodies > 0 || (!debug && !LoopEvents.enabled()))) {
            runAsRole();
            return;
        }
        if (engine == CoroutineEngine.VIRTUAL && !Fibers.currentThreadIsVirtual()) {
            runOnVirtualThread();
            return;
        }
        runLaps();
    }

    private void runOnVirtualThread() {
        Throwable[] failure = new Throwable[1];
        Thread t = Fibers.newVirtualThread("loopbridge-loop", () -> {
            try {
                runLaps();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw LoopFuture.rethrowable(failure[0]);
        }
    }

    private void runLaps() {
        Thread me = Thread.currentThread();
        if (!OWNER.compareAndSet(this, null, me)) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (engine == CoroutineEngine.CONTINUATION) {
            checkContinuationThread(me);
        }
        RUNNING.set(this);
        lastStarted = this;
        RunningLoops.started(this);
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            RunningLoops.stopped(this);
            RUNNING.remove();
            forgetStarted();
            owner = null;
        }
    }

    // ---------------------------------------------------------------- the loop as a role

    /*
     * Thread engines. The loop is a role: the thread holding it (holder, also the owner) runs the
     * current lap, whose progress is in fields (lapPhase, lapLeft, ...), one callback after another.
     * A task's first step on a pure pool thread runs its body inline there; when a body suspends,
     * its thread goes on with the lap inside the suspend and returns from it when the lap reaches
     * the body's own step. The step of a body suspended on another thread hands the role to that
     * thread (one hand-off per switch); a first step on a thread that is not pure hands the role to
     * a pure pool thread. A pure thread that handed the role away unwinds its callback's frames
     * (touching no loop state) and waits at the top of roleRun; a suspended body waits in
     * awaitResume, under as few frames as possible, since they are what its stack chunk keeps.
     */

    private void runAsRole() {
        Thread me = Thread.currentThread();
        if (!OWNER.compareAndSet(this, null, me)) {
            throw new IllegalStateException("This event loop is already running");
        }
        RoleThread caller = new RoleThread(this, me);
        caller.turn = true;
        roleCaller = caller;
        holder = caller;
        roleMode = true;
        RUNNING.set(this);
        lastStarted = this;
        RunningLoops.started(this);
        Throwable failure;
        try {
            if (engine == CoroutineEngine.VIRTUAL) {
                // the laps run on virtual threads, so every hand-off is a virtual-thread one
                handToPool(caller, null);
            }
            roleRun(caller); // never handed a step: it runs no bodies
        } finally {
            failure = roleFailure;
            roleFailure = null;
            roleMode = false;
            roleCaller = null;
            holder = null;
            stopping = false;
            RunningLoops.stopped(this);
            RUNNING.remove();
            forgetStarted();
            owner = null;
        }
        if (failure != null) {
            throw LoopFuture.rethrowable(failure);
        }
    }

    /**
     * A pool thread's wait and the wait of the thread in runForever: waits for the role and runs the
     * laps it is granted; returns the first step handed to this thread (a pure pool thread), which
     * {@link RoleThread#run} starts and then calls this again, or null when granted the stop (the
     * thread in runForever) or the exit, or when an idle pool thread waited too long. A body started
     * from a handed step sits on RoleThread.run's small frame for life, not on this one's.
     */
    final Driver roleRun(RoleThread me) {
        while (true) {
            if (!me.turn && !awaitTurn(me)) {
                return null; // an idle pool thread that waited too long: it ends
            }
            if (me.exiting) {
                return null;
            }
            int g = me.grant;
            if (g != RoleThread.CONTINUE) {
                me.grant = RoleThread.CONTINUE;
                if (g != RoleThread.HANDED) {
                    return null; // STOP or EXIT
                }
                Driver step = handedStep;
                handedStep = null;
                return step;
            }
            roleLaps(me);
        }
    }

    /** A handed first step threw while this thread still held the role (RoleThread.run). */
    final void reportHandedStepFailure(Driver step, Throwable e) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("message", "Exception in callback " + step);
        ctx.put("exception", e);
        callExceptionHandler(ctx);
    }

    /**
     * The wait of a body suspended on its own thread, which holds the role: it goes on with the
     * lap until the role comes back with its step (true) or the loop closes (false). Every
     * suspended body's frozen stack holds this frame, so the lap ({@link #roleLaps}) has returned
     * by the time it parks. A body's thread is never pure (never handed a first step, never idle)
     * nor the thread in runForever: RESUME and EXIT are all it is granted.
     */
    private boolean roleWait(RoleThread me) {
        while (true) {
            roleLaps(me);
            if (!me.turn) {
                if (me.spin) {
                    yieldForTurn(me);
                }
                awaitResume(me);
            }
            if (me.exiting) {
                return false;
            }
            if (me.grant != RoleThread.CONTINUE) {
                me.grant = RoleThread.CONTINUE;
                return true; // RESUME
            }
        }
    }

    /**
     * Whether the role's next callback is the step of the body on {@code me}, which then gets the
     * role back as soon as the step being handed away suspends (two tasks taking turns).
     */
    private boolean stepIsNext(RoleThread me) {
        if (engine != CoroutineEngine.VIRTUAL || YIELD_SPINS == 0 || !me.hasBody) {
            return false;
        }
        Handle h = ready.peekFirst();
        return h != null && h.callback instanceof Driver && ((Driver) h.callback).runsOn(me);
    }

    /**
     * A virtual thread whose turn comes next yields its carrier instead of parking: the thread it
     * handed the role to runs on that carrier, and when it hands the role back, this one is not
     * parked, so no carrier is woken for the switch (an unpark of a parked virtual thread signals
     * an idle carrier, which costs more than the step). A few yields only: a turn that does not
     * come by then parks as before.
     */
    private static void yieldForTurn(RoleThread me) {
        me.spin = false;
        for (int i = 0; i < YIELD_SPINS && !me.turn; i++) {
            Thread.yield();
        }
    }

    /** Runs the lap while {@code me} holds the role and nothing else was granted to it. */
    private void roleLaps(RoleThread me) {
        while (me.turn && me.grant == RoleThread.CONTINUE && !me.exiting) {
            try {
                lapWork(me);
            } catch (Throwable e) {
                if (!me.turn) {
                    throw e;
                }
                // the lap is cut short: what it left in ready runs in the next one, whichever
                // protocol runs it (a stale lapLeft would count handles another run took)
                lapPhase = LAP_NONE;
                if (me == roleCaller) {
                    throw e;
                }
                roleFailure = e;
                stopRole(me);
            }
        }
    }

    /**
     * Parks until the role is handed to {@code me}, which is not idle (a suspended body's thread, or a
     * busy one in awaitTurn); small enough to be inlined: every suspended body keeps the frame it parks
     * in, and awaitTurn's idle path would make that frame bigger. An interrupt is kept aside (it would
     * make every park return at once) and set again on return.
     */
    private void awaitResume(RoleThread me) {
        boolean interrupted = false;
        while (!me.turn) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Parks until the role is handed to {@code me}; false if {@code me} idled too long and ended. An
     * interrupt would make every park return at once (a spin): it is kept aside and set again on return.
     */
    private boolean awaitTurn(RoleThread me) {
        if (me.idle()) {
            return awaitTurnIdle(me);
        }
        // only the thread itself makes it idle (as it lets go): it stays busy while it waits here
        awaitResume(me);
        return true;
    }

    /** {@link #awaitTurn} of a pure pool thread in the pool, which ends itself after a while. */
    private boolean awaitTurnIdle(RoleThread me) {
        boolean interrupted = false;
        try {
            while (!me.turn) {
                if (me.idle()) {
                    long deadline = System.nanoTime() + ROLE_IDLE_NANOS;
                    while (!me.turn) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            if (me.retire()) {
                                return false; // the holder will skip it in the pool
                            }
                            break; // taken meanwhile: the role is on its way
                        }
                        LockSupport.parkNanos(this, left);
                        interrupted |= Thread.interrupted();
                    }
                } else {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One piece of the lap: start it, run its next callback, or end it. The holder only. */
    private void lapWork(RoleThread me) {
        switch (lapPhase) {
            case LAP_BEFORE_IO:
                if (lapLeft > 0) {
                    lapLeft--; // before the callback: it may hand the role to a thread that goes on
                    Handle h = ready.pollFirst();
                    if (!h.isCancelled()) {
                        run(h, lapJfr);
                    }
                    return;
                }
                lapPhase = LAP_AFTER_IO;
                lapLeft = lapAfterIo;
                if (lapIo > 0) {
                    runIo(lapIo, lapJfr); // I/O callbacks never step a task: no hand-off inside
                }
                return;
            case LAP_AFTER_IO:
                if (lapLeft > 0) {
                    lapLeft--;
                    Handle h = ready.pollFirst();
                    if (!h.isCancelled()) {
                        run(h, lapJfr);
                    }
                    return;
                }
                endRoleLap();
                if (stopping) {
                    stopRole(me);
                }
                return;
            default:
                if (engine == CoroutineEngine.THREADS && me != roleCaller && me.pure() && wouldWait()) {
                    // an idle loop waits on runForever's thread, as before the role protocol: a pure
                    // pool thread (a platform thread here) must not stay alive just to poll it
                    handTo(me, roleCaller, RoleThread.CONTINUE);
                    return;
                }
                startRoleLap();
        }
    }

    /** Whether the next lap would have to wait for work: nothing ready, queued or due, no stop. */
    private boolean wouldWait() {
        return ready.isEmpty()
                && inbound.isEmpty()
                && !stopping
                && ioCount == 0
                && (timers.isEmpty() || nextTimerWhen() > time() + clockSlackNanos);
    }

    private void startRoleLap() {
        int beforeIo = collectLap();
        int count = ready.size();
        int io = ioCount;
        boolean jfr = LoopEvents.enabled();
        lapEvent = beginLap(jfr);
        lapJfr = jfr;
        lapLeft = beforeIo;
        lapAfterIo = count - beforeIo;
        lapIo = io;
        lapCallbacks = count + io;
        lapPhase = LAP_BEFORE_IO;
    }

    private void endRoleLap() {
        lapPhase = LAP_NONE;
        callbackCount += lapCallbacks;
        endLapSample();
        LoopLapEvent lap = lapEvent;
        if (lap != null) {
            lapEvent = null;
            lap.end();
            if (lap.shouldCommit()) {
                lap.loop = toString();
                lap.callbacks = lapCallbacks;
                lap.commit();
            }
        }
    }

    /** The lap where stop() took effect has ended: the role goes back to the thread in runForever. */
    private void stopRole(RoleThread me) {
        if (me == roleCaller) {
            me.grant = RoleThread.STOP;
            return;
        }
        handTo(me, roleCaller, RoleThread.STOP);
    }

    /**
     * Hands the role from {@code from} (the holder, the calling thread) to {@code to}. The caller
     * must then touch no loop state: it unwinds to its {@link #roleRun}, which waits for the role.
     */
    private void handTo(RoleThread from, RoleThread to, byte grant) {
        startRoleThread(to);
        if (from.pure()) {
            from.setIdle(); // it joins the pool as it lets go
            idleRoles.push(from);
        }
        from.turn = false;
        holder = to;
        owner = to.thread;
        to.grant = grant;
        to.turn = true; // publishes the loop state to the new holder
        LockSupport.unpark(to.thread);
    }

    /** Before anything is published: if the JVM cannot start a thread, the holder keeps the role. */
    private static void startRoleThread(RoleThread t) {
        if (!t.started) {
            t.thread.start(); // it waits for its turn at the top of roleRun
            t.started = true;
        }
    }

    /** Hands the role to a pure pool thread (a new one if none waits), with {@code step} to run first. */
    private void handToPool(RoleThread from, Driver step) {
        RoleThread to;
        while ((to = idleRoles.pollFirst()) != null && !to.take()) {
            // it idled too long and ended itself
        }
        if (to == null) {
            to = new RoleThread(this, r -> Fibers.newRoleThread(engine, r));
        }
        startRoleThread(to); // first: if it cannot start, the holder keeps the role and the step
        handedStep = step;
        handTo(from, to, step == null ? RoleThread.CONTINUE : RoleThread.HANDED);
    }

    /** Ends the idle pool threads (the loop closes). */
    private void endIdleRoles() {
        RoleThread t;
        while ((t = idleRoles.pollFirst()) != null) {
            if (t.take()) {
                endRoleThread(t);
            }
        }
    }

    /** Makes a waiting role thread unwind whatever body it holds and end; returns once it has. */
    private static void endRoleThread(RoleThread t) {
        t.exiting = true;
        t.grant = RoleThread.EXIT;
        t.turn = true;
        if (!t.started) {
            return;
        }
        LockSupport.unpark(t.thread);
        boolean interrupted = false;
        while (t.thread.isAlive()) {
            try {
                t.thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@link #takeLoneStep} of the role protocol: the lap has nothing left to run, and the next
     * would run nothing but {@code step} (the suspending body's own): that lap is accounted for
     * here and the body goes on without running the loop's machinery. Same conditions as there.
     */
    private boolean takeRoleLoneStep(Runnable step) {
        Handle next;
        if (lapLeft != 0
                || !(lapPhase == LAP_AFTER_IO || (lapPhase == LAP_BEFORE_IO && lapIo == 0 && lapAfterIo == 0))
                || stopping
                || lapJfr
                || debug
                || ready.size() != 1
                || (next = ready.peekFirst()).callback != step
                || next.isCancelled()
                || ioCount != 0
                || !inbound.isEmpty()
                || LoopEvents.enabled()
                || (selector != null && !selector.keys().isEmpty())
                || (!timers.isEmpty() && nextTimerWhen() <= time() + clockSlackNanos)) {
            return false;
        }
        ready.pollFirst();
        endRoleLap(); // the lap that ran the suspending step ends here
        lapSampleStart = (++lapCount & LAP_SAMPLE_MASK) == 0 ? System.nanoTime() : 0;
        lapPhase = LAP_AFTER_IO; // the next lap, whose only callback runs now
        lapAfterIo = 0;
        lapIo = 0;
        lapCallbacks = 1;
        return true;
    }

    /** Role steps: 0 the older protocol, 1 run the body inline here, 2 hand the step to a pure thread. */
    private int roleStartMode() {
        if (!roleMode) {
            return 0;
        }
        RoleThread h = holder;
        if (h == null || h.thread != Thread.currentThread()) {
            return 0;
        }
        return h.pure() ? 1 : 2;
    }

    /**
     * A coroutine of the continuation engine is part of the stack of the thread that runs the loop,
     * and JIT-compiled frames may keep {@code Thread.currentThread()} across a suspension: while
     * any is suspended, the loop must not move to another thread. Called once the caller owns the loop.
     */
    private void checkContinuationThread(Thread me) {
        Thread last = continuationThread;
        if (last != null && last != me && !(liveTasks.isEmpty() && asyncGenerators.isEmpty())) {
            owner = null;
            throw new IllegalStateException(
                    "This loop's suspended coroutines are continuations of thread '"
                            + last.getName() + "' and cannot resume on thread '" + me.getName()
                            + "': run the loop on that thread, or use the threads or virtual engine to move loops between threads");
        }
        continuationThread = me;
    }

    /**
     * Runs the loop until {@code awaitable} is done and returns its result (or throws its failure,
     * as {@link LoopFuture#result()}).
     *
     * @param <T> the type of the result
     * @param awaitable the future, task or other awaitable to wait for; it must belong to this loop
     * @return the result of {@code awaitable}
     * @throws IllegalStateException if the loop was stopped before the awaitable completed
     */
    public <T> T runUntilComplete(Awaitable<T> awaitable) {
        Objects.requireNonNull(awaitable, "awaitable");
        LoopFuture<T> future = awaitable.future();
        if (future.loop() != this) {
            throw new IllegalStateException("The future belongs to another event loop: " + future);
        }
        if (!future.isDone()) {
            Consumer<LoopFuture<T>> stopper = f -> stop();
            future.addDoneCallback(stopper);
            try {
                runForever();
            } finally {
                future.removeDoneCallback(stopper);
            }
            if (!future.isDone()) {
                throw new IllegalStateException("Event loop stopped before the future completed: " + future);
            }
        }
        return future.result();
    }

    /**
     * Asks the loop to stop after the current lap. Loop thread only (from other threads:
     * {@code callSoonThreadsafe(loop::stop)}); before the loop runs, the next run does one lap.
     */
    public void stop() {
        checkOwner("stop");
        stopping = true;
    }

    /**
     * Whether a thread is inside {@link #runForever}. Any thread.
     *
     * @return true while a thread runs the loop
     */
    public boolean isRunning() {
        return owner != null;
    }

    /**
     * Whether the calling thread owns the running loop: it runs the loop, or a coroutine the loop
     * handed control to. Any thread.
     *
     * @return true if loop state may be touched from the calling thread while the loop runs
     */
    public boolean inLoop() {
        return owner == Thread.currentThread();
    }

    /**
     * Whether {@link #close()} was called. Any thread.
     *
     * @return true once {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: closes the connections, servers and endpoints still open on it (each
     * connection's protocol gets {@code connectionLost} first, on the calling thread), drops pending
     * callbacks and timers, shuts the default executor down without waiting and releases the
     * selector. Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (owner != null) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        closeChannels(); // while the loop is open: connectionLost may schedule callbacks (dropped below)
        closed = true;
        // Tasks still suspended would keep their threads forever: unwind them.
        for (LiveTask t : List.copyOf(liveTasks)) {
            t.abandon();
        }
        liveTasks.clear();
        // so would async generators left suspended at a yield (the set holds their drivers)
        for (Object g : List.copyOf(asyncGenerators)) {
            ((LiveTask) g).abandon();
        }
        asyncGenerators.clear();
        endIdleRoles(); // the pure pool threads; those holding a body ended with its task above
        lapPhase = LAP_NONE;
        List<DroppedOnClose> dropped = new ArrayList<>();
        for (Handle h : ready) {
            droppedOnClose(h, dropped);
        }
        ready.clear();
        timers.clear();
        Handle queued;
        // polled one by one: a callSoonThreadsafe racing this close either removes its handle
        // itself (and throws) or finds it taken here (and is told below), never both
        while ((queued = inbound.poll()) != null) {
            droppedOnClose(queued, dropped);
        }
        java.util.Arrays.fill(ioCallbacks, null);
        java.util.Arrays.fill(ioKeys, null);
        ioCount = 0;
        for (CompletableFutureFromTask<?> f : threadsafeFutures) {
            f.loopClosed(); // removes itself as it completes
        }
        if (defaultExecutor != null) {
            defaultExecutor.shutdown();
        }
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the selector failed", e);
            }
        }
        for (DroppedOnClose d : dropped) {
            try {
                d.droppedOnClose();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                Map<String, Object> ctx = new LinkedHashMap<>();
                ctx.put("message", "A dropped callback failed while the event loop closed");
                ctx.put("exception", e);
                callExceptionHandler(ctx);
            }
        }
    }

    private static void droppedOnClose(Handle h, List<DroppedOnClose> dropped) {
        Runnable cb = h.callback;
        if (cb instanceof Handle.Traced) {
            cb = ((Handle.Traced) cb).callback;
        }
        if (cb instanceof Handle.InContext) {
            cb = ((Handle.InContext) cb).callback;
        }
        if (cb instanceof DroppedOnClose && !h.isCancelled()) {
            dropped.add((DroppedOnClose) cb);
        }
    }

    private void closeChannels() {
        if (selector == null) {
            return;
        }
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.attachment() instanceof IoCallback) {
                try {
                    ((IoCallback) key.attachment()).loopClosing();
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    Map<String, Object> ctx = new LinkedHashMap<>();
                    ctx.put("message", "Closing a channel failed while the event loop closed");
                    ctx.put("exception", e);
                    ctx.put("channel", key.channel());
                    callExceptionHandler(ctx);
                }
            }
        }
    }

    /** One lap: wait for work, move due timers to the ready queue, run what was ready. */
    void runOnce() {
        int beforeIo = collectLap();

        // Only what was ready at this point runs in this lap (invariant 2).
        int count = ready.size();
        int io = ioCount;
        boolean jfr = LoopEvents.enabled();
        LoopLapEvent lap = beginLap(jfr);
        runReady(beforeIo, jfr, count == beforeIo && io == 0);
        if (io > 0) {
            runIo(io, jfr);
        }
        runReady(count - beforeIo, jfr, true);
        callbackCount += count + io;
        endLapSample();
        if (lap != null) {
            lap.end();
            if (lap.shouldCommit()) {
                lap.loop = toString();
                lap.callbacks = count;
                lap.commit();
            }
        }
    }

    /**
     * Runs the first {@code n} ready callbacks; {@code lastOfLap}: the last of them is the lap's
     * last callback, before which a queue that held a burst is trimmed ({@link #trimReady}).
     */
    private void runReady(int n, boolean jfr, boolean lastOfLap) {
        if (n <= 0) {
            return;
        }
        for (; n > 1; n--) {
            runReady(ready.pollFirst(), jfr);
        }
        Handle last = ready.pollFirst();
        if (lastOfLap && readyPeak >= READY_TRIM_PEAK) {
            trimReady(); // drained: the last callback (a coroutine resuming, say) runs without it
        }
        runReady(last, jfr);
        lapHandle = null;
    }

    private void runReady(Handle h, boolean jfr) {
        if (!h.isCancelled()) {
            // only a coroutine's step may need it (takeLoneStep): a store of any other handle
            // would cost every callback a GC write barrier
            lapHandle = h.callback instanceof LiveTask ? h : null;
            run(h, jfr);
        }
    }

    /**
     * The start of a lap: waits for work (polls), moves due timers to the ready queue; returns how
     * many of the ready callbacks run before the lap's I/O events.
     */
    private int collectLap() {
        drainInbound();
        purgeCancelledTimers();
        long timeout;
        if (!ready.isEmpty() || stopping) {
            timeout = 0;
        } else if (!timers.isEmpty()) {
            timeout = Math.max(0, timers.peek().when - time());
        } else {
            timeout = -1;
        }
        if (timeout != 0) {
            timeout = beforeBlocking(timeout);
            publishStats();
        }
        poll(timeout);
        int beforeIo = ready.size(); // the I/O events run after these, as if queued behind them
        drainInbound();

        // no clock read on laps without timers: a ping-pong of callbacks never needs one
        long end = timers.isEmpty() ? Long.MIN_VALUE : time() + clockSlackNanos;
        TimerHandle t;
        while ((t = timers.peek()) != null) {
            if (t.isCancelled()) {
                timers.poll();
                uncount(t);
            } else if (t.when <= end) {
                timers.poll();
                uncount(t);
                ready.addLast(t);
            } else {
                break;
            }
        }
        trimReady();
        return beforeIo;
    }

    /**
     * An {@link ArrayDeque} keeps the array it grew to: a loop that once started 100 000 tasks
     * in one lap would hold half a megabyte (≈ 10 bytes per task, with the region G1 gives an
     * array that big) for good, while asyncio's deque frees its blocks as it drains. A lap that
     * starts with a 64th of an earlier peak of at least {@value #READY_TRIM_PEAK} gets a queue of
     * its own size: one O(size) copy after a burst; laps of less never pay more than a compare.
     */
    private void trimReady() {
        int size = ready.size();
        if (size > readyPeak) {
            readyPeak = size;
        } else if (readyPeak >= READY_TRIM_PEAK && size <= readyPeak >>> 6) {
            ArrayDeque<Handle> fresh = new ArrayDeque<>(Math.max(16, size));
            fresh.addAll(ready);
            ready = fresh;
            readyPeak = size;
            readyTrims++;
        }
    }

    /** Starts a lap's timing (one lap in 64 is sampled, every lap under JFR); its JFR event, or null. */
    private LoopLapEvent beginLap(boolean jfr) {
        lapSampleStart = (++lapCount & LAP_SAMPLE_MASK) == 0 || jfr ? System.nanoTime() : 0;
        if (!jfr) {
            return null;
        }
        LoopLapEvent lap = new LoopLapEvent();
        lap.begin();
        return lap;
    }

    private void endLapSample() {
        if (lapSampleStart != 0) {
            lapHistogram.record(System.nanoTime() - lapSampleStart);
            lapSampleStart = 0;
            publishStats();
        }
    }

    /**
     * Whether the next lap would do nothing but run {@code step}, the only ready callback, while
     * the coroutine whose step is the current lap's callback suspends: then that lap is counted
     * here, its handle taken, and the caller resumes at once instead of handing control to the
     * loop's thread and back (a lone task's {@code sleep(0)} on the thread engines). The same
     * callbacks run in the same laps; only JFR lap events and debug timing would see a difference,
     * so it never applies with either. Loop owner only, inside {@code step}'s own callback.
     */
    final boolean takeLoneStep(Runnable step) {
        Handle current = lapHandle;
        Handle next;
        if (current == null
                || roleMode
                || current.callback != step
                || owner != Thread.currentThread()
                || stopping
                || ready.size() != 1
                || (next = ready.peekFirst()).callback != step
                || next.isCancelled()
                || ioCount != 0
                || !inbound.isEmpty()
                || debug
                || LoopEvents.enabled()
                || (selector != null && !selector.keys().isEmpty())
                || (!timers.isEmpty() && nextTimerWhen() <= time() + clockSlackNanos)) {
            return false;
        }
        ready.pollFirst();
        lapHandle = next;
        endLapSample(); // the lap that ran the suspending step ends here
        if ((++lapCount & LAP_SAMPLE_MASK) == 0) {
            lapSampleStart = System.nanoTime();
        }
        callbackCount++;
        return true;
    }

    final boolean isQuiet(int ownReady, long nanos) {
        return owner == Thread.currentThread()
                && !stopping
                && ready.size() <= ownReady
                && ioCount == 0
                && inbound.isEmpty()
                && (selector == null || selector.keys().isEmpty())
                && (timers.isEmpty() || nextTimerWhen() > time() + nanos);
    }

    private void publishStats() {
        publishedLaps = lapCount;
        publishedCallbacks = callbackCount;
        publishedReady = ready.size();
        publishedTimers = timers.size();
        publishedTasks = liveTasks.size();
        publishedIo = selector == null ? 0 : selector.keys().size();
    }

    /**
     * A snapshot of the loop's queues, tasks and lap times. Any thread; see {@link LoopStats} for
     * how fresh the figures are.
     *
     * @return a new snapshot; never null
     */
    public LoopStats stats() {
        Thread o = owner;
        if (o == null || o == Thread.currentThread()) {
            publishStats(); // the state is ours to read: fresh figures
        }
        return new LoopStats(
                publishedReady,
                publishedTimers,
                publishedTasks,
                publishedIo,
                publishedLaps,
                publishedCallbacks,
                lapHistogram.percentiles());
    }

    /**
     * Called when the lap is about to wait {@code timeoutNanos} (negative: until woken) because
     * nothing is ready; returns the wait to use. The virtual-time loop moves its clock here.
     */
    long beforeBlocking(long timeoutNanos) {
        return timeoutNanos;
    }

    /** Loop time of the earliest live timer, or {@code Long.MAX_VALUE}. Loop thread only. */
    final long nextTimerWhen() {
        purgeCancelledTimers();
        TimerHandle t = timers.peek();
        return t == null ? Long.MAX_VALUE : t.when;
    }

    /** Ends {@link #runForever} after this lap, from inside the lap. */
    final void stopFromLap() {
        stopping = true;
    }

    private void run(Handle h, boolean jfr) {
        if (jfr) {
            SlowCallbackEvent e = new SlowCallbackEvent();
            e.begin();
            runTimed(h);
            e.end();
            if (e.shouldCommit()) {
                e.callback = h.toString();
                e.commit();
            }
        } else if (debug) {
            runTimed(h);
        } else {
            runGuarded(h);
        }
    }

    private void runTimed(Handle h) {
        long start = System.nanoTime();
        runGuarded(h);
        long took = System.nanoTime() - start;
        if (debug && took >= slowCallbackNanos) {
            reportSlow(h, took);
        }
    }

    private void runGuarded(Handle h) {
        try {
            h.callback.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("message", "Exception in callback " + h.callback);
            ctx.put("exception", e);
            ctx.put("handle", h);
            callExceptionHandler(ctx);
        }
    }

    private void reportSlow(Handle h, long nanos) {
        String msg = String.format("Executing %s took %.3f seconds", h, nanos / 1e9);
        Throwable source = h.source();
        if (source != null) {
            LOG.log(System.Logger.Level.WARNING, msg, source);
        } else {
            LOG.log(System.Logger.Level.WARNING, msg);
        }
    }

    private void drainInbound() {
        Handle h;
        while ((h = inbound.poll()) != null) {
            ready.addLast(h);
        }
    }

    private void purgeCancelledTimers() {
        int cancelled = cancelledTimers;
        // Rebuild when cancelled timers dominate, as asyncio does, so the heap cannot grow without bound.
        if (cancelled > 100 && cancelled * 2 > timers.size()) {
            int removed = 0;
            for (var it = timers.iterator(); it.hasNext(); ) {
                TimerHandle t = it.next();
                if (t.isCancelled()) {
                    it.remove();
                    if (t.leaveQueue()) {
                        removed++;
                    }
                }
            }
            CANCELLED_TIMERS.getAndAdd(this, -removed);
        }
        TimerHandle t;
        while ((t = timers.peek()) != null && t.isCancelled()) {
            timers.poll();
            uncount(t);
        }
    }

    private void uncount(TimerHandle t) {
        if (t.leaveQueue()) {
            CANCELLED_TIMERS.getAndAdd(this, -1);
        }
    }

    void timerCancelled() {
        CANCELLED_TIMERS.getAndAdd(this, 1);
    }

    /** Waits up to {@code timeoutNanos} (negative: forever, zero: not at all) for I/O or a wake-up. */
    private void poll(long timeoutNanos) {
        boolean io = selector != null && !selector.keys().isEmpty();
        if (timeoutNanos == 0 && !io) {
            return; // a busy lap with no I/O: nothing to poll, and no volatile write either
        }
        if (timeoutNanos != 0) {
            selectorPolling = io;
            awake = 0;
            if (!inbound.isEmpty()) {
                timeoutNanos = 0; // a producer may have seen awake == 1 and skipped the wake-up
            }
        }
        if (timeoutNanos != 0 && Thread.interrupted()) {
            // an interrupt would end every park or select at once: the loop would spin
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the event loop's thread was interrupted; interrupts do not stop a loop, stop() does");
        }
        try {
            if (io) {
                // the action form: no selected-key set to fill, iterate and clear on every poll
                if (timeoutNanos == 0) {
                    selector.selectNow(collectSelected);
                } else if (timeoutNanos < 0) {
                    selector.select(collectSelected);
                } else {
                    selector.select(
                            collectSelected, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
                }
            } else if (timeoutNanos != 0) {
                parkIdle(timeoutNanos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("polling the selector failed", e);
        } finally {
            awake = 1;
        }
    }

    /**
     * Parks until woken or for {@code timeoutNanos} (negative: no limit); first spins, watching the
     * inbound queue, while the spin is on. A park that work from another thread ended soon (within
     * {@link #IDLE_SPIN_ON_NANOS}) turns the spin on; a park longer than {@link
     * #IDLE_SPIN_OFF_NANOS} turns it off; a spin that finds nothing makes the next 2, 4, ... 64
     * parks skip it (as the producer may share this vCPU on a busy machine, where a spin only
     * delays it), and one that finds work resets that. So a loop fed in quick turns by a thread on
     * another vCPU trades a few microseconds of CPU per turn for a wake-up across vCPUs, and a loop
     * that waits long between turns parks at once. Wake-ups are as before ({@code awake} is 0
     * throughout): a producer still unparks, and the next park then returns at once.
     */
    private void parkIdle(long timeoutNanos) {
        long budget = idleSpinNanos;
        if (idleSpinSkips > 0) {
            idleSpinSkips--;
            budget = 0;
        }
        if (budget > 0) {
            if (timeoutNanos > 0) {
                budget = Math.min(budget, timeoutNanos);
            }
            long start = System.nanoTime();
            while (inbound.isEmpty() && System.nanoTime() - start < budget) {
                Thread.onSpinWait();
            }
            if (!inbound.isEmpty()) {
                idleSpinCatches++;
                idleSpinMisses = 0;
                return;
            }
            idleSpinMisses = Math.min(idleSpinMisses + 1, 6);
            idleSpinSkips = 1 << idleSpinMisses;
            if (timeoutNanos > 0) {
                timeoutNanos -= System.nanoTime() - start;
                if (timeoutNanos <= 0) {
                    return; // the deadline came while spinning
                }
            }
        }
        long parkedAt = System.nanoTime();
        if (timeoutNanos < 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, timeoutNanos);
        }
        long parked = System.nanoTime() - parkedAt;
        if (parked > IDLE_SPIN_OFF_NANOS) {
            idleSpinNanos = 0; // waiting long between turns: a spin would be CPU for nothing
        } else if (parked <= IDLE_SPIN_ON_NANOS && !inbound.isEmpty()) {
            idleSpinNanos = IDLE_SPIN_NANOS; // another thread's work came soon: a spin may catch the next
        }
    }

    /** The idle spin's current budget, in nanoseconds; for tests. Loop thread, or a stopped loop. */
    long idleSpinNanos() {
        return idleSpinNanos;
    }

    /** How many idle spins found work; for tests. Loop thread, or a stopped loop. */
    long idleSpinCatches() {
        return idleSpinCatches;
    }

    /** For tests: how many times {@link #trimReady} replaced the ready queue. */
    long readyTrims() {
        return readyTrims;
    }

    /** Records a ready key of this poll; its callback runs in this lap ({@link #runIo}). */
    private void collectSelected(SelectionKey key) {
        Object att = key.attachment();
        if (att instanceof IoCallback && key.isValid()) {
            int i = ioCount;
            if (i == ioKeys.length) {
                ioCallbacks = java.util.Arrays.copyOf(ioCallbacks, 2 * i);
                ioKeys = java.util.Arrays.copyOf(ioKeys, 2 * i);
                ioOps = java.util.Arrays.copyOf(ioOps, 2 * i);
            }
            ioCallbacks[i] = (IoCallback) att;
            ioKeys[i] = key;
            ioOps[i] = key.readyOps();
            ioCount = i + 1;
        }
    }

    /**
     * Runs the first {@code n} I/O events of the lap as callbacks: guarded as any callback, and
     * without a {@link Handle} each unless JFR or debug mode times them.
     */
    private void runIo(int n, boolean jfr) {
        for (int i = 0; i < n; i++) {
            IoCallback callback = ioCallbacks[i];
            SelectionKey key = ioKeys[i];
            ioCallbacks[i] = null;
            ioKeys[i] = null;
            if (!key.isValid()) {
                continue; // closed earlier in the lap
            }
            if (jfr || debug) {
                run(new Handle(this, new IoDispatch(callback, key, ioOps[i])), jfr);
                continue;
            }
            try {
                callback.ready(key, ioOps[i]);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                IoDispatch what = new IoDispatch(callback, key, ioOps[i]);
                Map<String, Object> ctx = new LinkedHashMap<>();
                ctx.put("message", "Exception in callback " + what);
                ctx.put("exception", e);
                ctx.put("handle", new Handle(this, what));
                callExceptionHandler(ctx);
            }
        }
        // events of a nested poll (none today) would follow: keep them
        System.arraycopy(ioCallbacks, n, ioCallbacks, 0, ioCount - n);
        System.arraycopy(ioKeys, n, ioKeys, 0, ioCount - n);
        System.arraycopy(ioOps, n, ioOps, 0, ioCount - n);
        ioCount -= n;
    }

    private void wakeUp() {
        if (selectorPolling) {
            Selector s = selector;
            if (s != null) {
                s.wakeup();
            }
        } else {
            Thread t = owner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private record IoDispatch(IoCallback callback, SelectionKey key, int readyOps) implements Runnable {
        @Override
        public void run() {
            if (key.isValid()) {
                callback.ready(key, readyOps);
            }
        }
    }

    /**
     * The loop's selector, opened on first use. Channels registered with an {@link IoCallback}
     * attachment get their readiness delivered as loop callbacks. Loop thread only.
     */
    Selector selector() {
        checkOwner("selector");
        checkOpen();
        if (selector == null) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a selector", e);
            }
        }
        return selector;
    }

    // ---------------------------------------------------------------- errors

    /**
     * Installs the handler for errors nobody else can receive; {@code null} restores the default.
     *
     * @param handler the handler to call with each error on the loop's thread, or null for the
     *     default one
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        checkOwner("setExceptionHandler");
        this.exceptionHandler = handler;
    }

    /**
     * The installed handler, or {@code null} when the default one is in use.
     *
     * @return the handler set with {@link #setExceptionHandler}, or null
     */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports an error to the installed exception handler, or logs it through {@link
     * System.Logger} at {@code ERROR} when none is installed. {@code context} must hold a {@code
     * "message"}; see {@link ExceptionHandler} for the other keys.
     *
     * @param context the error's description, with at least a {@code "message"}; must not be null
     */
    public void callExceptionHandler(Map<String, Object> context) {
        Objects.requireNonNull(context, "context");
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(this, context);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("message", "Unhandled error in exception handler");
            ctx.put("exception", e);
            ctx.put("context", context);
            defaultExceptionHandler(ctx);
        }
    }

    /**
     * Logs {@code context} at {@code ERROR} with its exception, as the default handler does.
     *
     * @param context the error's description; its {@code "message"} and {@code "exception"} are
     *     logged, then every other entry
     */
    public void defaultExceptionHandler(Map<String, Object> context) {
        Object message = context.getOrDefault("message", "Unhandled exception in event loop");
        StringBuilder sb = new StringBuilder(String.valueOf(message));
        for (Map.Entry<String, Object> e : context.entrySet()) {
            if (!e.getKey().equals("message") && !e.getKey().equals("exception")) {
                sb.append("\n").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        Object exc = context.get("exception");
        if (exc instanceof Throwable) {
            LOG.log(System.Logger.Level.ERROR, sb.toString(), (Throwable) exc);
        } else {
            LOG.log(System.Logger.Level.ERROR, sb.toString());
        }
    }

    // ---------------------------------------------------------------- executors

    /**
     * Runs {@code fn} on {@code executor} ({@code null}: the loop's default executor) and returns a
     * future of its outcome, completed on the loop. Cancelling the future cancels {@code fn} if it
     * has not started. Loop thread only.
     *
     * @param <T> the type of {@code fn}'s result
     * @param executor where to run {@code fn}, or null for the loop's default executor
     * @param fn the blocking work to run off the loop; must not be null
     * @return a future of {@code fn}'s result or failure, completed on the loop's thread
     */
    public <T> LoopFuture<T> runInExecutor(Executor executor, Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        checkOwner("runInExecutor");
        checkOpen();
        Executor ex = executor != null ? executor : defaultExecutor();
        LoopFuture<T> future = createFuture();
        FutureTask<T> task = new FutureTask<>(fn) {
            @Override
            protected void done() {
                if (isCancelled()) {
                    return;
                }
                try {
                    callSoonThreadsafe(() -> transfer(this, future));
                } catch (IllegalStateException closedLoop) {
                    // the loop closed while fn ran: nobody can observe the outcome
                }
            }
        };
        future.addDoneCallback(f -> {
            if (f.isCancelled()) {
                task.cancel(false);
            }
        });
        ex.execute(task);
        return future;
    }

    private static <T> void transfer(FutureTask<T> from, LoopFuture<T> to) {
        if (to.isDone()) {
            return;
        }
        try {
            to.setResult(from.get());
        } catch (java.util.concurrent.ExecutionException e) {
            to.setException(e.getCause());
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            to.cancel();
        }
    }

    private Executor defaultExecutor() {
        if (defaultExecutor != null && defaultExecutor.isShutdown()) {
            throw new IllegalStateException("the loop's default executor was shut down (shutdownDefaultExecutor()); "
                    + "pass an executor to runInExecutor");
        }
        if (defaultExecutor == null) {
            int max = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            ThreadPoolExecutor tpe =
                    new ThreadPoolExecutor(max, max, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "loopbridge-executor-" + EXECUTOR_THREADS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            tpe.allowCoreThreadTimeOut(true);
            defaultExecutor = tpe;
        }
        return defaultExecutor;
    }

    /**
     * Closes every async generator of this loop that has started and not finished, so their {@code
     * finally} blocks run; the future completes when all have ended. Failures go to the exception
     * handler. Loop thread only.
     *
     * @return a future that completes with null once every such generator has ended
     */
    public LoopFuture<Void> shutdownAsyncGens() {
        checkOwner("shutdownAsyncGens");
        LoopFuture<Void> done = createFuture();
        List<Object> gens = new ArrayList<>(asyncGenerators);
        asyncGenerators.clear();
        int[] left = {gens.size()};
        if (left[0] == 0) {
            done.setResult(null);
            return done;
        }
        // asyncio's shutdown_asyncgens is a coroutine: close from a loop callback, so a finally block
        // that awaits runs inside the loop even when this is called from outside it (Async.run)
        callSoon(() -> {
            for (Object g : gens) {
                AsyncGenerator<?, ?> gen = (AsyncGenerator<?, ?>) ((LiveTask) g).task();
                LoopFuture<Void> closed;
                try {
                    closed = gen.aclose();
                } catch (RuntimeException e) {
                    closed = createFuture();
                    closed.setException(e);
                }
                closed.addDoneCallback(f -> {
                    if (!f.isCancelled() && f.exception() != null) {
                        Map<String, Object> ctx = new LinkedHashMap<>();
                        ctx.put("message", "an error occurred during closing of an asynchronous generator");
                        ctx.put("exception", f.exception());
                        ctx.put("asyncgen", gen);
                        callExceptionHandler(ctx);
                    }
                    if (--left[0] == 0) {
                        done.setResult(null);
                    }
                });
            }
        });
        return done;
    }

    /**
     * Shuts the default executor down and returns a future that completes on the loop once its
     * threads have finished their work. Loop thread only.
     *
     * @return a future that completes with null once the executor's threads have finished (at once
     *     if the default executor was never used)
     */
    public LoopFuture<Void> shutdownDefaultExecutor() {
        checkOwner("shutdownDefaultExecutor");
        LoopFuture<Void> done = createFuture();
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            done.setResult(null);
            return done;
        }
        ex.shutdown();
        Thread waiter = new Thread(
                () -> {
                    try {
                        while (!ex.awaitTermination(1, TimeUnit.MINUTES)) {
                            LOG.log(System.Logger.Level.WARNING, "the default executor is still busy after shutdown");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    try {
                        callSoonThreadsafe(() -> {
                            if (!done.isDone()) {
                                done.setResult(null);
                            }
                        });
                    } catch (IllegalStateException closedLoop) {
                        // nobody waits any more
                    }
                },
                "loopbridge-executor-shutdown");
        waiter.setDaemon(true);
        waiter.start();
        return done;
    }

    // ---------------------------------------------------------------- debug

    /**
     * Debug mode: slow callbacks are logged, creation stacks kept, unread failures reported.
     *
     * @param enabled true to turn debug mode on, false to turn it off
     */
    public void setDebug(boolean enabled) {
        checkOwner("setDebug");
        this.debug = enabled;
    }

    /**
     * Whether debug mode is on (also set by {@code -Dloopbridge.debug=true}).
     *
     * @return true if debug mode is on
     */
    public boolean isDebug() {
        return debug;
    }

    /**
     * Callbacks slower than this are logged in debug mode; default 100 ms.
     *
     * @param threshold the shortest callback run time that is logged; must not be null or negative
     */
    public void setSlowCallbackDuration(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("threshold must not be negative: " + threshold);
        }
        this.slowCallbackNanos = saturatedNanos(threshold);
    }

    /**
     * The slow-callback threshold of debug mode.
     *
     * @return the threshold; 100 ms unless changed
     */
    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(slowCallbackNanos);
    }

    // ---------------------------------------------------------------- checks

    /**
     * Throws unless the calling thread may touch loop state: the loop is not running, or the caller
     * is its owner. {@code method} names the offending call in the message.
     *
     * @param method the name of the calling method, used in the exception's message
     */
    public void checkOwner(String method) {
        Thread o = owner;
        if (o != null && o != Thread.currentThread()) {
            throw new IllegalStateException(method + "() was called from thread '"
                    + Thread.currentThread().getName() + "' while the loop runs on '" + o.getName()
                    + "'; from other threads use callSoonThreadsafe()");
        }
    }

    /** The hot-path check: the owner of a running loop needs no closed check (a running loop is open). */
    private void checkOwnerAndOpen(String method) {
        if (owner != Thread.currentThread()) {
            checkOwner(method);
            checkOpen();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    /** The library's own access to loop internals; not API. */
    private static final class Access implements LoopAccess {
        @Override
        public void transferOwner(EventLoop loop, Thread thread) {
            loop.owner = thread;
        }

        @Override
        public boolean takeLoneStep(EventLoop loop, Runnable step) {
            return loop.takeLoneStep(step);
        }

        @Override
        public boolean isQuiet(EventLoop loop, int ownReady, long nanos) {
            return loop.isQuiet(ownReady, nanos);
        }

        @Override
        public Object currentStep(EventLoop loop) {
            return loop.currentStep;
        }

        @Override
        public void setCurrentStep(EventLoop loop, Object step) {
            loop.currentStep = step;
        }

        @Override
        public Set<LiveTask> liveTasks(EventLoop loop) {
            return loop.liveTasks;
        }

        @Override
        public Set<Object> asyncGenerators(EventLoop loop) {
            return loop.asyncGenerators;
        }

        @Override
        public Selector selector(EventLoop loop) {
            return loop.selector();
        }

        @Override
        public AtomicInteger pendingOnOwnThread(EventLoop loop) {
            return loop.pendingOnOwnThread;
        }

        @Override
        public int roleStartMode(EventLoop loop) {
            return loop.roleStartMode();
        }

        @Override
        public RoleFiber roleBeginBody(EventLoop loop) {
            RoleThread h = loop.holder;
            h.hasBody = true;
            loop.roleBodies++;
            return h;
        }

        @Override
        public void roleEndBody(EventLoop loop, RoleFiber fiber) {
            ((RoleThread) fiber).hasBody = false;
            loop.roleBodies--;
        }

        @Override
        public void roleHandFirstStep(EventLoop loop, Runnable step) {
            loop.handToPool(loop.holder, (Driver) step); // a driver's first step, from Driver.step
        }

        @Override
        public void roleResume(EventLoop loop, RoleFiber fiber) {
            RoleThread me = loop.holder;
            if (me == fiber) {
                me.grant = RoleThread.RESUME; // our own body's step: its suspend returns
            } else {
                me.spin = loop.stepIsNext(me); // decided while the loop is still ours
                loop.handTo(me, (RoleThread) fiber, RoleThread.RESUME);
            }
        }

        @Override
        public boolean roleSuspend(EventLoop loop, RoleFiber fiber, Runnable step) {
            if (loop.takeRoleLoneStep(step)) {
                return true; // the next lap would only resume this body: it goes on at once
            }
            return loop.roleWait((RoleThread) fiber);
        }

        @Override
        public void roleKill(RoleFiber fiber) {
            endRoleThread((RoleThread) fiber);
        }

        @Override
        public Thread roleThread(RoleFiber fiber) {
            return ((RoleThread) fiber).thread;
        }

        @Override
        public Handle callSoonReusing(EventLoop loop, Handle handle, Runnable step) {
            if (handle == null || loop.debug) {
                return loop.callSoon(step);
            }
            loop.checkOwnerAndOpen("callSoon");
            loop.ready.addLast(handle);
            return handle;
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + (closed ? "closed" : owner != null ? "running" : "idle") + " ready=" + ready.size()
                + " timers=" + timers.size() + " debug=" + debug + "]";
    }

    // ---------------------------------------------------------------- network I/O (io.loopbridge.io)

    /**
     * Starts a TCP server listening on {@code host:port} (asyncio's {@code create_server}): each
     * accepted connection gets a new protocol from {@code protocolFactory} and a transport on this
     * loop. {@code host} {@code null} or empty listens on every interface; a name is resolved and
     * every address it has is bound; port 0 lets the system pick ({@link io.loopbridge.io.Server#sockets()}).
     * The server is serving when this returns. Suspends (to resolve a name) and must be called
     * inside a coroutine of this loop.
     *
     * @param protocolFactory makes the protocol of each accepted connection; called on the loop's
     *     thread
     * @param host the host name or address to bind; null or empty for every interface
     * @param port the TCP port to bind, or 0 for one the system picks
     * @return the server, serving
     * @throws IOException if an address cannot be bound ({@link java.net.BindException}) or resolved
     */
    public io.loopbridge.io.Server createServer(
            java.util.function.Supplier<? extends io.loopbridge.io.Protocol> protocolFactory, String host, int port)
            throws IOException {
        return io.loopbridge.io.internal.Endpoints.createServer(this, protocolFactory, host, port);
    }

    /**
     * Connects to {@code host:port} over TCP (asyncio's {@code create_connection}), trying each
     * address of {@code host} in turn, and returns once the new protocol's {@code connectionMade}
     * has run. Suspends and must be called inside a coroutine of this loop; if the calling task is
     * cancelled, nothing is left open.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the connection's protocol; called once, on the loop's thread
     * @param host the host name or address to connect to
     * @param port the TCP port to connect to
     * @return the connected transport and its protocol
     * @throws java.net.ConnectException if nothing listens there
     * @throws java.net.UnknownHostException if {@code host} cannot be resolved
     * @throws IOException if the connection fails otherwise
     */
    public <P extends io.loopbridge.io.Protocol> io.loopbridge.io.TransportPair<P> createConnection(
            java.util.function.Supplier<P> protocolFactory, String host, int port) throws IOException {
        return io.loopbridge.io.internal.Endpoints.createConnection(this, protocolFactory, host, port);
    }

    /**
     * {@link #createServer(java.util.function.Supplier, String, int)} over TLS ({@code ssl} null:
     * plain TCP): each protocol gets {@code connectionMade} once its handshake is done, and reads
     * and writes clear text.
     *
     * @param protocolFactory makes the protocol of each accepted connection; called on the loop's
     *     thread
     * @param host the host name or address to bind; null or empty for every interface
     * @param port the TCP port to bind, or 0 for one the system picks
     * @param ssl the server's TLS configuration, or null for plain TCP
     * @return the server, serving
     * @throws IOException if an address cannot be bound or resolved
     */
    public io.loopbridge.io.Server createServer(
            java.util.function.Supplier<? extends io.loopbridge.io.Protocol> protocolFactory,
            String host,
            int port,
            javax.net.ssl.SSLContext ssl)
            throws IOException {
        return io.loopbridge.io.internal.Endpoints.createServer(this, protocolFactory, host, port, ssl);
    }

    /**
     * {@link #createConnection(java.util.function.Supplier, String, int)} over TLS ({@code ssl} null:
     * plain TCP): returns once the handshake is done and the server's certificate was checked
     * against {@code host}.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the connection's protocol; called once, on the loop's thread
     * @param host the host to connect to, also the name the server's certificate must match
     * @param port the TCP port to connect to
     * @param ssl the TLS configuration, or null for plain TCP
     * @return the connected transport and its protocol, handshake done
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails
     */
    public <P extends io.loopbridge.io.Protocol> io.loopbridge.io.TransportPair<P> createConnection(
            java.util.function.Supplier<P> protocolFactory, String host, int port, javax.net.ssl.SSLContext ssl)
            throws IOException {
        return io.loopbridge.io.internal.Endpoints.createConnection(this, protocolFactory, host, port, ssl);
    }

    /**
     * Opens a UDP endpoint (asyncio's {@code create_datagram_endpoint}) bound to {@code
     * localAddress} and/or connected to {@code remoteAddress} (either may be null, not both; an
     * unresolved address is resolved first), and returns once the new protocol's {@code
     * connectionMade} has run. Suspends and must be called inside a coroutine of this loop.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the endpoint's protocol; called once, on the loop's thread
     * @param localAddress the address to bind, or null for an ephemeral one (then {@code
     *     remoteAddress} must be given)
     * @param remoteAddress the only peer to exchange datagrams with, or null to send anywhere with
     *     {@code sendto}
     * @return the endpoint's transport and its protocol
     * @throws IOException if the address cannot be bound or resolved
     */
    public <P extends io.loopbridge.io.DatagramProtocol> io.loopbridge.io.DatagramPair<P> createDatagramEndpoint(
            java.util.function.Supplier<P> protocolFactory,
            java.net.InetSocketAddress localAddress,
            java.net.InetSocketAddress remoteAddress)
            throws IOException {
        return io.loopbridge.io.internal.Endpoints.createDatagramEndpoint(
                this, protocolFactory, localAddress, remoteAddress);
    }
}
