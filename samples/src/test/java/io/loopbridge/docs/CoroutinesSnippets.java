package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.context.ContextVar;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.sync.AsyncEvent;
import io.loopbridge.sync.AsyncLock;
import io.loopbridge.sync.AsyncQueue;
import io.loopbridge.sync.Permit;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.task.TaskGroup;
import io.loopbridge.task.TaskGroupException;
import io.loopbridge.task.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** The snippets of docs/coroutines.md. */
class CoroutinesSnippets extends SnippetTest {
    // tag::say[]
    static String say(String what, Duration delay) {
        Async.sleep(delay); // suspends this task, not the thread
        System.out.println(what);
        return what;
    }
    // end::say[]

    @Test
    void run() {
        // tag::run[]
        String result = Async.run(
                () -> { // asyncio.run(main())
                    say("hello", Duration.ofMillis(10)); // await say(...): runs in this same task
                    return say("world", Duration.ofMillis(10));
                });
        System.out.println("returned " + result);
        // end::run[]
        assertThat(printed()).containsExactly("hello", "world", "returned world");
    }

    @Test
    void tasks() {
        // tag::tasks[]
        Async.run(
                TestEventLoop::new,
                () -> { // on virtual time: the sleeps take no time
                    Task<String> slow = Async.createTask(() -> say("slow", Duration.ofSeconds(2)), "slow");
                    Task<String> fast = Async.createTask(() -> say("fast", Duration.ofSeconds(1)), "fast");
                    List<String> both = Async.await(Async.gather(slow, fast)); // results in argument order
                    System.out.println(
                            both + " after " + Duration.ofNanos(Async.loop().time()));
                    return null;
                });
        // end::tasks[]
        assertThat(printed()).containsExactly("fast", "slow", "[slow, fast] after PT2S");
    }

    @Test
    void cancel() {
        // tag::cancel[]
        Async.run(TestEventLoop::new, () -> {
            Task<Void> worker = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    System.out.println("worker cleans up"); // finally blocks run on cancellation
                }
                return null;
            });
            Async.sleep(Duration.ofSeconds(1));
            worker.cancel("no longer needed");
            try {
                Async.await(worker);
            } catch (CancellationException e) { // asyncio's CancelledError
                System.out.println("cancelled: " + worker.isCancelled());
            }
            return null;
        });
        // end::cancel[]
        assertThat(printed()).containsExactly("worker cleans up", "cancelled: true");
    }

    @Test
    void timeout() {
        // tag::timeout[]
        Async.run(TestEventLoop::new, () -> {
            try (Timeout t = Async.timeout(Duration.ofSeconds(1))) { // async with asyncio.timeout(1)
                say("never printed", Duration.ofSeconds(5));
            } catch (AsyncTimeoutException e) {
                System.out.println(
                        "timed out at " + Duration.ofNanos(Async.loop().time()));
            }
            String fast = Async.waitFor(() -> say("in time", Duration.ofSeconds(1)), Duration.ofSeconds(2));
            System.out.println("waitFor returned " + fast);
            return null;
        });
        // end::timeout[]
        assertThat(printed()).containsExactly("timed out at PT1S", "in time", "waitFor returned in time");
    }

    @Test
    void taskGroup() {
        // tag::taskGroup[]
        Async.run(TestEventLoop::new, () -> {
            try (TaskGroup tg = new TaskGroup()) { // async with asyncio.TaskGroup() as tg
                tg.createTask(() -> say("never printed", Duration.ofSeconds(5)));
                tg.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    throw new IllegalArgumentException("bad input");
                });
            } catch (TaskGroupException e) { // the first failure cancelled the sibling
                System.out.println(e.getExceptions().size() + " failed: "
                        + e.getExceptions().get(0).getMessage());
            }
            return null;
        });
        // end::taskGroup[]
        assertThat(printed()).containsExactly("1 failed: bad input");
    }

    @Test
    void shield() {
        // tag::shield[]
        Async.run(TestEventLoop::new, () -> {
            Task<String> save = Async.createTask(() -> say("saved", Duration.ofSeconds(2)));
            try {
                Async.waitFor(Async.shield(save), Duration.ofSeconds(1)); // the wait ends, the save goes on
            } catch (AsyncTimeoutException e) {
                System.out.println("gave up waiting");
            }
            System.out.println("still saved: " + Async.await(save));
            return null;
        });
        // end::shield[]
        assertThat(printed()).containsExactly("gave up waiting", "saved", "still saved: saved");
    }

    @Test
    void toThread() {
        // tag::toThread[]
        Async.run(() -> {
            EventLoop loop = Async.loop();
            boolean onLoop = Async.toThread(() -> {
                Thread.sleep(10); // blocking is fine here: not on the loop
                return loop.inLoop();
            });
            System.out.println("ran on the loop's thread: " + onLoop);
            return null;
        });
        // end::toThread[]
        assertThat(printed()).containsExactly("ran on the loop's thread: false");
    }

    @Test
    void engines() {
        // tag::engines[]
        for (CoroutineEngine engine : CoroutineEngine.available()) { // THREADS always; VIRTUAL, CONTINUATION on 21+
            int sum = Async.run(engine, () -> {
                LoopFuture<List<Integer>> parts = Async.gather(() -> 1, () -> 2);
                return Async.await(parts).stream().mapToInt(Integer::intValue).sum();
            });
            System.out.println(engine + ": " + sum);
        }
        // end::engines[]
        assertThat(printed())
                .hasSize(CoroutineEngine.available().size())
                .allSatisfy(l -> assertThat(l).endsWith(": 3"));
    }

    @Test
    void queue() {
        // tag::queue[]
        Async.run(TestEventLoop::new, () -> {
            AsyncQueue<Integer> queue = new AsyncQueue<>(2); // put() waits while 2 items are queued
            Task<Void> consumer = Async.createTask(() -> {
                while (true) {
                    int job = queue.get(); // waits for an item
                    Async.sleep(Duration.ofSeconds(1));
                    System.out.println("done " + job);
                    queue.taskDone();
                }
            });
            for (int job = 1; job <= 3; job++) {
                queue.put(job);
            }
            queue.join(); // until every item is taskDone()
            consumer.cancel();
            return null;
        });
        // end::queue[]
        assertThat(printed()).containsExactly("done 1", "done 2", "done 3");
    }

    @Test
    void lockAndEvent() {
        // tag::lockAndEvent[]
        Async.run(TestEventLoop::new, () -> {
            AsyncLock lock = new AsyncLock();
            AsyncEvent go = new AsyncEvent();
            LoopFuture<List<Object>> all = Async.gather(List.of("a", "b").stream()
                    .map(name -> Async.createTask(() -> {
                        go.await(); // both wait for the start signal
                        try (Permit p = lock.acquire()) { // async with lock
                            System.out.println(name + " has the lock");
                            Async.sleep(Duration.ofSeconds(1));
                        }
                        return null;
                    }))
                    .toList());
            go.set();
            Async.await(all);
            return null;
        });
        // end::lockAndEvent[]
        assertThat(printed()).containsExactly("a has the lock", "b has the lock");
    }

    // tag::contextVar[]
    static final ContextVar<String> REQUEST_ID = ContextVar.withDefault("requestId", "-");
    // end::contextVar[]

    @Test
    void contextVars() {
        // tag::contextVars[]
        Async.run(() -> {
            REQUEST_ID.set("r-1");
            Task<String> child = Async.createTask(() -> {
                String seen = REQUEST_ID.get(); // a task starts with a copy of its creator's context
                REQUEST_ID.set("changed in the child"); // and its changes stay its own
                return seen;
            });
            System.out.println("child saw " + Async.await(child) + ", parent has " + REQUEST_ID.get());
            return null;
        });
        System.out.println("outside: " + REQUEST_ID.get());
        // end::contextVars[]
        assertThat(printed()).containsExactly("child saw r-1, parent has r-1", "outside: -");
    }
}
