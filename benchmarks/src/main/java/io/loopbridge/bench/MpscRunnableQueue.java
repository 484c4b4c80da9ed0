package io.loopbridge.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The callback floor: a minimal unbounded multi-producer single-consumer linked queue (Vyukov's
 * intrusive-free variant: producers swap the tail, the consumer follows {@code next}). {@link
 * #offer} is what a thread-safe {@code callSoon} must at least do, {@link #drain} what the loop must
 * at least do per callback: an empty {@code Runnable} through it is the cost under any event loop.
 */
final class MpscRunnableQueue {
    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(MpscRunnableQueue.class, "tail", Node.class);
            NEXT = l.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final class Node {
        Runnable task;
        volatile Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }

    private Node head = new Node(null); // consumer only

    @SuppressWarnings("unused") // through TAIL
    private volatile Node tail = head;

    /** Any thread. */
    void offer(Runnable task) {
        Node n = new Node(task);
        Node prev = (Node) TAIL.getAndSet(this, n);
        NEXT.setRelease(prev, n);
    }

    /** Consumer thread only: runs every task visible now; returns how many ran. */
    int drain() {
        int ran = 0;
        Node h = head;
        Node next;
        while ((next = (Node) NEXT.getAcquire(h)) != null) {
            Runnable r = next.task;
            next.task = null;
            h = next;
            r.run();
            ran++;
        }
        head = h;
        return ran;
    }

    /** The floor workload: {@code n} empty runnables offered and then drained on the calling thread. */
    static int emptyRunnables(MpscRunnableQueue q, Runnable empty, int n) {
        for (int i = 0; i < n; i++) {
            q.offer(empty);
        }
        return q.drain();
    }
}
