package io.loopbridge.sync;

import io.loopbridge.task.internal.Driver;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;

/**
 * A first-in first-out queue between coroutines (asyncio's {@code Queue}): {@link #put} suspends
 * while the queue is full, {@link #get} while it is empty. {@link AsyncPriorityQueue} and {@link
 * AsyncLifoQueue} hand items out in another order.
 *
 * <pre>{@code
 * AsyncQueue<Job> jobs = new AsyncQueue<>(100);
 * // workers
 * while (true) {
 *     Job job = jobs.get();
 *     try {
 *         run(job);
 *     } finally {
 *         jobs.taskDone();
 *     }
 * }
 * // producer
 * for (Job job : batch) {
 *     jobs.put(job);
 * }
 * jobs.join(); // every job has been run
 * }</pre>
 *
 * <p>Each item that is put counts as an unfinished task until a consumer calls {@link #taskDone()}
 * for it; {@link #join()} waits until none is left. {@link #shutdown(boolean)} ends the queue
 * (Python 3.13): puts fail, gets fail once the queue is empty.
 *
 * <p>Items are never {@code null}, as in {@code java.util.Queue} implementations (Python allows
 * {@code None}).
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>An item stays in the queue until a getter takes it: a wake-up only tells the first getter
 *       to look again, so an item can never be lost with a getter that is cancelled after it was
 *       woken; such a getter passes the wake-up on to the next one while items are left. The same
 *       holds for putters and free slots.
 *   <li>Each item put wakes one getter, each item taken wakes one putter; {@link
 *       #shutdown(boolean)} wakes every getter and putter, which then find out for themselves.
 * </ol>
 *
 * @param <T> the type of the items
 */
public sealed class AsyncQueue<T> permits AsyncPriorityQueue, AsyncLifoQueue {
    private final Queue<T> items;
    private final int maxsize;
    private final BoundLoop binding = new BoundLoop(this);
    private final WaitQueue getters = new WaitQueue();
    private final WaitQueue putters = new WaitQueue();
    private final WaitQueue joiners = new WaitQueue();
    private final Runnable wakeNextGetter = () -> {
        if (!empty()) {
            getters.wakeFirst();
        }
    };
    private final Runnable wakeNextPutter = () -> {
        if (!full()) {
            putters.wakeFirst();
        }
    };
    private final String name = getClass().getSimpleName();
    private int unfinishedTasks;
    private boolean shutDown;

    /** An unbounded queue. */
    public AsyncQueue() {
        this(0);
    }

    /**
     * A queue of at most {@code maxsize} items; 0 for no limit.
     *
     * @param maxsize the most items the queue holds before {@link #put} suspends; 0 for no limit
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public AsyncQueue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    AsyncQueue(int maxsize, Queue<T> items) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must not be negative (0 means unbounded): " + maxsize);
        }
        this.maxsize = maxsize;
        this.items = items;
    }

    /** {@return the number of items in the queue now (taken items do not count, done or not)} */
    public final int qsize() {
        return items.size();
    }

    /** {@return the most items the queue holds; 0 for no limit} */
    public final int maxsize() {
        return maxsize;
    }

    /** {@return whether the queue holds no item} */
    public final boolean empty() {
        return items.isEmpty();
    }

    /** {@return whether the queue holds {@link #maxsize()} items; never for an unbounded queue} */
    public final boolean full() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /**
     * Puts {@code item} into the queue, suspending while the queue is full.
     *
     * @param item the item to put; not null
     * @throws NullPointerException if {@code item} is null
     * @throws QueueShutDownException if the queue is shut down, or is shut down while waiting
     * @throws ClassCastException if a priority queue of natural order gets an item that is not
     *     {@link Comparable}; the item is not put
     * @throws IllegalStateException outside a coroutine, or in a coroutine of another loop
     * @throws java.util.concurrent.CancellationException if the task is cancelled while waiting;
     *     the item is then not put
     */
    public final void put(T item) {
        Objects.requireNonNull(item, "item");
        Driver d = binding.enter(name + ".put()");
        boolean woken = false;
        while (full()) {
            checkNotShutDown(item);
            putters.await(d, wakeNextPutter);
            woken = true;
        }
        checkNotShutDown(item);
        try {
            offer(item);
        } catch (RuntimeException refused) {
            if (woken) {
                wakeNextPutter.run(); // the free slot this putter was woken for goes to the next one
            }
            throw refused;
        }
    }

    /**
     * Puts {@code item} into the queue without suspending. Loop thread only.
     *
     * @param item the item to put; not null
     * @throws NullPointerException if {@code item} is null
     * @throws ClassCastException if a priority queue of natural order gets an item that is not
     *     {@link Comparable}; the item is not put
     * @throws QueueFullException if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     */
    public final void putNowait(T item) {
        Objects.requireNonNull(item, "item");
        binding.check(name + ".putNowait");
        checkNotShutDown(item);
        if (full()) {
            throw new QueueFullException("Queue is full (maxsize " + maxsize + "): cannot put " + item);
        }
        offer(item);
    }

    private void checkNotShutDown(T item) {
        if (shutDown) {
            throw new QueueShutDownException("Queue is shut down: cannot put " + item);
        }
    }

    private void offer(T item) {
        items.add(item); // may refuse it (ClassCastException): then nothing has changed
        unfinishedTasks++;
        getters.wakeFirst();
    }

    /**
     * Takes the next item out of the queue, suspending while the queue is empty.
     *
     * @return the item taken: the oldest one, or the newest for an {@link AsyncLifoQueue}, or the
     *     least for an {@link AsyncPriorityQueue}; never null
     * @throws QueueShutDownException if the queue is shut down and empty, or is shut down while
     *     waiting
     * @throws IllegalStateException outside a coroutine, or in a coroutine of another loop
     * @throws java.util.concurrent.CancellationException if the task is cancelled while waiting; no
     *     item is then taken
     */
    public final T get() {
        Driver d = binding.enter(name + ".get()");
        while (items.isEmpty()) {
            if (shutDown) {
                throw new QueueShutDownException("Queue is shut down and empty");
            }
            getters.await(d, wakeNextGetter);
        }
        return take();
    }

    /**
     * Takes the next item out of the queue without suspending. Loop thread only.
     *
     * @return the item taken, in the same order as {@link #get()}; never null
     * @throws QueueEmptyException if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public final T getNowait() {
        binding.check(name + ".getNowait");
        if (items.isEmpty()) {
            if (shutDown) {
                throw new QueueShutDownException("Queue is shut down and empty");
            }
            throw new QueueEmptyException("Queue is empty");
        }
        return take();
    }

    private T take() {
        T item = items.remove();
        putters.wakeFirst();
        return item;
    }

    /**
     * Marks one item that was taken as processed: once every item put has been, {@link #join()}
     * returns. Loop thread only.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public final void taskDone() {
        binding.check(name + ".taskDone");
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times");
        }
        if (--unfinishedTasks == 0) {
            joiners.wakeAll();
        }
    }

    /**
     * Suspends until every item put into the queue has been taken and marked with {@link
     * #taskDone()}; returns at once if there is none.
     *
     * @throws IllegalStateException outside a coroutine, or in a coroutine of another loop
     * @throws java.util.concurrent.CancellationException if the task is cancelled while waiting
     */
    public final void join() {
        Driver d = binding.enter(name + ".join()");
        if (unfinishedTasks > 0) {
            joiners.await(d);
        }
    }

    /** {@link #shutdown(boolean) shutdown(false)}: gets go on until the queue is empty. */
    public final void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (Python 3.13): from now on {@link #put}/{@link #putNowait} throw {@link
     * QueueShutDownException}, and so do {@link #get}/{@link #getNowait} once the queue is empty;
     * every coroutine suspended in a put or get is woken to find that out. With {@code immediate},
     * the items left are dropped at once and count as done for {@link #join()}, which returns
     * unless items taken before are still unfinished. Shutting down again does no harm. Loop thread
     * only.
     *
     * @param immediate {@code true} to drop the items left at once; {@code false} to let gets take
     *     them first
     */
    public final void shutdown(boolean immediate) {
        binding.check(name + ".shutdown");
        shutDown = true;
        if (immediate) {
            int dropped = items.size();
            items.clear();
            unfinishedTasks = Math.max(0, unfinishedTasks - dropped);
            if (unfinishedTasks == 0) {
                joiners.wakeAll();
            }
        }
        getters.wakeAll();
        putters.wakeAll();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name)
                .append("[maxsize=")
                .append(maxsize)
                .append(", qsize=")
                .append(items.size());
        int g = getters.size();
        int p = putters.size();
        if (g > 0) {
            sb.append(", getters:").append(g);
        }
        if (p > 0) {
            sb.append(", putters:").append(p);
        }
        if (unfinishedTasks > 0) {
            sb.append(", tasks=").append(unfinishedTasks);
        }
        if (shutDown) {
            sb.append(", shut down");
        }
        return sb.append(']').toString();
    }
}
