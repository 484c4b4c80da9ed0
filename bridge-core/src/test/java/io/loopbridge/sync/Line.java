package io.loopbridge.sync;

import io.loopbridge.Async;
import io.loopbridge.task.Task;
import java.util.ArrayDeque;

/**
 * The tasks waiting in a primitive, in the order they started waiting, as a stress test tracks
 * them: so that it can cancel the first one just after handing it the lock, permit, signal or item
 * (in the same lap, before it runs), which is the race every primitive must survive.
 */
final class Line {
    private final ArrayDeque<Task<?>> waiting = new ArrayDeque<>();
    private final int maxCancels;
    private int cancelled;

    Line(int maxCancels) {
        this.maxCancels = maxCancels;
    }

    /** The calling task starts waiting. */
    void enter() {
        waiting.addLast(Async.currentTask());
    }

    /** The calling task is done waiting: it got what it waited for, or it was cancelled. */
    void leave() {
        waiting.remove(Async.currentTask());
    }

    /**
     * Cancels the first task in line, now and then: call it just after a release, signal or put,
     * which handed that task what it waited for.
     */
    void maybeCancelFirst(java.util.Random random) {
        if (cancelled < maxCancels && random.nextInt(3) == 0) {
            Task<?> first = waiting.pollFirst();
            if (first != null && first.cancelling() == 0 && first.cancel()) {
                cancelled++;
            }
        }
    }

    /** How many tasks this line cancelled. */
    int cancelled() {
        return cancelled;
    }
}
