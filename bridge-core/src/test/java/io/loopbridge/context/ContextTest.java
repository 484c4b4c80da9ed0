package io.loopbridge.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Context}, read like Python's {@code contextvars.Context}: {@code run} enters a context and
 * what is set inside stays in it, {@code copy} gives an independent mapping, and a context is
 * entered by one caller at a time.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class ContextTest {
    final ContextVar<String> var = ContextVar.withDefault("var", "default");
    final ContextVar<Integer> other = ContextVar.of("other");
    final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void runEntersTheContextAndKeepsWhatIsSetInsideIt() {
        Context ctx = Context.empty();
        Context outside = Context.current();

        ctx.run(() -> {
            assertThat(Context.current()).isSameAs(ctx);
            var.set("inside");
            events.add("inside sees " + var.get());
        });

        assertThat(Context.current()).isSameAs(outside);
        assertThat(var.get()).isEqualTo("default");
        assertThat(ctx.get(var)).isEqualTo("inside");
        ctx.run(() -> events.add("entered again, sees " + var.get()));
        assertThat(events).containsExactly("inside sees inside", "entered again, sees inside");
    }

    @Test
    void callReturnsTheResultAndRestoresTheContextAfterAFailure() {
        Context ctx = Context.empty();
        Context outside = Context.current();

        assertThat(ctx.call(() -> {
                    var.set("x");
                    return var.get() + "!";
                }))
                .isEqualTo("x!");

        IllegalArgumentException boom = new IllegalArgumentException("boom");
        assertThat(catchThrowable(() -> ctx.run(() -> {
                    throw boom;
                })))
                .isSameAs(boom);
        assertThat(Context.current()).isSameAs(outside);

        IOException io = new IOException("io");
        assertThat(catchThrowable(() -> ctx.call(() -> {
                    throw io;
                })))
                .isExactlyInstanceOf(CompletionException.class)
                .hasCause(io);
        assertThat(Context.current()).isSameAs(outside);
    }

    @Test
    void anEnteredContextCannotBeEnteredAgain() {
        Context ctx = Context.empty();
        ctx.run(() -> {
            assertThatIllegalStateException()
                    .isThrownBy(() -> ctx.run(() -> events.add("nested run")))
                    .withMessageContaining("already entered");
            assertThatIllegalStateException().isThrownBy(() -> ctx.call(() -> "nested call"));
            assertThat(Context.current()).isSameAs(ctx); // the refused entry changed nothing
        });
        ctx.run(() -> events.add("entered after the exit")); // the exit released it

        assertThat(events).containsExactly("entered after the exit");
    }

    @Test
    void anEnteredContextCannotBeEnteredFromAnotherThread() throws Exception {
        Context ctx = Context.empty();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
        Thread holder = new Thread(() -> ctx.run(() -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        holder.start();
        try {
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            fromOtherThread.set(catchThrowable(() -> ctx.run(() -> events.add("entered twice"))));
        } finally {
            release.countDown();
            holder.join(5_000);
        }

        assertThat(fromOtherThread.get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already entered");
        assertThat(events).isEmpty();
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        Context original = Context.empty();
        original.run(() -> var.set("original"));

        Context copy = original.copy();
        assertThat(copy).isNotSameAs(original);
        assertThat(copy.get(var)).isEqualTo("original");

        copy.run(() -> {
            var.set("changed in the copy");
            other.set(1);
        });
        original.run(() -> var.set("changed in the original"));

        assertThat(original.get(var)).isEqualTo("changed in the original");
        assertThat(original.containsKey(other)).isFalse();
        assertThat(copy.get(var)).isEqualTo("changed in the copy");
        assertThat(copy.get(other)).isEqualTo(1);
    }

    @Test
    void copyCurrentCopiesTheContextTheCallerRunsIn() {
        Context ctx = Context.empty();
        Context copy = ctx.call(() -> {
            var.set("before the copy");
            Context c = Context.copyCurrent();
            var.set("after the copy");
            return c;
        });

        assertThat(copy.get(var)).isEqualTo("before the copy");
        assertThat(ctx.get(var)).isEqualTo("after the copy");
    }

    @Test
    void keysSizeContainsKeyAndGetDescribeTheMapping() {
        Context ctx = Context.empty();
        assertThat(ctx.size()).isZero();
        assertThat(ctx.keys()).isEmpty();
        assertThat(ctx.get(var)).isNull(); // no value here: the default is the variable's, not the context's
        assertThat(ctx.containsKey(var)).isFalse();

        ctx.run(() -> {
            var.set("a");
            other.set(1);
            var.set("b");
        });

        assertThat(ctx.size()).isEqualTo(2);
        assertThat(ctx.keys()).containsExactly(var, other);
        assertThat(ctx.containsKey(var)).isTrue();
        assertThat(ctx.get(var)).isEqualTo("b");
        assertThat(ctx.get(other)).isEqualTo(1);
        assertThat(ctx.toString()).contains("var=b").contains("other=1");
        assertThatThrownBy(() -> ctx.keys().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> Context.empty().run(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("fn");
        assertThatThrownBy(() -> Context.empty().call(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("fn");
    }

    @AllEngines
    void eachTaskRunsInAContextOfItsOwn(CoroutineEngine engine) {
        Async.run(engine, () -> {
            var.set("main");
            Context main = Context.current();
            AtomicReference<Context> seenByTask = new AtomicReference<>();
            Task<Void> task = Async.createTask(() -> {
                seenByTask.set(Context.current());
                Async.sleep(Duration.ZERO);
                assertThat(Context.current()).isSameAs(seenByTask.get()); // the same one after a switch
                var.set("task");
                return null;
            });
            Async.await(task);
            assertThat(Context.current()).isSameAs(main);
            assertThat(seenByTask.get()).isNotSameAs(main);
            assertThat(seenByTask.get().get(var)).isEqualTo("task"); // what the task set stays in its context
            assertThat(var.get()).isEqualTo("main");
            return null;
        });
    }

    @AllEngines
    void aTaskCanRunCodeInAnotherContext(CoroutineEngine engine) {
        Context ctx = Context.empty();
        Async.run(engine, () -> {
            var.set("task");
            ctx.run(() -> {
                var.set("inside ctx");
                events.add("ctx sees " + var.get());
            });
            Async.sleep(Duration.ZERO);
            events.add("task sees " + var.get());
            return null;
        });

        assertThat(events).containsExactly("ctx sees inside ctx", "task sees task");
        assertThat(ctx.get(var)).isEqualTo("inside ctx");
    }
}
