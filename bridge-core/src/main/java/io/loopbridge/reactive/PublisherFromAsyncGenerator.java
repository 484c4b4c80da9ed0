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
import io.loopbridge.reactive.internal.SpscArrayQueue;
import io.loopbridge.task.Task;
import io.loopbridge.task.internal.Driver;
import io.loopbridge.task.internal.Fibers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

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
     *   <li>Signals to the subscriber are serialized (§1.3), in order, and none follows a terminal
     *       signal or a cancel. They come from the loop until a request arrives from another thread;
     *       from the body's next {@code yield} on, the subscription is in <em>hand-off</em> mode for
     *       good: items and the terminal signal go through {@code handoff} and are delivered by whoever
     *       holds {@code wip}, the loop or a requester inside its {@code request} call (see {@link
     *       #drain}).
     *   <li>{@code yield} returns at once while {@code emitted < requested}; at zero demand it parks
     *       the body on {@code waiter}, which {@code request} (any thread) completes. In hand-off mode
     *       it first spins a few microseconds on {@code requested} (see {@link #spinForDemand}),
     *       publishing no waiter meanwhile: a request that meets no waiter wakes nobody, and the park
     *       re-checks the demand after publishing one.
     *   <li>A cancel wakes a body parked at a yield with {@link GeneratorExit} (its {@code finally}
     *       blocks run) and cancels a body parked in any other await. A cancel from inside {@code
     *       onNext} (Reactor's {@code take}) is a {@link GeneratorExit} once onNext returns, not a
     *       task cancel, so the {@code finally} blocks may still await.
     * </ol>
     */
    static final class Emission<T> implements Subscription, AsyncYielder<T, Void> {
        private static final VarHandle REQUESTED;
        private static final VarHandle WAITER;
        private static final VarHandle WOKEN;
        private static final VarHandle WIP;
        private static final LoopAccess LOOP_ACCESS = LoopAccess.get();
        /** The terminal signal {@code onComplete} waiting in {@link #terminal}. */
        private static final Object COMPLETE = new Object();
        /** Items the body may have handed off and not yet delivered; the demand bounds them too. */
        private static final int HANDOFF_CAPACITY = 256;
        /**
         * How long a body at zero demand waits for a request from another thread before it parks,
         * and how long a requester waits in {@code request} for the items it asked for (0: never);
         * {@code -Dloopbridge.demandSpinMicros}, default 50; 0 on one CPU, where the other side cannot
         * run meanwhile.
         */
        static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() < 2
                ? 0
                : Math.max(0, Long.getLong("loopbridge.demandSpinMicros", 50)) * 1_000;
        /** After a spin that saw no demand, park at once for up to this many stalls. */
        private static final int MAX_SPIN_BACKOFF = 64;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                REQUESTED = l.findVarHandle(Emission.class, "requested", long.class);
                WAITER = l.findVarHandle(Emission.class, "waiter", LoopFuture.class);
                WOKEN = l.findVarHandle(Emission.class, "woken", LoopFuture.class);
                WIP = l.findVarHandle(Emission.class, "wip", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final EventLoop loop;
        private final AsyncGenerator.Body<T, Void> body;
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
        /**
         * A request came from a thread other than the loop's: the body switches to hand-off mode at
         * its next yield. Written once.
         */
        private volatile boolean foreignRequester;
        /** Hand-off mode: created by the body, which then sends every signal through it. */
        private volatile SpscArrayQueue<T> handoff;
        /** Whoever raises it from 0 delivers what {@link #handoff} holds; see {@link #drain}. */
        private volatile int wip;
        /** The subscriber the deliverer signals; null once cancelled or terminated (§3.13). */
        private volatile Subscriber<? super T> receiver;
        /** {@link #COMPLETE} or the failure, delivered after the items before it. */
        private volatile Object terminal;

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

        /** The spin budget of this subscription; see {@link #SPIN_NANOS}. */
        long spinNanos = SPIN_NANOS;
        /** Stalls left to park at once after a fruitless spin, and how many the next one skips. */
        private int spinSkip;

        private int spinBackoff;

        private Task<Void> task;
        /**
         * The body's driver while it is parked at a yield: {@link #resume} steps it at once instead of
         * completing the waiter and stepping it from a done callback on the next lap.
         */
        private Driver parkedDriver;

        Emission(EventLoop loop, AsyncGenerator.Body<T, Void> body, Subscriber<? super T> downstream) {
            this.loop = loop;
            this.body = body;
            this.downstream = downstream;
        }

        void start() {
            if (!Signals.onSubscribe(loop, downstream, this)) {
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
            } catch (GeneratorExit closed) {
                return null;
            } catch (CancellationException e) {
                if (!cancelled) {
                    fail(e);
                }
                return null;
            } catch (Throwable t) {
                fail(t);
                return null;
            }
            if (!terminated && !cancelled) {
                checkBadRequest();
                if (!terminated) {
                    terminated = true;
                    Subscriber<? super T> d = downstream;
                    downstream = null;
                    if (handoff != null) {
                        terminal = COMPLETE;
                        drain(false);
                    } else {
                        Signals.onComplete(loop, d);
                    }
                }
            }
            return null;
        }

        private void fail(Throwable t) {
            if (terminated || cancelled) {
                report("the publisher's generator failed after its subscriber left", t);
                return;
            }
            terminated = true;
            Subscriber<? super T> d = downstream;
            downstream = null;
            if (handoff != null) {
                terminal = t;
                drain(false);
            } else {
                Signals.onError(loop, d, t);
            }
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
            SpscArrayQueue<T> q = handoff;
            if (q != null || foreignRequester) {
                handOff(q == null ? startHandoff() : q, value);
                return null;
            }
            emitting = true;
            try {
                downstream.onNext(value);
            } catch (Throwable t) {
                cancelled = true;
                downstream = null;
                report("§2.13: the subscriber threw from onNext; the subscription is cancelled", t);
                throw exit();
            } finally {
                emitting = false;
            }
            if (cancelled) {
                throw exit();
            }
            return null;
        }

        private SpscArrayQueue<T> startHandoff() {
            SpscArrayQueue<T> q = new SpscArrayQueue<>(HANDOFF_CAPACITY);
            receiver = downstream;
            handoff = q;
            return q;
        }

        /** The body's side of hand-off mode: queues an item it has demand for and delivers it if nobody else does. */
        private void handOff(SpscArrayQueue<T> q, T value) {
            while (!q.offer(value)) {
                // Full: a requester delivering in its own call is behind. Let the loop run a lap and
                // retry; a cancel meanwhile closes the body here, as at a stall (parkedAtYield).
                parkedAtYield = true;
                try {
                    Async.sleep(Duration.ZERO);
                } finally {
                    parkedAtYield = false;
                }
                if (cancelled) {
                    throw exit();
                }
            }
            emitting = true; // a cancel from inside an onNext delivered here closes the body at this yield
            try {
                drain(false);
            } finally {
                emitting = false;
            }
            if (cancelled) {
                throw exit();
            }
        }

        /**
         * Delivers what {@link #handoff} holds, then the terminal signal once it is empty, from the
         * caller's thread if it is the first to raise {@link #wip} (the queue-drain of the Reactive
         * Streams examples: signals stay serialized, §1.3, whichever thread delivers). A requester
         * ({@code request} on another thread, {@code requester} true) also waits up to {@link
         * #spinNanos} for the items it asked for and delivers them in its own call, as {@code
         * Flux.generate} emits in {@code request}: an asynchronous subscriber ({@code publishOn})
         * then finds its next batch in its queue instead of being woken for it.
         */
        private void drain(boolean requester) {
            if ((int) WIP.getAndAdd(this, 1) == 0) {
                deliver(requester);
            }
        }

        /** Whether someone is delivering hand-off signals now (tests: wait until the body has let go). */
        boolean isDelivering() {
            return wip != 0;
        }

        /** The deliverer's loop of {@link #drain}, entered by whoever raised {@link #wip} from 0. */
        private void deliver(boolean requester) {
            SpscArrayQueue<T> q = handoff;
            long lingerUntil = requester ? System.nanoTime() + spinNanos : 0;
            Throwable lingerFailure = null;
            int missed = 1;
            while (true) {
                while (true) {
                    Subscriber<? super T> d = receiver;
                    if (d == null) {
                        q.clear();
                        break;
                    }
                    T v = q.poll();
                    if (v == null) {
                        if (requester && terminal == null) {
                            try {
                                if (awaitHandoff(q, lingerUntil)) {
                                    continue;
                                }
                            } catch (Throwable t) {
                                // a tool that forbids waiting here (BlockHound): deliver what is queued,
                                // let go of the delivery, then throw
                                requester = false;
                                lingerFailure = t;
                                continue;
                            }
                        }
                        Object t = terminal;
                        if (t != null && q.isEmpty()) {
                            receiver = null;
                            deliverTerminal(d, t);
                        }
                        break;
                    }
                    try {
                        d.onNext(v);
                    } catch (Throwable t) {
                        receiver = null;
                        onNextThrew(t);
                    }
                }
                missed = (int) WIP.getAndAdd(this, -missed) - missed;
                if (missed == 0) {
                    break;
                }
            }
            if (lingerFailure instanceof Error) {
                throw (Error) lingerFailure;
            } else if (lingerFailure != null) {
                throw (RuntimeException) lingerFailure; // nothing checked can come from a wait
            }
        }

        /**
         * A requester waits for the body to hand off the items it asked for: true when one is there,
         * false when the body has used up the demand (all it owes is queued), stopped, or is slower
         * than the wait allows: a fifth of {@link #spinNanos} for each item (10 µs by default), {@link
         * #spinNanos} in all.
         */
        private boolean awaitHandoff(SpscArrayQueue<T> q, long until) {
            long gapEnd = System.nanoTime() + spinNanos / 5;
            if (gapEnd - until < 0) {
                until = gapEnd;
            }
            for (int i = 1; ; i++) {
                if (!q.isEmpty()) {
                    return true;
                }
                if (requested == 0 || cancelled || terminal != null || waiter != null) {
                    return !q.isEmpty();
                }
                if (i < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                if ((i & 15) == 0 && System.nanoTime() - until > 0) {
                    return !q.isEmpty();
                }
            }
        }

        private void deliverTerminal(Subscriber<? super T> d, Object t) {
            try {
                if (t == COMPLETE) {
                    d.onComplete();
                } else {
                    d.onError((Throwable) t);
                }
            } catch (Throwable e) {
                String message;
                if (t == COMPLETE) {
                    message = "§2.13: the subscriber threw from onComplete";
                } else {
                    message = "§2.13: the subscriber threw from onError";
                    e.addSuppressed((Throwable) t);
                }
                Signals.onLoop(loop, () -> Signals.report(loop, message, e, d));
            }
        }

        /** §2.13 in hand-off mode: the subscriber threw from an onNext delivered by {@link #drain}. */
        private void onNextThrew(Throwable t) {
            cancel();
            Signals.onLoop(
                    loop, () -> report("§2.13: the subscriber threw from onNext; the subscription is cancelled", t));
        }

        /** Closes the body from its yield; see {@link #exiting}. */
        private GeneratorExit exit() {
            exiting = true;
            return new GeneratorExit();
        }

        /** Parks the body until demand, a bad request or a cancel arrives. */
        private void awaitDemand() {
            checkBadRequest();
            if (cancelled || terminated) {
                throw exit();
            }
            if (handoff != null && spinForDemand()) {
                checkBadRequest();
                if (cancelled || terminated) {
                    throw exit();
                }
                return;
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
            checkBadRequest();
            if (cancelled || terminated) {
                throw exit();
            }
        }

        /**
         * Waits up to {@link #spinNanos} for demand (or a cancel or bad request) without leaving the
         * loop, when nothing else wants the loop in that time; true if it came. Only in hand-off mode:
         * a requester on another thread ({@code publishOn}) asks again within microseconds while it
         * works through what it has, and parking would cost a wake-up of the loop (and of the body's
         * thread) per batch, tens of microseconds on an idle CPU. A spin that sees nothing makes the
         * next ones park at once, for up to {@value #MAX_SPIN_BACKOFF} stalls, so a slow subscriber
         * costs little CPU.
         */
        private boolean spinForDemand() {
            long budget = spinNanos;
            if (budget == 0) {
                return false;
            }
            if (spinSkip > 0) {
                spinSkip--;
                return false;
            }
            if (!LOOP_ACCESS.quietFor(loop, budget)) {
                return false;
            }
            long start = System.nanoTime();
            // After a short busy spin, yield the CPU: on a busy machine the requester may need it. Not
            // on a virtual thread, where a yield goes through the scheduler and wakes an idle carrier.
            int busy = Fibers.currentThreadIsVirtual() ? Integer.MAX_VALUE : 64;
            for (int i = 1; ; i++) {
                if (requested != 0 || cancelled || badRequest != 0) {
                    spinBackoff = 0;
                    return true;
                }
                if (i < busy) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                if ((i & 15) == 0 && (System.nanoTime() - start > budget || !LOOP_ACCESS.quietFor(loop, 0))) {
                    spinBackoff = Math.min(2 * spinBackoff + 1, MAX_SPIN_BACKOFF);
                    spinSkip = spinBackoff;
                    return false;
                }
            }
        }

        private void checkBadRequest() {
            long n = badRequest;
            if (n != 0 && !terminated && !cancelled) {
                cancelled = true;
                terminated = true;
                Subscriber<? super T> d = downstream;
                downstream = null;
                if (handoff != null) {
                    terminal = Signals.badRequest(n);
                    receiver = d; // §3.9: still signalled, although the subscription now counts as cancelled
                    drain(false);
                } else {
                    Signals.onError(loop, d, Signals.badRequest(n));
                }
            }
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = n == 0 ? Long.MIN_VALUE : n;
                wakeOrPoke();
                return;
            }
            boolean deliver = false;
            if (!loop.inLoop()) {
                if (!foreignRequester) {
                    foreignRequester = true; // before the demand: the body's next yield switches to hand-off
                }
                // Take the delivery before the body can see the demand, so the items come in this call.
                deliver = handoff != null && spinNanos != 0 && (int) WIP.getAndAdd(this, 1) == 0;
            }
            long r;
            long next;
            do {
                r = requested;
                if (r == Long.MAX_VALUE) {
                    break;
                }
                next = r + n;
                if (next < 0) {
                    next = Long.MAX_VALUE; // §3.17
                }
            } while (!REQUESTED.compareAndSet(this, r, next));
            wake();
            if (deliver) {
                deliver(true);
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            receiver = null; // §3.13
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

        private void report(String message, Throwable t) {
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("message", message);
            ctx.put("exception", t);
            ctx.put("task", task);
            loop.callExceptionHandler(ctx);
        }
    }
}
