package io.loopbridge.reactor;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.Handle;
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
 * work and cancels what is pending; the loop itself stays open (it belongs to its owner).
 */
final class LoopScheduler implements Scheduler {
    private final EventLoop loop;
    private final LoopWorker all;

    LoopScheduler(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.all = new LoopWorker(loop);
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

    @Override
    public Worker createWorker() {
        return new LoopWorker(loop);
    }

    @Override
    public void dispose() {
        all.dispose();
    }

    @Override
    public boolean isDisposed() {
        return all.isDisposed();
    }

    @Override
    public String toString() {
        return "ReactorBridge.scheduler(" + loop + ")";
    }

    /** Tracks its pending work so that dispose cancels it; every method may be called from any thread. */
    static final class LoopWorker implements Worker {
        private final EventLoop loop;
        private final Set<Scheduled> pending = ConcurrentHashMap.newKeySet();
        private volatile boolean disposed;

        LoopWorker(EventLoop loop) {
            this.loop = loop;
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

        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            Objects.requireNonNull(task, "task");
            if (period <= 0) {
                return schedule(task, initialDelay, unit);
            }
            Scheduled s = new Scheduled(this, task, unit.toNanos(period));
            s.arm(unit.toNanos(Math.max(0, initialDelay)));
            return s;
        }

        @Override
        public void dispose() {
            disposed = true;
            for (Scheduled s : pending) {
                s.dispose();
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    /** One piece of work; a periodic one re-arms itself on the loop at a fixed rate. */
    static final class Scheduled implements Disposable, Runnable {
        private final LoopWorker worker;
        private final Runnable task;
        private final long periodNanos;
        private volatile boolean disposed;
        private volatile Handle handle;
        private long nextRun;

        Scheduled(LoopWorker worker, Runnable task, long periodNanos) {
            this.worker = worker;
            this.task = task;
            this.periodNanos = periodNanos;
        }

        void arm(long delayNanos) {
            if (worker.disposed) {
                throw new RejectedExecutionException("the loop scheduler is disposed");
            }
            worker.pending.add(this);
            try {
                if (delayNanos == 0) {
                    handle = worker.loop.callSoonThreadsafe(this);
                } else {
                    handle = worker.loop.callSoonThreadsafe(() -> {
                        if (!disposed) {
                            nextRun = worker.loop.time() + delayNanos;
                            handle = worker.loop.callAt(nextRun, this);
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
                if (periodNanos > 0 && !disposed) {
                    if (nextRun == 0) {
                        nextRun = worker.loop.time();
                    }
                    nextRun += periodNanos;
                    handle = worker.loop.callAt(nextRun, this);
                } else {
                    worker.pending.remove(this);
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
