package io.loopbridge.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.gen.Generator;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ContextVar}, read like Python's {@code contextvars} documentation: get with and without
 * a default, set and reset with tokens, and the copy of the context each task and callback runs
 * in. The task tests run on each coroutine engine the JVM offers; on the continuation engine every
 * task shares the loop's thread, so a value kept per thread would leak between them.
 *
 * <p>Each test makes its own variables, so values set by one test cannot be seen by another.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
class ContextVarTest {
    final List<String> events = new CopyOnWriteArrayList<>();

    interface Body {
        void run() throws Exception;
    }

    static void onEngine(CoroutineEngine engine, Body body) {
        Async.run(engine, () -> {
            body.run();
            return null;
        });
    }

    @Nested
    class GetSetReset {

        @Test
        void getReturnsTheDefaultUntilSet() {
            ContextVar<String> var = ContextVar.withDefault("var", "default");
            Context.empty().run(() -> {
                assertThat(var.get()).isEqualTo("default");
                var.set("value");
                assertThat(var.get()).isEqualTo("value");
            });
        }

        @Test
        void getWithoutAValueOrADefaultRaisesNamingTheVariable() {
            ContextVar<String> requestId = ContextVar.of("request_id");
            Context.empty()
                    .run(() -> assertThatThrownBy(requestId::get)
                            .isInstanceOf(NoSuchElementException.class)
                            .hasMessageContaining("'request_id'"));
        }

        @Test
        void getWithAFallbackIgnoresTheDefault() {
            ContextVar<String> var = ContextVar.withDefault("var", "default");
            Context.empty().run(() -> {
                assertThat(var.get("fallback")).isEqualTo("fallback");
                var.set("value");
                assertThat(var.get("fallback")).isEqualTo("value");
            });
        }

        @Test
        void aVariableMayHoldNull() {
            ContextVar<String> var = ContextVar.withDefault("var", "default");
            Context.empty().run(() -> {
                var.set(null);
                assertThat(var.get()).isNull();
                assertThat(Context.current().containsKey(var)).isTrue();
            });
        }

        @Test
        void setReturnsATokenRememberingThePreviousState() {
            ContextVar<Integer> var = ContextVar.of("var");
            Context.empty().run(() -> {
                ContextVar.Token<Integer> first = var.set(1);
                assertThat(first.var()).isSameAs(var);
                assertThat(first.hadValue()).isFalse();
                assertThat(first.oldValue()).isNull();

                ContextVar.Token<Integer> second = var.set(2);
                assertThat(second.hadValue()).isTrue();
                assertThat(second.oldValue()).isEqualTo(1);
            });
        }

        @Test
        void resetRestoresThePreviousValue() {
            ContextVar<Integer> var = ContextVar.of("var");
            Context.empty().run(() -> {
                var.set(1);
                ContextVar.Token<Integer> token = var.set(2);
                assertThat(var.get()).isEqualTo(2);
                var.reset(token);
                assertThat(var.get()).isEqualTo(1);
            });
        }

        @Test
        void resetRestoresHavingNoValue() {
            ContextVar<Integer> noDefault = ContextVar.of("no_default");
            ContextVar<Integer> withDefault = ContextVar.withDefault("with_default", 0);
            Context.empty().run(() -> {
                ContextVar.Token<Integer> t1 = noDefault.set(1);
                ContextVar.Token<Integer> t2 = withDefault.set(1);
                noDefault.reset(t1);
                withDefault.reset(t2);
                assertThatThrownBy(noDefault::get).isInstanceOf(NoSuchElementException.class);
                assertThat(withDefault.get()).isZero();
                assertThat(Context.current().containsKey(noDefault)).isFalse();
                assertThat(Context.current().size()).isZero();
            });
        }

        @Test
        void aTokenOfAnotherVariableIsRefused() {
            ContextVar<String> a = ContextVar.of("a");
            ContextVar<String> b = ContextVar.of("b");
            Context.empty().run(() -> {
                ContextVar.Token<String> tokenOfA = a.set("x");
                assertThatIllegalArgumentException()
                        .isThrownBy(() -> b.reset(tokenOfA))
                        .withMessageContaining("'a'")
                        .withMessageContaining("'b'");
                a.reset(tokenOfA); // still good for its own variable
                assertThat(a.get(null)).isNull();
            });
        }

        @Test
        void aTokenMadeInAnotherContextIsRefused() {
            ContextVar<String> var = ContextVar.of("var");
            Context first = Context.empty();
            ContextVar.Token<String> token = first.call(() -> var.set("x"));
            Context.empty()
                    .run(() -> assertThatIllegalArgumentException()
                            .isThrownBy(() -> var.reset(token))
                            .withMessageContaining("different Context"));
            assertThat(first.get(var)).isEqualTo("x");
            first.run(() -> var.reset(token)); // good in its own context
            assertThat(first.containsKey(var)).isFalse();
        }

        @Test
        void aTokenCanBeUsedOnlyOnce() {
            ContextVar<String> var = ContextVar.of("var");
            Context.empty().run(() -> {
                ContextVar.Token<String> token = var.set("x");
                var.reset(token);
                assertThatIllegalStateException()
                        .isThrownBy(() -> var.reset(token))
                        .withMessageContaining("already been used");
            });
        }

        @Test
        void nullsAreRefusedNamingTheParameter() {
            assertThatThrownBy(() -> ContextVar.of(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("name");
            ContextVar<String> var = ContextVar.of("var");
            assertThatThrownBy(() -> var.reset(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("token");
        }

        @Test
        void nameAndToString() {
            assertThat(ContextVar.of("request_id").name()).isEqualTo("request_id");
            assertThat(ContextVar.withDefault("level", 3).toString())
                    .contains("level")
                    .contains("3");
        }
    }

    @Nested
    class Tasks {

        @AllEngines
        void asyncRunStartsTheMainCoroutineInACopyOfTheCallersContext(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.of("var");
            Context caller = Context.empty();
            caller.run(() -> {
                var.set("from the caller");
                onEngine(engine, () -> {
                    events.add("main sees " + var.get());
                    var.set("changed in main");
                });
                events.add("caller sees " + var.get());
            });

            assertThat(events).containsExactly("main sees from the caller", "caller sees from the caller");
        }

        @AllEngines
        void aTaskKeepsItsContextThroughACancellationItCatches(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.of("var");
            onEngine(engine, () -> {
                var.set("parent's");
                Task<Void> child = Async.createTask(() -> {
                    var.set("child's own");
                    try {
                        Async.sleep(Duration.ofDays(1));
                    } catch (java.util.concurrent.CancellationException e) {
                        events.add("child cancelled, sees " + var.get());
                    }
                    Async.sleep(Duration.ZERO);
                    events.add("child goes on, sees " + var.get());
                    return null;
                });
                Async.sleep(Duration.ZERO); // the child sets its value and sleeps
                child.cancel("stop sleeping");
                Async.await(child);
                events.add("parent sees " + var.get());
            });

            assertThat(events)
                    .containsExactly(
                            "child cancelled, sees child's own",
                            "child goes on, sees child's own",
                            "parent sees parent's");
        }

        @AllEngines
        void aChildTaskSeesTheParentsValuesAtItsCreationOnly(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.of("var");
            onEngine(engine, () -> {
                var.set("parent before");
                Task<Void> child = Async.createTask(() -> {
                    events.add("child sees " + var.get());
                    Async.sleep(Duration.ZERO); // the parent changes its value meanwhile
                    events.add("child still sees " + var.get());
                    var.set("child's own");
                    events.add("child sees " + var.get());
                    return null;
                });
                var.set("parent after");
                Async.await(child);
                events.add("parent sees " + var.get());
            });

            assertThat(events)
                    .containsExactly(
                            "child sees parent before",
                            "child still sees parent before",
                            "child sees child's own",
                            "parent sees parent after");
        }

        @AllEngines
        void siblingTasksAreIsolated(CoroutineEngine engine) {
            ContextVar<String> requestId = ContextVar.of("request_id");
            onEngine(engine, () -> {
                List<Task<String>> tasks = new ArrayList<>();
                for (String id : List.of("r1", "r2", "r3")) {
                    tasks.add(Async.createTask(() -> {
                        assertThat(requestId.get(null)).isNull();
                        requestId.set(id);
                        for (int i = 0; i < 3; i++) {
                            Async.sleep(Duration.ZERO); // every sibling sets its own value meanwhile
                            events.add(id + " sees " + requestId.get());
                        }
                        return requestId.get();
                    }));
                }
                List<String> results = new ArrayList<>();
                for (Task<String> t : tasks) {
                    results.add(Async.await(t));
                }
                assertThat(results).containsExactly("r1", "r2", "r3");
                assertThat(requestId.get(null)).isNull(); // the parent never saw any of them
            });

            assertThat(events)
                    .containsExactly(
                            "r1 sees r1",
                            "r2 sees r2",
                            "r3 sees r3",
                            "r1 sees r1",
                            "r2 sees r2",
                            "r3 sees r3",
                            "r1 sees r1",
                            "r2 sees r2",
                            "r3 sees r3");
        }

        @AllEngines
        void resetInsideATaskRestoresTheValueTheTaskStartedWith(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.withDefault("var", "default");
            onEngine(engine, () -> {
                var.set("main");
                Async.await(Async.createTask(() -> {
                    ContextVar.Token<String> token = var.set("temporary");
                    Async.sleep(Duration.ZERO);
                    events.add("task sees " + var.get());
                    var.reset(token);
                    events.add("task sees " + var.get());
                    return null;
                }));
                events.add("main sees " + var.get());
            });

            assertThat(events).containsExactly("task sees temporary", "task sees main", "main sees main");
        }

        @AllEngines
        void aTokenMadeInAnotherTaskIsRefused(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.of("var");
            onEngine(engine, () -> {
                ContextVar.Token<String> token = Async.await(Async.createTask(() -> var.set("x")));
                assertThatIllegalArgumentException().isThrownBy(() -> var.reset(token));
            });
        }

        @AllEngines
        void callbacksRunInTheContextTheyWereScheduledFrom(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.withDefault("var", "unset");
            onEngine(engine, () -> {
                EventLoop loop = Async.loop();
                LoopFuture<Void> done = loop.createFuture();
                Task<Void> a = Async.createTask(() -> {
                    var.set("a");
                    loop.callSoon(() -> events.add("callback from a sees " + var.get()));
                    var.set("a changed after scheduling");
                    return null;
                });
                Task<Void> b = Async.createTask(() -> {
                    var.set("b");
                    loop.callLater(Duration.ofMillis(1), () -> {
                        events.add("timer from b sees " + var.get());
                        var.set("set by the timer");
                        loop.callSoon(() -> {
                            events.add("callback from the timer sees " + var.get());
                            done.setResult(null);
                        });
                    });
                    return null;
                });
                Async.await(Async.gather(a, b));
                Async.await(done);
                events.add("main sees " + var.get());
            });

            assertThat(events)
                    .containsExactly(
                            "callback from a sees a",
                            "timer from b sees b",
                            "callback from the timer sees set by the timer",
                            "main sees unset");
        }

        @AllEngines
        void doneCallbacksRunInTheContextTheyWereAddedFrom(CoroutineEngine engine) {
            // asyncio: add_done_callback(fn) runs fn in a copy of the context current when it was added
            ContextVar<String> var = ContextVar.withDefault("var", "unset");
            onEngine(engine, () -> {
                LoopFuture<String> result = Async.loop().createFuture();
                java.util.function.Consumer<LoopFuture<String>> removed = f -> events.add("removed callback ran");
                Async.await(Async.createTask(() -> {
                    var.set("a");
                    result.addDoneCallback(f -> events.add("callback added by a sees " + var.get()));
                    result.addDoneCallback(removed);
                    return null;
                }));
                Async.await(Async.createTask(() -> {
                    var.set("b");
                    assertThat(result.removeDoneCallback(removed)).isEqualTo(1);
                    result.setResult("done by b");
                    return null;
                }));
                Async.sleep(Duration.ZERO);
            });

            assertThat(events).containsExactly("callback added by a sees a");
        }

        @AllEngines
        void aGeneratorsBodyRunsInTheContextOfTheCodeAdvancingIt(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.withDefault("var", "unset");
            onEngine(engine, () -> {
                Generator<String, Void, Void> gen = Generator.of(y -> {
                    y.yield("body sees " + var.get());
                    y.yield("body sees " + var.get());
                    return null;
                });
                var.set("main");
                events.add(gen.next());
                Async.await(Async.createTask(() -> {
                    var.set("other task");
                    events.add(gen.next());
                    return null;
                }));
                gen.close();
            });

            assertThat(events).containsExactly("body sees main", "body sees other task");
        }

        @AllEngines
        void aValueSetInAGeneratorsBodyIsSeenByTheCodeAdvancingIt(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.withDefault("var", "unset");
            onEngine(engine, () -> {
                Generator<Void, Void, Void> gen = Generator.of(y -> {
                    var.set("set by the body");
                    y.yield(null);
                    return null;
                });
                var.set("main");
                gen.next();
                events.add("main sees " + var.get());
                gen.close();
            });

            assertThat(events).containsExactly("main sees set by the body");
        }

        @AllEngines
        void anAsyncGeneratorsBodySeesTheValuesOfTheTaskIteratingIt(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.withDefault("var", "unset");
            onEngine(engine, () -> {
                AsyncGenerator<String, Void> gen = AsyncGenerator.of(y -> {
                    y.yield("body sees " + var.get());
                    Async.sleep(Duration.ofMillis(1));
                    y.yield("after an await, body sees " + var.get());
                });
                var.set("main");
                for (String s : gen) {
                    events.add(s);
                }
            });

            assertThat(events).containsExactly("body sees main", "after an await, body sees main");
        }

        @AllEngines
        void anAsyncGeneratorsBodyRunsInTheContextOfTheTaskMakingTheRequest(CoroutineEngine engine) {
            ContextVar<String> var = ContextVar.withDefault("var", "unset");
            onEngine(engine, () -> {
                AsyncGenerator<String, Void> gen = AsyncGenerator.of(y -> {
                    while (true) {
                        y.yield("body sees " + var.get());
                    }
                });
                var.set("main");
                events.add(Async.await(gen.anext()));
                Async.await(Async.createTask(() -> {
                    var.set("other task");
                    events.add(Async.await(gen.anext()));
                    return null;
                }));
                Async.await(gen.aclose());
            });

            assertThat(events).containsExactly("body sees main", "body sees other task");
        }
    }
}
