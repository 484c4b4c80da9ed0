package io.loopbridge.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a sample into memory, as {@code samples/run} would print it. */
final class SampleRun {
    private SampleRun() {}

    /** The lines {@code sample} prints when run with {@code args}. */
    static List<String> lines(Sample sample, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            sample.run(args, out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** {@code text} split into lines, for expectations written as text blocks. */
    static List<String> expected(String text) {
        return text.lines().toList();
    }
}
