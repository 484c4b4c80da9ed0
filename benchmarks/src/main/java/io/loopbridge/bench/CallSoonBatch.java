package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;

/**
 * The batched {@code call_soon} workload, shared by the JMH benchmark and the ratio driver: one
 * callback running inside the loop schedules {@code size - 1} empty callbacks and then
 * {@code loop.stop}, so one {@link #run()} runs exactly {@code size} scheduled callbacks.
 * {@code benchmarks/python/call_soon.py} does the same with asyncio.
 */
final class CallSoonBatch implements AutoCloseable {
    private final EventLoop loop = new EventLoop();
    private final int size;
    private final Runnable empty = () -> {};
    private final Runnable stop = loop::stop;
    private final Runnable schedule;

    CallSoonBatch(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + size);
        }
        this.size = size;
        this.schedule = () -> {
            for (int i = 1; i < this.size; i++) {
                loop.callSoon(empty);
            }
            loop.callSoon(stop);
        };
    }

    /** Callbacks scheduled by one {@link #run()}. */
    int size() {
        return size;
    }

    /** Runs one batch: starts the loop, which schedules and runs the callbacks, then stops. */
    void run() {
        loop.callSoon(schedule);
        loop.runForever();
    }

    @Override
    public void close() {
        loop.close();
    }
}
