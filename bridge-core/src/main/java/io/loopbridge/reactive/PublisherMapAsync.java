package io.loopbridge.reactive;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.DroppedOnClose;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.internal.SubscriberFactory;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineFunction;
import io.loopbridge.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Runs a coroutine per upstream item, at most {@code concurrency} at a time, and emits the results
 * in upstream order. See {@code Reactive.mapAsync}.
 *
 * <p>What the stream drops when it is cancelled or fails — the results of finished coroutines not
 * emitted yet (and of running ones that still finish), the items whose coroutine never started, and
 * items arriving after the end — goes to the bridge's discard hook for the downstream subscriber
 * (a Reactor subscriber's {@code doOnDiscard}), each once. An item whose coroutine started belongs
 * to that coroutine: cancelled, it cleans up in its own {@code finally}.
 */
final class PublisherMapAsync<T, R> implements Publisher<R> {
    private final Publisher<T> upstream;
    private final EventLoop loop;
    private final int concurrency;
    private final CoroutineFunction<? super T, ? extends R> fn;

    PublisherMapAsync(
            Publisher<T> upstream, EventLoop loop, int concurrency, CoroutineFunction<? super T, ? extends R> fn) {
        this.upstream = Objects.requireNonNull(upstream, "publisher");
        this.loop = Objects.requireNonNull(loop, "loop");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.concurrency = concurrency;
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    public void subscribe(Subscriber<? super R> subscriber) {
        Objects.requireNonNull(subscriber, "§1.9 violated: subscribe(null)");
        Mapping<T, R> m = new Mapping<>(this, subscriber);
        if (!Signals.onLoop(loop, m::start)) {
            Signals.rejectClosedLoop(subscriber);
        }
    }

    @Override
    public String toString() {
        return "Reactive.mapAsync(" + upstream + ", concurrency=" + concurrency + ")";
    }

    /**
     * One upstream item on its way: its task, whose coroutine takes the item when it starts, and its
     * done callback. Loop only.
     */
    private static final class Job<T, R> implements Coroutine<R>, Consumer<LoopFuture<?>> {
        private final Mapping<T, R> owner;
        /** Until the coroutine starts (then it is the coroutine's): what to discard if it never does. */
        private T item;

        private Task<? extends R> task;
        private boolean started;
        /** The done callback ran. */
        private boolean reported;
        /** Left in flight when the stream ended: its outcome is discarded, not emitted. */
        private boolean abandoned;

        Job(Mapping<T, R> owner, T item) {
            this.owner = owner;
            this.item = item;
        }

        @Override
        public R call() throws Exception {
            started = true;
            T it = item;
            item = null;
            return owner.parent.fn.apply(it);
        }

        @Override
        public void accept(LoopFuture<?> done) {
            reported = true;
            owner.onTaskDone(this);
        }
    }

    /**
     * One subscription. Invariants: all state but {@code requested}/{@code badRequest} is touched on
     * the loop only; {@code inFlight} holds the tasks in upstream order, at most {@code concurrency};
     * a result leaves only from the head, when downstream demand allows, and frees one upstream slot.
     * Once the stream ends, each job still in flight is discarded exactly once: at the end if its
     * done callback already ran, else by that callback.
     */
    private static final class Mapping<T, R> implements Subscription, Subscriber<T> {
        private static final VarHandle REQUESTED;
        private static final VarHandle HOPS;
        private static final VarHandle ENDED_OFF_LOOP;

        static {
            try {
                REQUESTED = MethodHandles.lookup().findVarHandle(Mapping.class, "requested", long.class);
                HOPS = MethodHandles.lookup().findVarHandle(Mapping.class, "hops", int.class);
                ENDED_OFF_LOOP = MethodHandles.lookup().findVarHandle(Mapping.class, "endedOffLoop", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final PublisherMapAsync<T, R> parent;
        private final EventLoop loop;
        /** Where errors nobody can receive go, chosen for the subscriber without keeping it (§3.13). */
        private final SubscriberFactory.DroppedErrors dropped;
        /** Where the items and results the stream drops go, chosen like {@link #dropped}. */
        private final Consumer<Object> discards;

        private volatile long requested;
        private volatile long badRequest;
        private volatile boolean cancelled;
        /**
         * Upstream signals handed to the loop and not run yet. An upstream may signal from another
         * thread and then from the loop's (§1.3 allows it: {@code Reactive.publisher} and {@code
         * Flux.create} deliver in the requester's call): a signal on the loop's thread runs inline
         * only when none is still on its way, so the signals keep their order.
         */
        private volatile int hops;
        /** The first signal that found the loop closed took the stream over; see {@link #endOnClosedLoop}. */
        private volatile boolean endedOffLoop;

        // loop only
        private Subscriber<? super R> downstream;
        private Subscription upstream;
        private final ArrayDeque<Job<T, R>> inFlight = new ArrayDeque<>();
        private long emitted;
        private boolean upstreamDone;
        private boolean terminated;
        private boolean draining;
        private boolean missed;
        /** The error signalled downstream, if any: not to be reported again. */
        private Throwable failure;

        Mapping(PublisherMapAsync<T, R> parent, Subscriber<? super R> downstream) {
            this.parent = parent;
            this.loop = parent.loop;
            this.downstream = downstream;
            this.dropped = SubscriberFactory.droppedErrorsOf(downstream);
            Consumer<Object> d = SubscriberFactory.discardedItemsOf(downstream);
            this.discards = d != null ? d : item -> {};
        }

        void start() {
            if (!Signals.onSubscribe(loop, downstream, this)) {
                cancelled = true;
            }
            if (cancelled) {
                downstream = null;
                return;
            }
            parent.upstream.subscribe(this);
        }

        // ---- upstream side: signals from any thread hop onto the loop

        @Override
        public void onSubscribe(Subscription s) {
            Objects.requireNonNull(s, "§2.13 violated: onSubscribe(null)");
            fromUpstream(Hop.SUBSCRIBE, s, () -> {
                if (upstream != null || cancelled || terminated) {
                    s.cancel(); // §2.5
                    return;
                }
                upstream = s;
                s.request(parent.concurrency);
            });
        }

        @Override
        public void onNext(T item) {
            Objects.requireNonNull(item, "§2.13 violated: onNext(null)");
            fromUpstream(Hop.NEXT, item, () -> {
                if (terminated || cancelled) {
                    discards.accept(item); // the source ignored the cancel, or broke §1.7
                    return;
                }
                if (inFlight.size() == parent.concurrency) {
                    discards.accept(item);
                    fail(new IllegalStateException("the upstream emitted more items than requested (§1.1): "
                            + parent.concurrency + " already in flight"));
                    return;
                }
                Job<T, R> job = new Job<>(this, item);
                job.task = loop.createTask(job, "mapAsync");
                inFlight.addLast(job);
                job.task.addDoneCallback(job);
            });
        }

        /**
         * A failed coroutine or a null result fails the stream at once, even while an earlier item
         * is still running (it may never finish): the rest is cancelled, as the contract says.
         */
        private void onTaskDone(Job<T, R> job) {
            if (job.abandoned) {
                settle(job);
                return;
            }
            Task<? extends R> t = job.task;
            if (!terminated && !cancelled) {
                if (t.isCancelled()) {
                    // e.g. Async.run cancelling the loop's leftover tasks: waiting for the head would
                    // leave the stream live on a loop about to close (it may have no demand yet)
                    fail(cancelledFromOutside(t));
                    return;
                }
                Throwable e = t.exception();
                if (e != null) {
                    fail(e);
                    return;
                }
                if (t.result() == null) {
                    fail(new NullPointerException(
                            "§2.13: the mapAsync coroutine returned null; publishers may not emit null"));
                    return;
                }
            }
            // a job that finished after the stream ended or was cancelled, but before cancelAll took
            // it (a cancel from another thread is on its way): cancelAll settles it, and reports a
            // failure once there
            drain();
        }

        @Override
        public void onError(Throwable t) {
            Objects.requireNonNull(t, "§2.13 violated: onError(null)");
            fromUpstream(Hop.ERROR, t, () -> {
                boolean ended = upstreamDone;
                upstreamDone = true;
                upstream = null;
                if (terminated || cancelled) {
                    if (!ended && t instanceof CancellationException) {
                        return; // the echo of our cancel (the stream ended or was cancelled first): not an error
                    }
                    // e.g. racing our cancel after a coroutine failed, or after the subscriber cancelled
                    Signals.dropped(loop, dropped, "the upstream of mapAsync failed after its stream ended", t, this);
                    return;
                }
                fail(t);
            });
        }

        @Override
        public void onComplete() {
            fromUpstream(Hop.COMPLETE, null, () -> {
                upstreamDone = true;
                drain();
            });
        }

        /**
         * Runs an upstream signal on the loop, after the ones still on their way; see {@link #hops}.
         * On a closed loop, where nobody is left to run it, the signal ends the stream here
         * ({@link #closedUnder}).
         */
        private void fromUpstream(byte kind, Object payload, Runnable signal) {
            if (hops == 0 && loop.inLoop()) {
                signal.run();
                return;
            }
            HOPS.getAndAdd(this, 1);
            try {
                // also from the loop's thread: callSoon would overtake signals still in the cross-thread queue
                loop.callSoonThreadsafe(new Hop(kind, payload, signal));
            } catch (IllegalStateException closedLoop) {
                HOPS.getAndAdd(this, -1);
                closedUnder(kind, payload);
            }
        }

        /**
         * {@link Signals#onLoop}, but a hop the loop's close drops ends the stream ({@link Hop}), as
         * does a closed loop.
         */
        private void toLoop(Runnable r) {
            if (loop.inLoop()) {
                r.run();
                return;
            }
            try {
                loop.callSoonThreadsafe(new Hop(Hop.DOWNSTREAM, null, r));
            } catch (IllegalStateException closedLoop) {
                closedUnder(Hop.DOWNSTREAM, null);
            }
        }

        /** A signal of {@code kind} that the closed loop will never run: it ends the stream here. */
        private void closedUnder(byte kind, Object payload) {
            switch (kind) {
                case Hop.SUBSCRIBE:
                    ((Subscription) payload).cancel();
                    endOnClosedLoop(null, false);
                    break;
                case Hop.NEXT:
                    discards.accept(payload);
                    endOnClosedLoop(null, false);
                    break;
                case Hop.ERROR:
                    endOnClosedLoop((Throwable) payload, true);
                    break;
                case Hop.COMPLETE:
                    endOnClosedLoop(null, true);
                    break;
                default:
                    endOnClosedLoop(null, false);
            }
        }

        /**
         * A signal on its way to the loop. A stopped loop that closes before its next lap drops it;
         * the close then tells it ({@link DroppedOnClose}), and the stream ends as if the signal had
         * found the loop closed: otherwise a completion sent just then would never reach anyone.
         */
        private final class Hop implements Runnable, DroppedOnClose {
            static final byte SUBSCRIBE = 0;
            static final byte NEXT = 1;
            static final byte ERROR = 2;
            static final byte COMPLETE = 3;
            /** A request or cancel: not counted in {@link #hops}. */
            static final byte DOWNSTREAM = 4;

            private final byte kind;
            private final Object payload;
            private final Runnable signal;

            Hop(byte kind, Object payload, Runnable signal) {
                this.kind = kind;
                this.payload = payload;
                this.signal = signal;
            }

            @Override
            public void run() {
                if (kind != DOWNSTREAM) {
                    HOPS.getAndAdd(Mapping.this, -1);
                }
                signal.run();
            }

            @Override
            public void droppedOnClose() {
                if (kind != DOWNSTREAM) {
                    HOPS.getAndAdd(Mapping.this, -1);
                }
                closedUnder(kind, payload);
            }
        }

        /**
         * The loop closed under a live stream (e.g. {@code Async.run} returned while the stream had
         * nothing in flight, so nothing of it was cancelled): the first signal that finds the loop
         * closed ends the stream on its own thread, as Reactor's {@code publishOn} fails when its
         * worker rejects a task. The upstream is cancelled (unless it just ended: {@code
         * upstreamEnded}), what the stream held goes to the discard hook, and a live subscriber gets
         * {@code upstreamError}, or {@code onComplete} if the upstream completed with nothing in
         * flight, else an {@link IllegalStateException}. The loop-only state is safe to touch: the
         * loop runs nothing any more, and its last writes happen-before the closed check that sent
         * us here; the flag makes one thread the owner if several find the loop closed.
         */
        private void endOnClosedLoop(Throwable upstreamError, boolean upstreamEnded) {
            if (!ENDED_OFF_LOOP.compareAndSet(this, false, true)) {
                if (upstreamError != null && !(upstreamError instanceof CancellationException)) {
                    Signals.dropped(
                            loop,
                            dropped,
                            "the upstream of mapAsync failed after its loop closed",
                            upstreamError,
                            this);
                }
                return;
            }
            boolean live = !terminated && !cancelled;
            boolean endedBefore = upstreamDone;
            terminated = true;
            Subscription s = upstream;
            upstream = null;
            if (s != null && !upstreamEnded && !upstreamDone) {
                s.cancel();
            }
            boolean lost = !inFlight.isEmpty();
            for (Job<T, R> job : inFlight) {
                job.abandoned = true;
                Task<? extends R> t = job.task;
                if (t.isDone() && !t.isCancelled() && t.exception() == null && t.result() != null) {
                    discards.accept(t.result()); // finished; the closed loop refused its done callback
                } else {
                    // the close unwound the started ones (a finally that threw was reported then)
                    discardUnstarted(job);
                }
            }
            inFlight.clear();
            Subscriber<? super R> d = downstream;
            downstream = null;
            if (!live) {
                if (upstreamError != null && (endedBefore || !(upstreamError instanceof CancellationException))) {
                    Signals.dropped(
                            loop,
                            dropped,
                            "the upstream of mapAsync failed after its stream ended",
                            upstreamError,
                            this);
                }
            } else if (upstreamError != null) {
                Signals.onError(loop, d, upstreamError);
            } else if (upstreamEnded && !lost) {
                Signals.onComplete(loop, d);
            } else {
                Signals.onError(
                        loop,
                        d,
                        new IllegalStateException("Event loop is closed: mapAsync can neither run"
                                + " coroutines nor emit results any more; cancel its subscription before the loop closes"
                                + " (Async.run closes it when its main coroutine returns)"));
            }
        }

        // ---- downstream side

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = n == 0 ? Long.MIN_VALUE : n;
            } else {
                long r;
                long next;
                do {
                    r = requested;
                    if (r == Long.MAX_VALUE) {
                        break;
                    }
                    next = r + n < 0 ? Long.MAX_VALUE : r + n; // §3.17
                } while (!REQUESTED.compareAndSet(this, r, next));
            }
            toLoop(this::drain);
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toLoop(() -> {
                downstream = null; // §3.13
                cancelAll();
            }); // on a closed loop the stream ends here, which still cancels the upstream
        }

        private void cancelAll() {
            Subscription s = upstream;
            upstream = null;
            if (s != null) {
                s.cancel();
            }
            // a copy: a discard hook that cancels the subscription re-enters here, and finds none left
            List<Job<T, R>> jobs = new ArrayList<>(inFlight);
            inFlight.clear();
            for (Job<T, R> job : jobs) {
                job.abandoned = true;
                if (job.reported) {
                    settle(job); // finished, waiting for its turn or for demand
                } else {
                    job.task.cancel(); // its done callback settles it
                }
            }
        }

        /** A job left in flight when the stream ended, now done: what it holds goes to the discard hook. */
        private void settle(Job<T, R> job) {
            Task<? extends R> t = job.task;
            if (t.isCancelled()) {
                discardUnstarted(job);
            } else if (t.exception() == null) {
                R value = t.result();
                if (value != null) {
                    discards.accept(value);
                }
            } else if (t.exception() != failure) {
                // cancelled by the end of the stream, it failed instead (a finally threw): nobody else can see it
                Signals.dropped(
                        loop, dropped, "a mapAsync coroutine failed after its stream ended", t.exception(), this);
            }
        }

        private static CancellationException cancelledFromOutside(Task<?> task) {
            return new CancellationException("a mapAsync coroutine was cancelled by someone other than its stream"
                    + " (Async.run cancels the loop's leftover tasks when its main coroutine returns): " + task);
        }

        /** The item of a job whose coroutine never started is nobody's: to the discard hook. */
        private void discardUnstarted(Job<T, R> job) {
            if (!job.started) {
                T item = job.item;
                job.item = null;
                discards.accept(item);
            }
        }

        private void fail(Throwable error) {
            if (terminated) {
                Signals.dropped(loop, dropped, "mapAsync failed after its stream ended", error, this);
                return;
            }
            terminated = true;
            failure = error;
            cancelAll();
            Subscriber<? super R> d = downstream;
            downstream = null;
            Signals.onError(loop, d, error);
        }

        /** Emits finished heads while there is demand; re-entered by a request from inside onNext. */
        private void drain() {
            if (draining) {
                missed = true;
                return;
            }
            draining = true;
            try {
                do {
                    missed = false;
                    drainOnce();
                } while (missed);
            } finally {
                draining = false;
            }
        }

        private void drainOnce() {
            while (!terminated && !cancelled) {
                long bad = badRequest;
                if (bad != 0) {
                    fail(Signals.badRequest(bad));
                    return;
                }
                Job<T, R> job = inFlight.peekFirst();
                if (job == null) {
                    if (upstreamDone) {
                        terminated = true;
                        Subscriber<? super R> d = downstream;
                        downstream = null;
                        Signals.onComplete(loop, d);
                    }
                    return;
                }
                Task<? extends R> head = job.task;
                if (!head.isDone() || (requested != Long.MAX_VALUE && emitted == requested) || cancelled) {
                    return; // cancelled re-checked after reading demand, which may follow a cancel (§3.6)
                }
                inFlight.pollFirst();
                if (head.isCancelled()) {
                    discardUnstarted(job); // its done callback has not run yet
                    fail(cancelledFromOutside(head));
                    return;
                }
                Throwable e = head.exception();
                if (e != null) {
                    fail(e);
                    return;
                }
                R value = head.result();
                if (value == null) {
                    fail(new NullPointerException(
                            "§2.13: the mapAsync coroutine returned null; publishers may not emit null"));
                    return;
                }
                emitted++;
                Subscriber<? super R> d = downstream;
                try {
                    d.onNext(value);
                } catch (Throwable t) {
                    cancelled = true;
                    downstream = null;
                    cancelAll();
                    Signals.report(
                            loop, "§2.13: the subscriber threw from onNext; the subscription is cancelled", t, d);
                    return;
                }
                Subscription s = upstream;
                if (s != null && !upstreamDone) {
                    s.request(1);
                }
            }
        }
    }
}
