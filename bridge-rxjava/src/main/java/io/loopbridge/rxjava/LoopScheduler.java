package io.loopbridge.rxjava;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.Handle;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.Exceptions;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An RxJava {@link Scheduler} whose work runs as callbacks of an event loop: {@code
 * observeOn(RxBridge.scheduler(loop))} lands a pipeline on the loop, {@code interval(..., scheduler)}
 * ticks on the loop's timers. {@link #shutdown()} disposes every worker (their pending work is
 * cancelled) and leaves the loop open: it belongs to its owner. {@link #now} follows the loop's
 * clock, so on a virtual-time loop it moves with the loop.
 *
 * <p>Every method may be called from any thread. Work is scheduled with {@code
 * callSoonThreadsafe} (so a worker's immediate tasks run in the order they were scheduled) and
 * decorated by {@link RxJavaPlugins#onSchedule}. A task that throws is cancelled (a periodic one
 * stops) and its error is reported as {@link Undeliverable}. Work given to a shut-down scheduler (or
 * to its workers) is dropped and a {@code RejectedExecutionException} goes to {@link
 * RxJavaPlugins#onError}, as with RxJava's own schedulers; a worker its user disposed drops work silently.
 */
final class LoopScheduler extends Scheduler {
    private final EventLoop loop;
    /** Epoch nanoseconds at loop time 0. */
    private final long originNanos;

    private final Set<LoopWorker> workers = ConcurrentHashMap.newKeySet();
    /** Runs {@code scheduleDirect} and {@code schedulePeriodicallyDirect}. */
    private volatile LoopWorker direct;

    private volatile boolean shutdown;

    LoopScheduler(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.originNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - loop.time();
        this.direct = (LoopWorker) createWorker();
    }

    @Override
    public Worker createWorker() {
        LoopWorker w = new LoopWorker(this);
        workers.add(w);
        if (shutdown) {
            w.shutDown(); // RxJava's convention: a shut-down scheduler hands out disposed workers
        }
        return w;
    }

    @Override
    public Disposable scheduleDirect(Runnable run, long delay, TimeUnit unit) {
        return direct.schedule(run, delay, unit);
    }

    @Override
    public Disposable schedulePeriodicallyDirect(Runnable run, long initialDelay, long period, TimeUnit unit) {
        return direct.schedulePeriodically(run, initialDelay, period, unit);
    }

    @Override
    public long now(TimeUnit unit) {
        return unit.convert(originNanos + loop.time(), TimeUnit.NANOSECONDS);
    }

    /** Disposes every worker, cancelling their pending work; the loop stays open. */
    @Override
    public void shutdown() {
        shutdown = true;
        VarHandle.fullFence(); // StoreLoad: the set iterates with acquire loads; pairs with the add-then-check
        for (LoopWorker w : workers) {
            w.shutDown();
        }
    }

    /** Accepts work again after {@link #shutdown()}. */
    @Override
    public synchronized void start() {
        if (shutdown) {
            shutdown = false;
            direct = (LoopWorker) createWorker();
        }
    }

    @Override
    public String toString() {
        return "RxBridge.scheduler(" + loop + ")";
    }

    /** Tracks its pending work so that dispose cancels it. */
    static final class LoopWorker extends Worker {
        private final LoopScheduler scheduler;
        private final Set<Scheduled> pending = ConcurrentHashMap.newKeySet();
        private volatile boolean disposed;
        /** Disposed by the scheduler's shutdown, not by its user: work it refuses is reported. */
        private volatile boolean shutDown;

        LoopWorker(LoopScheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public Disposable schedule(Runnable run, long delay, TimeUnit unit) {
            return arm(run, delay, 0, false, unit);
        }

        @Override
        public Disposable schedulePeriodically(Runnable run, long initialDelay, long period, TimeUnit unit) {
            return arm(run, initialDelay, period, true, unit);
        }

        private Disposable arm(Runnable run, long delay, long period, boolean periodic, TimeUnit unit) {
            Objects.requireNonNull(run, "run is null");
            Objects.requireNonNull(unit, "unit is null");
            if (disposed) {
                if (shutDown) {
                    // as RxJava's executor-backed schedulers do once shut down: the work is dropped, not silently
                    RxJavaPlugins.onError(new RejectedExecutionException(
                            scheduler + " is shut down; call start() to let it take work again"));
                }
                return Disposable.disposed();
            }
            Scheduled s =
                    new Scheduled(this, RxJavaPlugins.onSchedule(run), periodic, Math.max(0, unit.toNanos(period)));
            pending.add(s);
            if (disposed) { // a dispose that ran while we added
                s.dispose();
                return s;
            }
            s.arm(Math.max(0, unit.toNanos(delay)));
            return s;
        }

        @Override
        public long now(TimeUnit unit) {
            return scheduler.now(unit);
        }

        /** Disposed by {@link LoopScheduler#shutdown()}: later work is rejected, not dropped in silence. */
        void shutDown() {
            shutDown = true;
            dispose();
        }

        @Override
        public void dispose() {
            if (disposed) {
                return;
            }
            disposed = true;
            VarHandle.fullFence(); // StoreLoad: the set iterates with acquire loads; pairs with the add-then-check
            scheduler.workers.remove(this);
            for (Scheduled s : pending) {
                s.dispose();
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    /** One piece of work; a periodic one re-arms itself at a fixed rate on the loop's timers. */
    static final class Scheduled implements Disposable, Runnable {
        private static final long UNSET = Long.MIN_VALUE;

        private final LoopWorker worker;
        private final EventLoop loop;
        private final Runnable task;
        private final boolean periodic;
        private final long periodNanos;
        private volatile boolean disposed;
        private volatile Handle handle;
        /** Loop time of the next periodic run; loop only. */
        private long nextRun = UNSET;

        Scheduled(LoopWorker worker, Runnable task, boolean periodic, long periodNanos) {
            this.worker = worker;
            this.loop = worker.scheduler.loop;
            this.task = task;
            this.periodic = periodic;
            this.periodNanos = periodNanos;
        }

        void arm(long delayNanos) {
            try {
                if (delayNanos == 0) {
                    handle = loop.callSoonThreadsafe(this);
                } else if (loop.inLoop()) {
                    armAt(delayNanos);
                } else {
                    handle = loop.callSoonThreadsafe(() -> {
                        if (!disposed) {
                            armAt(delayNanos);
                        }
                    });
                }
            } catch (IllegalStateException closedLoop) {
                dispose();
                RxJavaPlugins.onError(new RejectedExecutionException("the event loop is closed: " + loop, closedLoop));
            }
        }

        /** On the loop. */
        private void armAt(long delayNanos) {
            long now = loop.time();
            long when = now + delayNanos;
            nextRun = when < now ? Long.MAX_VALUE : when;
            Handle h = loop.callAt(nextRun, this);
            handle = h;
            if (disposed) {
                h.cancel(); // a dispose from another thread saw the previous handle
            }
        }

        @Override
        public void run() {
            if (disposed) {
                return;
            }
            if (periodic && nextRun == UNSET) {
                nextRun = loop.time(); // no initial delay: the rate counts from the first run
            }
            try {
                task.run();
            } catch (Throwable t) {
                Exceptions.throwIfFatal(t);
                dispose();
                Undeliverable.report(loop, "a task scheduled on " + worker.scheduler + " threw", t, task);
                return;
            }
            if (!periodic) {
                dispose();
            } else if (!disposed) {
                long next = nextRun + periodNanos;
                nextRun = next < nextRun ? Long.MAX_VALUE : next;
                Handle h = loop.callAt(nextRun, this);
                handle = h;
                if (disposed) {
                    h.cancel(); // a dispose from another thread saw the previous handle
                }
            }
        }

        @Override
        public void dispose() {
            disposed = true;
            Handle h = handle;
            if (h != null) {
                h.cancel();
            }
            worker.pending.remove(this);
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }
}
