package io.loopbridge.reactive;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.gen.AsyncYielder;
import io.loopbridge.gen.GeneratorExit;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.internal.jfr.DemandStallEvent;
import io.loopbridge.internal.jfr.LoopEvents;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.internal.BatchQueue;
import io.loopbridge.reactive.internal.FusedSource;
import io.loopbridge.reactive.internal.SubscriberFactory;
import io.loopbridge.task.Task;
import io.loopbridge.task.internal.Driver;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * A cold publisher: each subscription runs the async generator body as a task on the loop, and each
 * {@code yield} is an {@code onNext}. See {@code Reactive.publisher}.
 */
final class PublisherFromAsyncGenerator<T> implements Publisher<T> {
    private final EventLoop loop;
    private final AsyncGenerator.Body<T, Void> body;

    PublisherFromAsyncGenerator(EventLoop loop, AsyncGenerator.Body<T, Void> body) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.body = Objects.requireNonNull(body, "body");
    }

    @Override
    public void subscribe(Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "§1.9 violated: subscribe(null)");
        Emission<T> e = new Emission<>(loop, body, subscriber);
        if (!Signals.onLoop(loop, e::start)) {
            Signals.rejectClosedLoop(subscriber);
        }
    }

    @Override
    public String toString() {
        return "Reactive.publisher(" + body + ")";
    }

    /**
     * One subscription: the body's task, the demand it may use and the subscriber it signals.
     *
     * <p>Invariants:
     *
     * <ol>
     *   <li>Every signal to the subscriber comes from the loop, in order, and none after a terminal
     *       signal or a cancel.
     *   <li>{@code yield} returns at once while {@code emitted < requested}; at zero demand it parks
     *       the body on {@code waiter}, which {@code request} (any thread) completes.
     *   <li>A cancel wakes a body parked at a yield with {@link GeneratorExit} (its {@code finally}
     *       blocks run) and cancels a body parked in any other await. A cancel from inside {@code
     *       onNext} (Reactor's {@code take}) is a {@link GeneratorExit} once onNext returns, not a
     *       task cancel, so the {@code finally} blocks may still await.
     *   <li>Fused (a Reactor operator drains {@link #queue} on its own thread): a yield within demand
     *       queues the item; the items are published, with one {@code onNext(null)}, every {@value
     *       #PUBLISH_BATCH} (fewer first after a wait for demand), before the body waits for
     *       demand, on the lap after the body suspends elsewhere ({@link #flush}), and before a
     *       terminal signal. What was never published when the body ends goes to the discard hook. At
     *       zero demand the body first watches for a request while the loop has nothing else to do
     *       ({@link #spinForDemand}).
     * </ol>
     */
    static final class Emission<T> implements FusedSource<T>, AsyncYielder<T, Void> {
        private static final LoopAccess LOOPS = LoopAccess.get();
        /**
         * Items a fused subscription publishes at once: a drainer on another CPU that saw each item
         * as it came would pull the queue's lines across once per item (issue 6: 32 to 128 are
         * equally fast, 8 is a third slower, 1 is four times slower).
         */
        static final int PUBLISH_BATCH = 64;

        /**
         * The first batch after a wait for demand, doubled per batch up to {@link #PUBLISH_BATCH}: the
         * drainer that asked for more still holds a quarter of its last request, and the first items
         * must reach it before it runs dry and parks (its wake-up costs more than a whole refill).
         */
        static final int FIRST_BATCH = 8;

        /**
         * How long a fused generator at zero demand watches for the next request on the loop's
         * thread, while nothing else wants the loop, before it suspends ({@code
         * -Dloopbridge.demandSpinMicros}, 0 turns it off). A request seen this way is answered in the
         * time a cache line takes to cross, not a lap and a resume (issue 6: 0.3 µs against 1.3 µs on
         * a slow host, where the drainer then parked every refill). Spins that find nothing back off.
         */
        static final long DEMAND_SPIN_NANOS =
                TimeUnit.MICROSECONDS.toNanos(Math.max(0, Long.getLong("loopbridge.demandSpinMicros", 20)));

        private static final VarHandle REQUESTED;
        private static final VarHandle WAITER;
        private static final VarHandle WOKEN;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                REQUESTED = l.findVarHandle(Emission.class, "requested", long.class);
                WAITER = l.findVarHandle(Emission.class, "waiter", LoopFuture.class);
                WOKEN = l.findVarHandle(Emission.class, "woken", LoopFuture.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final EventLoop loop;
        private final AsyncGenerator.Body<T, Void> body;
        /** Where a failure after the subscriber left goes, chosen for it without keeping it (§3.13). */
        private final SubscriberFactory.DroppedErrors dropped;

        private volatile long requested;
        private volatile boolean cancelled;
        private volatile LoopFuture<Void> waiter;
        /**
         * The waiter a wake-up took from {@link #waiter}, for {@link #resume} to complete on the loop:
         * one reusable callback instead of a new one per demand stall. Each wake-up sets it and then
         * schedules the callback, which takes it: none is lost, and the body awaits one waiter at a time.
         */
        private volatile LoopFuture<Void> woken;

        private final Runnable resume = this::resume;
        /** Set by a non-positive request; reported from the loop (§3.9). */
        private volatile long badRequest;

        // loop only
        private Subscriber<? super T> downstream;
        private long emitted;
        private boolean terminated;
        private boolean parkedAtYield;
        /** Inside {@code downstream.onNext}: a cancel now comes from the body's own task. */
        private boolean emitting;
        /** The body was told to close (GeneratorExit): a cancel must not cut short the finally blocks it runs now. */
        private boolean exiting;

        private Task<Void> task;
        /** The queue of a fused subscription, else null; set in onSubscribe, before any item. */
        private BatchQueue<T> queue;
        /** Where a fused subscription's unread items go. */
        private Consumer<Object> discard;
        /** A {@link #flush} is on the ready queue. */
        private boolean flushPosted;
        /** The batch being filled is published at this size. */
        private int publishAt = FIRST_BATCH;
        /** Waits for demand to make without a spin, after spins that found none; see {@link #spinForDemand}. */
        private int spinSkips;
        /** Spins in a row that found no demand (capped). */
        private int spinMisses;

        private final Runnable flush = this::flush;
        /**
         * The body's driver while it is parked at a yield: {@link #resume} steps it at once instead of
         * completing the waiter and stepping it from a done callback on the next lap.
         */
        private Driver parkedDriver;

        Emission(EventLoop loop, AsyncGenerator.Body<T, Void> body, Subscriber<? super T> downstream) {
            this.loop = loop;
            this.body = body;
            this.downstream = downstream;
            this.dropped = SubscriberFactory.droppedErrorsOf(downstream);
        }

        void start() {
            if (!Signals.onSubscribe(loop, downstream, SubscriberFactory.fusableOf(downstream, this))) {
                cancelled = true;
            }
            if (cancelled) {
                downstream = null;
                return;
            }
            task = loop.createTask(this::run, "publisher");
        }

        private Void run() {
            try {
                body.run(this);
                if (!terminated && !cancelled) {
                    checkBadRequest();
                    if (!terminated && signalQueued()) {
                        terminated = true;
                        Subscriber<? super T> d = downstream;
                        downstream = null;
                        Signals.onComplete(loop, d);
                    }
                }
            } catch (GeneratorExit closed) {
                // closed by a cancel or a terminal signal: nothing more to send
            } catch (CancellationException e) {
                if (!cancelled) {
                    fail(e);
                }
            } catch (Throwable t) {
                fail(t);
            } finally {
                if (queue != null && queue.unpublished() > 0) {
                    queue.discardUnpublished(discard);
                }
            }
            return null;
        }

        private void fail(Throwable t) {
            if (terminated || cancelled) {
                Signals.dropped(loop, dropped, "the publisher's generator failed after its subscriber left", t, this);
                return;
            }
            if (!signalQueued()) {
                Signals.dropped(loop, dropped, "the publisher's generator failed after its subscriber left", t, this);
                return;
            }
            terminated = true;
            Subscriber<? super T> d = downstream;
            downstream = null;
            Signals.onError(loop, d, t);
        }

        @Override
        public Void yield(T value) {
            if (cancelled || terminated) {
                throw exit();
            }
            if (value == null) {
                fail(new NullPointerException("§2.13: the generator yielded null; publishers may not emit null"));
                throw exit();
            }
            long r = requested;
            if (r != Long.MAX_VALUE) {
                if (emitted == r) {
                    r = (long) REQUESTED.getAndAdd(this, -emitted) - emitted;
                    emitted = 0;
                    while (r == 0) {
                        awaitDemand();
                        r = requested;
                    }
                }
                emitted++;
            }
            if (cancelled) {
                // §3.6: demand read above may come from a request made after a cancel; re-check after reading it
                throw exit();
            }
            emitting = true;
            Subscriber<? super T> d = downstream;
            try {
                if (queue == null) {
                    d.onNext(value);
                } else {
                    offerQueued(value);
                }
            } catch (Throwable t) {
                subscriberThrew(t, d);
                throw exit();
            } finally {
                emitting = false;
            }
            if (cancelled) {
                throw exit();
            }
            return null;
        }

        private void offerQueued(T value) {
            BatchQueue<T> q = queue;
            q.push(value);
            if (q.unpublished() >= publishAt || loop.isClosed()) {
                // a closed loop runs no flush: a body yielding while close() unwinds it sends at once
                if (publishAt < PUBLISH_BATCH) {
                    publishAt <<= 1;
                }
                signalQueued(); // yield sees a cancel or a throw through `cancelled`
            } else if (!flushPosted) {
                flushPosted = true;
                loop.callSoon(flush);
            }
        }

        /** The lap after the body suspended somewhere else than at a full batch: what it queued goes out. */
        private void flush() {
            flushPosted = false;
            if (!terminated && !cancelled) {
                signalQueued();
            }
        }

        /**
         * Publishes a fused subscription's queued items with an {@code onNext(null)}; false if the
         * subscriber threw (the subscription is then cancelled) or cancelled from inside.
         */
        private boolean signalQueued() {
            BatchQueue<T> q = queue;
            if (q == null || !q.publish()) {
                return !cancelled;
            }
            Subscriber<? super T> d = downstream;
            boolean outer = emitting;
            emitting = true;
            try {
                d.onNext(null);
            } catch (Throwable t) {
                subscriberThrew(t, d);
                return false;
            } finally {
                emitting = outer;
            }
            return !cancelled;
        }

        private void subscriberThrew(Throwable t, Subscriber<? super T> d) {
            cancelled = true;
            downstream = null;
            Signals.report(loop, "§2.13: the subscriber threw from onNext; the subscription is cancelled", t, d);
        }

        /** Closes the body from its yield; see {@link #exiting}. */
        private GeneratorExit exit() {
            exiting = true;
            return new GeneratorExit();
        }

        /** Sends what is queued, then waits until demand, a bad request or a cancel arrives: watching for it first when fused, else parked. */
        private void awaitDemand() {
            signalQueued(); // the drainer asks for more once it has read these
            publishAt = FIRST_BATCH;
            if (!(queue != null && DEMAND_SPIN_NANOS > 0 && spinForDemand())) {
                parkForDemand();
            }
            checkBadRequest();
            if (cancelled || terminated) {
                throw exit();
            }
        }

        /** Parks the body on {@link #waiter} until a request, a bad request or a cancel wakes it. */
        private void parkForDemand() {
            checkBadRequest();
            if (cancelled || terminated) {
                throw exit();
            }
            LoopFuture<Void> w = loop.createFuture();
            waiter = w;
            if ((requested != 0 || cancelled || badRequest != 0) && WAITER.compareAndSet(this, w, null)) {
                return;
            }
            parkedAtYield = true;
            parkedDriver = Driver.currentOrNull();
            DemandStallEvent stall = null;
            if (LoopEvents.enabled()) {
                stall = new DemandStallEvent();
                stall.begin();
            }
            try {
                Async.await(w);
            } finally {
                parkedAtYield = false;
                parkedDriver = null;
                if (stall != null) {
                    stall.end();
                    if (stall.shouldCommit()) {
                        stall.publisher = String.valueOf(body);
                        stall.commit();
                    }
                }
            }
        }

        /** Waits on the loop's thread for a request while nothing else wants the loop; whether one came. */
        private boolean spinForDemand() {
            if (spinSkips > 0) {
                spinSkips--;
                return false;
            }
            int own = flushPosted ? 1 : 0;
            if (!LOOPS.isQuiet(loop, own, DEMAND_SPIN_NANOS)) {
                return false;
            }
            long start = System.nanoTime();
            int n = 0;
            while (true) {
                if (requested != 0 || cancelled || badRequest != 0) {
                    spinMisses = 0;
                    return true;
                }
                Thread.onSpinWait();
                if ((++n & 63) == 0) {
                    if (System.nanoTime() - start > DEMAND_SPIN_NANOS) {
                        // the requester is slow or shares this CPU: spin again only after 2, 4 .. 64 waits
                        spinMisses = Math.min(spinMisses + 1, 6);
                        spinSkips = 1 << spinMisses;
                        return false;
                    }
                    if (!LOOPS.isQuiet(loop, own, 0)) {
                        return false;
                    }
                }
            }
        }

        private void checkBadRequest() {
            long n = badRequest;
            if (n != 0 && !terminated && !cancelled && signalQueued()) {
                cancelled = true;
                terminated = true;
                Subscriber<? super T> d = downstream;
                downstream = null;
                Signals.onError(loop, d, Signals.badRequest(n));
            }
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = n == 0 ? Long.MIN_VALUE : n;
                wakeOrPoke();
                return;
            }
            long r;
            long next;
            do {
                r = requested;
                if (r == Long.MAX_VALUE) {
                    return;
                }
                next = r + n;
                if (next < 0) {
                    next = Long.MAX_VALUE; // §3.17
                }
            } while (!REQUESTED.compareAndSet(this, r, next));
            wake();
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            wake();
            Signals.onLoop(loop, () -> {
                downstream = null; // §3.13
                if (task != null && !task.isDone() && !parkedAtYield && !emitting && !exiting) {
                    task.cancel();
                }
            });
        }

        private void wake() {
            LoopFuture<Void> w = waiter;
            if (w != null && WAITER.compareAndSet(this, w, null)) {
                woken = w;
                postResume();
            }
        }

        /**
         * Always a callback, even from the loop's thread: {@link #resume} steps the body, which must not
         * run inside the requester's call (a request from the loop would re-enter its onNext).
         */
        private void postResume() {
            try {
                if (loop.inLoop()) {
                    loop.callSoon(resume);
                } else {
                    loop.callSoonThreadsafe(resume);
                }
            } catch (IllegalStateException closedLoop) {
                // the loop closes: it unwinds the parked body itself
            }
        }

        @SuppressWarnings("unchecked")
        private void resume() {
            LoopFuture<Void> w = (LoopFuture<Void>) WOKEN.getAndSet(this, null);
            if (w == null || w.isDone()) {
                return;
            }
            Driver d = parkedDriver;
            if (d != null && d.waitingOn() == w && w.removeDoneCallback(d) == 1) {
                // step the body now rather than through a done callback on the next lap
                w.setResult(null);
                d.resumeNow();
            } else {
                w.setResult(null);
            }
        }

        /** A bad request must be reported even when the body is not parked at a yield. */
        private void wakeOrPoke() {
            LoopFuture<Void> w = waiter;
            if (w != null && WAITER.compareAndSet(this, w, null)) {
                woken = w;
                postResume();
            } else {
                Signals.onLoop(loop, () -> {
                    checkBadRequest();
                    if (cancelled && task != null && !task.isDone() && !parkedAtYield && !emitting && !exiting) {
                        task.cancel();
                    }
                });
            }
        }

        @Override
        public boolean fuse(BatchQueue<T> queue, Consumer<Object> discard) {
            if (this.queue != null || task != null || !loop.inLoop()) {
                return false; // only from onSubscribe, which runs on the loop before the body starts
            }
            this.discard = Objects.requireNonNull(discard, "discard");
            this.queue = Objects.requireNonNull(queue, "queue");
            return true;
        }

        /** What a report of a failure after the subscriber left names: the body and its task. */
        @Override
        public String toString() {
            return "Reactive.publisher(" + body + ") subscription, " + task;
        }
    }
}
