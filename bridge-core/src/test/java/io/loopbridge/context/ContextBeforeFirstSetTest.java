package io.loopbridge.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.loopbridge.testing.AllEngines;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The loop skips all context work until the first {@link ContextVar#set} in the JVM. {@link
 * Context#current()} called before that (it puts a fresh empty context in the thread's slot) must
 * not let a value set later leak into a context another task or callback holds: each task keeps its
 * own copy, as in asyncio. Each case runs in a fresh copy of the library (its own class loader), so
 * that no variable was set before it.
 */
class ContextBeforeFirstSetTest {
    static final ContextVar<String> VAR = ContextVar.of("ContextBeforeFirstSetTest.var");

    /** Runs {@code scenario} in a class loader of its own, where no context variable was ever set. */
    static String inFreshLibrary(Class<? extends Function<String, String>> scenario, CoroutineEngine engine)
            throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            urls.add(new java.io.File(entry).toURI().toURL());
        }
        try (URLClassLoader fresh =
                new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            @SuppressWarnings("unchecked")
            Function<String, String> s = (Function<String, String>)
                    fresh.loadClass(scenario.getName()).getDeclaredConstructor().newInstance();
            return s.apply(engine.name());
        }
    }

    /**
     * A task takes the current context before anything was set, and another task then sets a
     * variable: the first task's context does not get that value.
     */
    public static final class TaskTakesContextThenAnotherSets implements Function<String, String> {
        @Override
        public String apply(String engine) {
            return Async.run(CoroutineEngine.valueOf(engine), () -> {
                Context mine = Context.current();
                Task<Void> other = Async.loop().createTask(() -> {
                    VAR.set("other's");
                    return null;
                });
                Async.await(other);
                return "held=" + mine.get(VAR) + " seen=" + VAR.get(null);
            });
        }
    }

    /** A loop callback takes the current context, then a task sets a variable. */
    public static final class CallbackTakesContextThenATaskSets implements Function<String, String> {
        @Override
        public String apply(String engine) {
            return Async.run(CoroutineEngine.valueOf(engine), () -> {
                EventLoop loop = Async.loop();
                LoopFuture<Context> taken = loop.createFuture();
                loop.callSoon(() -> taken.setResult(Context.current()));
                Context held = Async.await(taken);
                Async.await(loop.createTask(() -> {
                    VAR.set("task's");
                    return null;
                }));
                return "held=" + held.get(VAR) + " seen=" + VAR.get(null);
            });
        }
    }

    @AllEngines
    void aContextTakenByATaskDoesNotGetAnotherTasksValue(CoroutineEngine engine) throws Exception {
        assertThat(inFreshLibrary(TaskTakesContextThenAnotherSets.class, engine))
                .isEqualTo("held=null seen=null");
    }

    @AllEngines
    void aContextTakenByACallbackDoesNotGetATasksValue(CoroutineEngine engine) throws Exception {
        assertThat(inFreshLibrary(CallbackTakesContextThenATaskSets.class, engine))
                .isEqualTo("held=null seen=null");
    }
}
