package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java in {@code docs/*.md} compiled and run: every {@code ```java} block must follow a
 * {@code <!-- snippet: Class#tag -->} line and equal the {@code // tag::tag[]} region of that class
 * in this package (a test, which runs it and asserts what it does), dedented.
 */
class DocsSnippetsTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Path SNIPPETS = Path.of("src", "test", "java", "io", "loopbridge", "docs");
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\w+)#([\\w-]+) -->");

    @Test
    void everyJavaBlockInTheDocsIsATestedSnippet() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path md : markdownFiles()) {
            List<String> lines = Files.readAllLines(md);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals("```java")) {
                    continue;
                }
                String where = md.getFileName() + ":" + (i + 1);
                Matcher m = i > 0 ? MARKER.matcher(lines.get(i - 1).strip()) : null;
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                    end++;
                }
                if (m == null || !m.matches()) {
                    problems.add(where + ": a java block without a <!-- snippet: Class#tag --> line above it");
                    continue;
                }
                List<String> block = lines.subList(i + 1, end);
                List<String> region;
                try {
                    region = region(m.group(1), m.group(2));
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": " + e.getMessage());
                    continue;
                }
                if (!block.equals(region)) {
                    problems.add(where + ": the block differs from " + m.group(1) + "#" + m.group(2)
                            + "; paste the region again:\n" + String.join("\n", region));
                }
                checked++;
            }
        }
        assertThat(problems).as("docs snippets").isEmpty();
        assertThat(checked).as("snippets checked").isGreaterThan(20);
    }

    @Test
    void aRegionIsFoundAndDedented() throws IOException {
        assertThat(region("LoopSnippets", "callSoon")).first().isEqualTo("try (EventLoop loop = new EventLoop()) {");
        assertThatThrownBy(() -> region("LoopSnippets", "noSuchTag"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no region 'noSuchTag'");
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> s = Files.list(DOCS)) {
            return s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    /** The lines between {@code // tag::tag[]} and {@code // end::tag[]} in {@code Class.java}, dedented. */
    static List<String> region(String className, String tag) throws IOException {
        Path source = SNIPPETS.resolve(className + ".java");
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("no snippet class " + source);
        }
        List<String> lines = Files.readAllLines(source);
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("// tag::" + tag + "[]")) {
                start = i + 1;
            } else if (l.equals("// end::" + tag + "[]") && start >= 0) {
                end = i;
                break;
            }
        }
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException(
                    "no region '" + tag + "' (// tag::" + tag + "[] ... // end::" + tag + "[]) in " + source);
        }
        List<String> region = lines.subList(start, end);
        int indent = region.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }
}
