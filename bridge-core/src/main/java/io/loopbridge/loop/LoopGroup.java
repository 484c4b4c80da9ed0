package io.loopbridge.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N event loops, each running forever on its own thread, handed out round-robin by {@link #next()}
 * (for servers that use every core). Work reaches a loop of the group through {@link
 * EventLoop#callSoonThreadsafe}.
 */
public final class LoopGroup implements AutoCloseable {
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final List<EventLoop> loops;
    private final List<Thread> threads;
    private final AtomicInteger nextIndex = new AtomicInteger();

    /** One loop per available processor. */
    public LoopGroup() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@code size} loops, started at once on daemon threads named {@code loopbridge-group-G-I}.
     *
     * @param size the number of loops; at least 1
     */
    public LoopGroup(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a loop group needs at least one loop, got size " + size);
        }
        int group = GROUPS.incrementAndGet();
        List<EventLoop> ls = new ArrayList<>(size);
        List<Thread> ts = new ArrayList<>(size);
        CountDownLatch started = new CountDownLatch(size);
        for (int i = 0; i < size; i++) {
            EventLoop loop = new EventLoop();
            loop.callSoon(started::countDown);
            Thread t = new Thread(
                    () -> {
                        try {
                            loop.runForever();
                        } finally {
                            loop.close();
                        }
                    },
                    "loopbridge-group-" + group + "-" + i);
            t.setDaemon(true);
            ls.add(loop);
            ts.add(t);
        }
        ts.forEach(Thread::start);
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        this.loops = List.copyOf(ls);
        this.threads = List.copyOf(ts);
    }

    /**
     * The next loop, round-robin. Any thread.
     *
     * @return a loop of the group, each in turn
     */
    public EventLoop next() {
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    /**
     * The loops of the group, in a fixed order.
     *
     * @return the group's loops, an unmodifiable list
     */
    public List<EventLoop> loops() {
        return loops;
    }

    /**
     * The number of loops.
     *
     * @return the number of loops, fixed at construction
     */
    public int size() {
        return loops.size();
    }

    /**
     * Stops every loop after its current lap, waits up to {@code timeout} for their threads to end,
     * and closes them. Any thread except one of the group's own.
     *
     * @param timeout how long to wait for all the threads together; must not be null
     * @return {@code true} if every loop has stopped and closed in time
     */
    public boolean shutdownGracefully(Duration timeout) {
        // On the virtual engine a loop's callbacks run on a virtual thread, not on the group's thread.
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i) == Thread.currentThread() || loops.get(i).inLoop()) {
                throw new IllegalStateException(
                        "shutdownGracefully() called from a loop of the group would wait for itself");
            }
        }
        for (EventLoop loop : loops) {
            try {
                loop.callSoonThreadsafe(loop::stop);
            } catch (IllegalStateException alreadyClosed) {
                // nothing to stop
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** {@link #shutdownGracefully} with a 10-second limit. */
    @Override
    public void close() {
        shutdownGracefully(Duration.ofSeconds(10));
    }
}
