package io.loopbridge.tck;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.task.Task;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.reactivestreams.tck.flow.support.TestException;

/**
 * The coroutine that reads a {@link LoopSubscriber} under test, as application code does with
 * {@code for (T item : Reactive.iterate(publisher, prefetch))}: the subscriber's demand after the
 * first {@code prefetch} comes only from this reading (the 75 % replenishment).
 *
 * <p>A gated consumer takes one item per permit, so the TCK's {@code triggerRequest(n)} grants
 * {@code n} permits and the subscriber's next requests follow from them; an ungated one reads
 * whatever arrives. {@link #stop()} closes the subscriber ({@code close()} cancels the upstream,
 * as leaving a try-with-resources block does) and cancels the coroutine.
 *
 * <p>Upstream errors end the reading: the TCK's own {@link TestException} is expected; any other
 * exception is reported to the loop's exception handler, which fails the class.
 */
final class TckConsumer<T> {
    private final EventLoop loop;
    private final LoopSubscriber<T> items;

    // loop thread only
    private long permits;
    private LoopFuture<Void> permitWaiter;
    private Task<Void> task;
    private boolean stopped;

    private TckConsumer(EventLoop loop, LoopSubscriber<T> items, long permits) {
        this.loop = loop;
        this.items = items;
        this.permits = permits;
    }

    /** Starts a consumer that takes one item per {@link #grant granted} permit. */
    static <T> TckConsumer<T> gated(EventLoop loop, LoopSubscriber<T> items) {
        return new TckConsumer<>(loop, items, 0).start();
    }

    /** Starts a consumer that reads every item as it arrives. */
    static <T> TckConsumer<T> ungated(EventLoop loop, LoopSubscriber<T> items) {
        return new TckConsumer<>(loop, items, Long.MAX_VALUE).start();
    }

    private TckConsumer<T> start() {
        Tck.register(this);
        loop.callSoonThreadsafe(() -> {
            if (!stopped) {
                task = loop.createTask(this::consume, "tck-consumer(" + items + ")");
            }
        });
        return this;
    }

    /** Lets the consumer take {@code n} more items. Any thread. */
    void grant(long n) {
        loop.callSoonThreadsafe(() -> {
            permits = permits + n < 0 ? Long.MAX_VALUE : permits + n;
            LoopFuture<Void> w = permitWaiter;
            permitWaiter = null;
            if (w != null && !w.isDone()) {
                w.setResult(null);
            }
        });
    }

    /** Closes the subscriber (cancelling its upstream) and ends the coroutine. Any thread. */
    void stop() {
        try {
            loop.callSoonThreadsafe(() -> {
                stopped = true;
                items.close();
                if (task != null) {
                    task.cancel();
                }
            });
        } catch (IllegalStateException closedLoop) {
            // the suite is over
        }
    }

    private Void consume() {
        try (LoopSubscriber<T> s = items) {
            while (true) {
                takePermit();
                if (!s.hasNext()) {
                    return null;
                }
                s.next();
            }
        } catch (CancellationException stop) {
            return null;
        } catch (TestException | CompletionException expected) {
            if (!(expected instanceof TestException) && !(expected.getCause() instanceof TestException)) {
                report(expected);
            }
            return null;
        } catch (RuntimeException unexpected) {
            report(unexpected);
            return null;
        }
    }

    private void takePermit() {
        while (permits == 0) {
            LoopFuture<Void> w = loop.createFuture();
            permitWaiter = w;
            Async.await(w);
        }
        if (permits != Long.MAX_VALUE) {
            permits--;
        }
    }

    private void report(Throwable t) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", "the LoopSubscriber under test threw an error the TCK did not signal");
        context.put("exception", t);
        context.put("subscriber", items);
        loop.callExceptionHandler(context);
    }
}
