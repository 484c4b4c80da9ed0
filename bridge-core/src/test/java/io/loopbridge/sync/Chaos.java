package io.loopbridge.sync;

import io.loopbridge.Async;
import io.loopbridge.task.Task;
import io.loopbridge.task.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** What the sync tests share: letting other tasks run, and cancelling tasks at random. */
@SuppressWarnings("try") // try (Timeout deadline = ...) scopes a deadline; deadline itself is unused
final class Chaos {
    /** Longer than any test may take: reaching it means a wake-up went missing. */
    static final Duration FOREVER = Duration.ofSeconds(30);
    /** A generous bound for "soon" on two noisy cores. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);

    private Chaos() {}

    /** Yields to the loop a few times, so that every task that can run runs until it suspends. */
    static void settle() {
        for (int i = 0; i < 5; i++) {
            Async.sleep(Duration.ZERO);
        }
    }

    /**
     * While {@code tasks} run, cancels one of them now and then, at random, up to {@code maxCancels}
     * times; then waits for all of them, at most {@link #PROMPTLY}: a task still waiting by then was
     * left waiting by a lost wake-up, permit or item, and the wait fails with a timeout. Returns how
     * many tasks were cancelled.
     */
    static int cancelSomeThenJoin(List<? extends Task<?>> tasks, Random random, int maxCancels) {
        return cancelSomeThenJoinOnly(tasks, tasks, random, maxCancels);
    }

    /** {@link #cancelSomeThenJoin} that cancels among {@code tasks} and then waits for {@code joined} only. */
    static int cancelSomeThenJoinOnly(
            List<? extends Task<?>> tasks, List<? extends Task<?>> joined, Random random, int maxCancels) {
        int cancelled = 0;
        while (cancelled < maxCancels && !allDone(joined)) {
            Async.sleep(Duration.ZERO);
            if (random.nextInt(3) == 0) {
                List<Task<?>> live = new ArrayList<>();
                for (Task<?> t : tasks) {
                    if (!t.isDone() && t.cancelling() == 0) {
                        live.add(t);
                    }
                }
                if (!live.isEmpty() && live.get(random.nextInt(live.size())).cancel()) {
                    cancelled++;
                }
            }
        }
        try (Timeout deadline = Async.timeout(PROMPTLY)) {
            Async.await(Async.gatherSettled(joined));
        }
        return cancelled;
    }

    static boolean allDone(List<? extends Task<?>> tasks) {
        for (Task<?> t : tasks) {
            if (!t.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** Yields {@code random.nextInt(bound)} times: tasks arrive and leave in a random order. */
    static void dawdle(Random random, int bound) {
        int n = random.nextInt(bound);
        for (int i = 0; i < n; i++) {
            Async.sleep(Duration.ZERO);
        }
    }
}
