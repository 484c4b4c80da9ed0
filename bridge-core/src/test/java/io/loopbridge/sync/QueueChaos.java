package io.loopbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.loopbridge.Async;
import io.loopbridge.task.Task;
import io.loopbridge.task.Timeout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The stress test every queue kind passes: producers and consumers on a small bounded queue, some
 * of them cancelled at random, and every item that was put is got exactly once.
 */
@SuppressWarnings("try") // try (Timeout deadline = ...) scopes a deadline; deadline itself is unused
final class QueueChaos {
    private QueueChaos() {}

    /**
     * 10 producers put 20 items each into {@code queue} (it should be small, so that producers wait
     * too) while 10 consumers get them; up to 9 of the 20 tasks are cancelled at random, some of them just after they were woken. Then join()
     * must return (no item stuck with nobody woken to get it), and the items got must be exactly the
     * items whose put() returned.
     */
    static void producersAndConsumersCancelledAtRandom(AsyncQueue<Integer> queue, Random random) {
        List<Integer> put = new ArrayList<>();
        List<Integer> got = new ArrayList<>();
        Line getters = new Line(2);
        Line putters = new Line(3);
        List<Task<Void>> producers = new ArrayList<>();
        List<Task<Void>> consumers = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            int first = p * 20;
            producers.add(Async.createTask(() -> {
                for (int i = first; i < first + 20; i++) {
                    Chaos.dawdle(random, 4);
                    putters.enter();
                    try {
                        queue.put(i);
                    } finally {
                        putters.leave();
                    }
                    put.add(i);
                    getters.maybeCancelFirst(random); // the first getter in line was just woken
                }
                return null;
            }));
        }
        for (int c = 0; c < 10; c++) {
            consumers.add(Async.createTask(() -> {
                while (true) {
                    Integer item;
                    getters.enter();
                    try {
                        item = queue.get();
                    } catch (QueueShutDownException done) {
                        return null;
                    } finally {
                        getters.leave();
                    }
                    got.add(item);
                    queue.taskDone();
                    putters.maybeCancelFirst(random); // the first putter in line was just woken
                    Chaos.dawdle(random, 4);
                }
            }));
        }
        List<Task<Void>> everyone = new ArrayList<>(producers);
        everyone.addAll(consumers);

        int cancelled = Chaos.cancelSomeThenJoinOnly(everyone, producers, random, 4);

        try (Timeout deadline = Async.timeout(Chaos.PROMPTLY)) {
            queue.join();
        }
        assertThat(queue.empty()).isTrue();
        queue.shutdown();
        Async.await(Async.gatherSettled(consumers));

        assertThat(getters.cancelled() + putters.cancelled()).isPositive();
        assertThat(everyone.stream().filter(Task::isCancelled).count())
                .isEqualTo(cancelled + getters.cancelled() + putters.cancelled());
        assertThat(got).containsExactlyInAnyOrderElementsOf(put);
        assertThat(put.size()).as("items put").isGreaterThan(50);
        assertThat(queue.toString())
                .doesNotContain("getters")
                .doesNotContain("putters")
                .doesNotContain("tasks");
        assertThatIllegalStateException().isThrownBy(queue::taskDone);
    }
}
