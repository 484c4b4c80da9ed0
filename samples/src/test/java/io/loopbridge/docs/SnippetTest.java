package io.loopbridge.docs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the classes holding the snippets of {@code docs/*.md}: each test captures what its
 * snippet prints on {@code System.out}, so the snippet reads as the docs show it and the test
 * asserts its output.
 */
abstract class SnippetTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOut() {
        original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOut() {
        System.setOut(original);
    }

    /** The lines the snippet printed so far. */
    List<String> printed() {
        System.out.flush();
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
