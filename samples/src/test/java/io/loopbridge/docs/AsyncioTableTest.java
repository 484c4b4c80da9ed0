package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncio.md names only methods that exist: every {@code Name.method(} and {@code
 * receiver.method(} in the loopbridge column resolves to a public method of that class, and every
 * bare {@code method(} to a public method of some public loopbridge class (or is the user's own
 * coroutine of the example).
 */
class AsyncioTableTest {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern CALL = Pattern.compile("(?:\\b(new\\s+)?(\\w+)\\.)?\\b(\\w+)\\(");
    private static final Map<String, String> RECEIVERS = Map.ofEntries(
            Map.entry("loop", "EventLoop"),
            Map.entry("fut", "LoopFuture"),
            Map.entry("task", "Task"),
            Map.entry("g", "Generator"),
            Map.entry("ag", "AsyncGenerator"),
            Map.entry("y", "Yielder"),
            Map.entry("var", "ContextVar"),
            Map.entry("ctx", "Context"),
            Map.entry("tg", "TaskGroup"),
            Map.entry("cm", "Timeout"),
            Map.entry("lock", "AsyncLock"),
            Map.entry("cond", "AsyncCondition"),
            Map.entry("reader", "StreamReader"),
            Map.entry("writer", "StreamWriter"),
            Map.entry("proc", "Subprocess"),
            Map.entry("server", "Server"),
            Map.entry("transport", "Transport"));
    private static final Set<String> FOREIGN = Set.of("InetAddress", "Runtime", "Iterable", "Iterator", "Duration");
    /** The user's own coroutines in the examples ({@code Async.run(() -> main())}). */
    private static final Set<String> USER_CODE = Set.of("f", "main", "c");

    @Test
    void everyLoopbridgeNameInTheTableExists() throws Exception {
        Map<String, Class<?>> api = publicClasses();
        Set<String> anyMethod = new HashSet<>();
        api.values().forEach(c -> {
            for (Method m : c.getMethods()) {
                anyMethod.add(m.getName());
            }
        });
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String row : Files.readAllLines(Path.of("..", "docs", "asyncio.md"))) {
            String[] cells = row.split("(?<!\\\\)\\|");
            if (!row.startsWith("|") || cells.length < 3 || cells[2].isBlank() || cells[2].contains("---")) {
                continue;
            }
            Matcher code = CODE.matcher(cells[2]);
            while (code.find()) {
                Matcher call = CALL.matcher(code.group(1));
                while (call.find()) {
                    String qualifier = call.group(2);
                    String method = call.group(3);
                    if (call.group(1) != null || (qualifier == null && Character.isUpperCase(method.charAt(0)))) {
                        String type = call.group(1) != null ? qualifier : method;
                        if (!api.containsKey(type) && !FOREIGN.contains(type)) {
                            problems.add(row + " -> no class " + type);
                        }
                    } else if (qualifier == null) {
                        if (!anyMethod.contains(method) && !USER_CODE.contains(method)) {
                            problems.add(row + " -> no method " + method + "() anywhere");
                        }
                    } else if (!FOREIGN.contains(qualifier)) {
                        Class<?> c = api.get(RECEIVERS.getOrDefault(qualifier, qualifier));
                        if (c == null) {
                            problems.add(row + " -> unknown receiver " + qualifier);
                        } else if (Stream.of(c.getMethods())
                                .noneMatch(m -> m.getName().equals(method))) {
                            problems.add(row + " -> no method " + c.getSimpleName() + "." + method + "()");
                        }
                    }
                    checked++;
                }
            }
        }
        assertThat(problems).as("asyncio.md names without a method").isEmpty();
        assertThat(checked).as("names checked").isGreaterThan(150);
    }

    /** The public classes of the library modules, by simple name (nested ones too). */
    private static Map<String, Class<?>> publicClasses() throws IOException, ClassNotFoundException {
        Map<String, Class<?>> classes = new HashMap<>();
        for (String module : List.of("bridge-core", "bridge-reactor", "bridge-rxjava")) {
            Path root = Path.of("..", module, "src", "main", "java");
            List<Path> sources;
            try (Stream<Path> s = Files.walk(root)) {
                sources = s.filter(p -> p.toString().endsWith(".java")
                                && !p.toString().contains("internal")
                                && !p.getFileName().toString().equals("package-info.java"))
                        .toList();
            }
            for (Path source : sources) {
                String name = root.relativize(source)
                        .toString()
                        .replace(java.io.File.separatorChar, '.')
                        .replaceAll("\\.java$", "");
                Class<?> c = Class.forName(name);
                if (Modifier.isPublic(c.getModifiers())) {
                    classes.put(c.getSimpleName(), c);
                    for (Class<?> nested : c.getClasses()) {
                        classes.put(nested.getSimpleName(), nested);
                    }
                }
            }
        }
        return classes;
    }
}
