package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.LoopStats;
import io.loopbridge.loop.TestEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The snippets of docs/loop.md. */
class LoopSnippets extends SnippetTest {
    @Test
    void callSoon() {
        // tag::callSoon[]
        try (EventLoop loop = new EventLoop()) {
            loop.callLater(Duration.ofMillis(20), () -> {
                System.out.println("third, 20 ms later");
                loop.stop();
            });
            loop.callSoon(() -> System.out.println("first"));
            loop.callSoon(() -> System.out.println("second"));
            loop.runForever(); // returns once stop() has run
        }
        // end::callSoon[]
        assertThat(printed()).containsExactly("first", "second", "third, 20 ms later");
    }

    @Test
    void threadsafe() {
        // tag::threadsafe[]
        try (EventLoop loop = new EventLoop()) {
            LoopFuture<String> answer = loop.createFuture();
            Thread worker = new Thread(() ->
                    // another thread may only hand work to the loop, never touch its futures
                    loop.callSoonThreadsafe(() -> answer.setResult(
                            "computed on " + Thread.currentThread().getName())));
            worker.setName("worker");
            worker.start();
            System.out.println(loop.runUntilComplete(answer));
        }
        // end::threadsafe[]
        assertThat(printed())
                .singleElement()
                .asString()
                .startsWith("computed on ")
                .doesNotContain("worker");
    }

    @Test
    void runCoroutineThreadsafe() throws Exception {
        // tag::runCoroutineThreadsafe[]
        EventLoop loop = new EventLoop();
        Thread loopThread = new Thread(loop::runForever, "loop");
        loopThread.start();

        // from this thread, which is not the loop's: the coroutine runs there as a task
        CompletableFuture<String> reply = loop.runCoroutineThreadsafe(() -> {
            Async.sleep(Duration.ofMillis(10));
            return "done by " + Async.currentTask().getName(); // e.g. "done by Task-1"
        });
        System.out.println(reply.get(5, TimeUnit.SECONDS)); // wait here, never on the loop's thread

        loop.callSoonThreadsafe(loop::stop);
        loopThread.join();
        loop.close();
        // end::runCoroutineThreadsafe[]
        assertThat(printed()).singleElement().asString().matches("done by Task-\\d+");
    }

    @Test
    void wrongThread() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            List<String> seen = new ArrayList<>();
            Thread t = new Thread(() -> {
                // tag::wrongThread[]
                try {
                    loop.callSoon(() -> {}); // from a thread that is not the loop's
                } catch (IllegalStateException e) {
                    System.out.println(e.getMessage()); // names callSoonThreadsafe
                }
                // end::wrongThread[]
            });
            loop.callSoon(t::start);
            loop.callLater(Duration.ofMillis(50), loop::stop);
            loop.runForever();
            t.join();
        }
        assertThat(printed()).singleElement().asString().contains("callSoonThreadsafe");
    }

    @Test
    void virtualTime() {
        // tag::virtualTime[]
        TestEventLoop loop = new TestEventLoop(); // a clock that moves only when told
        loop.callLater(Duration.ofHours(2), () -> System.out.println("two hours in"));
        loop.callLater(
                Duration.ofHours(1), () -> System.out.println("one hour in, at " + Duration.ofNanos(loop.time())));
        loop.advanceTime(Duration.ofHours(3)); // runs both, in deadline order, at once
        loop.close();
        // end::virtualTime[]
        assertThat(printed()).containsExactly("one hour in, at PT1H", "two hours in");
    }

    @Test
    void exceptionHandler() {
        // tag::exceptionHandler[]
        try (EventLoop loop = new EventLoop()) {
            loop.setExceptionHandler((l, context) -> System.out.println("handled: " + context.get("message")));
            loop.callSoon(() -> {
                throw new IllegalStateException("boom");
            });
            loop.callSoon(loop::stop); // the loop goes on after a failing callback
            loop.runForever();
        }
        // end::exceptionHandler[]
        assertThat(printed()).singleElement().asString().startsWith("handled: Exception in callback");
    }

    @Test
    void stats() {
        // tag::stats[]
        try (EventLoop loop = new EventLoop()) {
            loop.callLater(Duration.ofMinutes(1), () -> {});
            loop.callSoon(loop::stop);
            loop.runForever();
            LoopStats stats = loop.stats(); // readable from any thread
            System.out.println("timers: " + stats.scheduledTimers() + ", ready: " + stats.readyCallbacks());
        }
        // end::stats[]
        assertThat(printed()).containsExactly("timers: 1, ready: 0");
    }
}
