package io.loopbridge.reactor;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.Handle;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A Reactor {@link Scheduler} whose work runs as callbacks of an event loop, so {@code
 * publishOn(ReactorBridge.scheduler(loop))} lands a pipeline on the loop. Disposing it rejects new
 * work and cancels what is pending, its workers' included; the loop itself stays open (it belongs
 * to its owner). {@link #now} follows the loop's clock.
 */
final class LoopScheduler implements Scheduler {
    private final EventLoop loop;
    /** Epoch nanoseconds at loop time 0: {@link #now} is the loop's clock, anchored to the wall clock. */
    private final long originNanos;
    /** Runs the work scheduled on the scheduler itself. */
    private final LoopWorker all;
    /** The workers not disposed yet, so that disposing the scheduler reaches them. */
    private final Set<LoopWorker> workers = ConcurrentHashMap.newKeySet();

    private volatile boolean disposed;

    LoopScheduler(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.originNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - loop.time();
        this.all = new LoopWorker(loop, null);
    }

    /** The loop's clock, so {@code elapsed()} and {@code timestamp()} move with a virtual-time loop. */
    @Override
    public long now(TimeUnit unit) {
        return unit.convert(originNanos + loop.time(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable schedule(Runnable task) {
        return all.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return all.schedule(task, delay, unit);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return all.schedulePeriodically(task, initialDelay, period, unit);
    }

    /** A worker of a disposed scheduler is born disposed: it rejects work, as Reactor's own schedulers do. */
    @Override
    public Worker createWorker() {
        LoopWorker w = new LoopWorker(loop, this);
        workers.add(w);
        if (disposed) { // re-checked after the add: dispose() may have missed it
            w.dispose();
        }
        return w;
    }

    @Override
    public void dispose() {
        disposed = true;
        VarHandle.fullFence(); // StoreLoad: the set iterates with acquire loads; pairs with the add-then-check
        all.dispose();
        for (LoopWorker w : workers) {
            w.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    /** Nothing to prepare; a disposed scheduler is refused, as Reactor's own schedulers refuse it. */
    @Override
    public void init() {
        if (disposed) {
            throw new IllegalStateException(
                    this + " is disposed and cannot be initialized again: make a new ReactorBridge.scheduler(loop)");
        }
    }

    @Override
    public String toString() {
        return "ReactorBridge.scheduler(" + loop + ")";
    }

    /** Tracks its pending work so that dispose cancels it; every method may be called from any thread. */
    static final class LoopWorker implements Worker {
        private final EventLoop loop;
        /** The scheduler that created it, or null for the scheduler's own worker. */
        private final LoopScheduler parent;

        private final Set<Scheduled> pending = ConcurrentHashMap.newKeySet();
        private volatile boolean disposed;

        LoopWorker(EventLoop loop, LoopScheduler parent) {
            this.loop = loop;
            this.parent = parent;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return schedule(task, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            Objects.requireNonNull(task, "task");
            Scheduled s = new Scheduled(this, task, -1);
            s.arm(unit.toNanos(Math.max(0, delay)));
            return s;
        }

        /** A period of zero or less runs the task again as soon as it returns, as Reactor's schedulers do. */
        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            Objects.requireNonNull(task, "task");
            Scheduled s = new Scheduled(this, task, Math.max(0, unit.toNanos(period)));
            s.arm(unit.toNanos(Math.max(0, initialDelay)));
            return s;
        }

        @Override
        public void dispose() {
            disposed = true;
            VarHandle.fullFence(); // StoreLoad: the set iterates with acquire loads; pairs with the add-then-check
            if (parent != null) {
                parent.workers.remove(this);
            }
            for (Scheduled s : pending) {
                s.dispose();
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    /**
     * One piece of work; a periodic one re-arms itself on the loop at a fixed rate. Delayed work
     * takes two handles: the hop onto the loop ({@code handle}), then the loop timer ({@code
     * timer}), kept apart so that the hop's handle, stored after the hop may already have run, never
     * hides the timer from {@link #dispose}.
     */
    static final class Scheduled implements Disposable, Runnable {
        private final LoopWorker worker;
        private final Runnable task;
        /** Negative for one-shot work; 0 for periodic work run back to back. */
        private final long periodNanos;

        private volatile boolean disposed;
        private volatile Handle handle;
        private volatile Handle timer;
        private long nextRun;

        Scheduled(LoopWorker worker, Runnable task, long periodNanos) {
            this.worker = worker;
            this.task = task;
            this.periodNanos = periodNanos;
        }

        void arm(long delayNanos) {
            worker.pending.add(this);
            if (worker.disposed) { // checked after the add, so that a concurrent dispose cannot miss it
                worker.pending.remove(this);
                throw new RejectedExecutionException("the loop scheduler is disposed");
            }
            try {
                if (delayNanos == 0) {
                    handle = worker.loop.callSoonThreadsafe(this);
                } else {
                    handle = worker.loop.callSoonThreadsafe(() -> {
                        if (!disposed) {
                            nextRun = worker.loop.time() + delayNanos;
                            armTimer();
                        }
                    });
                }
            } catch (IllegalStateException closedLoop) {
                worker.pending.remove(this);
                throw new RejectedExecutionException("the event loop is closed", closedLoop);
            }
        }

        @Override
        public void run() {
            if (disposed) {
                return;
            }
            try {
                task.run();
            } finally {
                if (periodNanos >= 0 && !disposed) {
                    if (nextRun == 0) {
                        nextRun = worker.loop.time();
                    }
                    nextRun += periodNanos;
                    armTimer();
                } else {
                    worker.pending.remove(this);
                }
            }
        }

        /** On the loop. Writes {@code timer} then reads {@code disposed}; dispose does the reverse. */
        private void armTimer() {
            Handle t = worker.loop.callAt(nextRun, this);
            timer = t;
            if (disposed) {
                t.cancel();
            }
        }

        @Override
        public void dispose() {
            disposed = true;
            Handle h = handle;
            if (h != null) {
                h.cancel();
            }
            Handle t = timer;
            if (t != null) {
                t.cancel();
            }
            worker.pending.remove(this);
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }
}
