package io.loopbridge.testing.apidocs;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The public API's missing doc comments, as javadoc's doclint reports them.
 *
 * <p>The build's javadoc runs doclint without its "missing" group (which would also demand every
 * {@code @param} and {@code @return}); this runs javadoc on the same sources with only that group
 * and keeps the reports of an element with no comment at all. Packages named {@code internal} are
 * not API and are left out, as they are from the published javadoc and the API baseline.
 */
public final class PublicApiDocs {
    private PublicApiDocs() {}

    /**
     * One line ({@code file:line: message}) per public or protected type, constructor, method or
     * field under {@code sourceRoot}, outside {@code .internal} packages, that has no doc comment.
     *
     * @throws IllegalStateException if javadoc cannot process the sources (it names the errors)
     */
    public static List<String> undocumented(Path sourceRoot) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !sourceRoot
                            .relativize(p)
                            .toString()
                            .replace('\\', '/')
                            .matches("(.*/)?internal/.*"))
                    .sorted()
                    .toList();
        }
        if (sources.isEmpty()) {
            throw new IllegalStateException("no .java files under " + sourceRoot.toAbsolutePath());
        }
        Path out = Files.createTempDirectory("loopbridge-apidocs");
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of(
                    "-Xdoclint:missing",
                    "-Xmaxwarns",
                    "100000",
                    "-Xmaxerrs",
                    "100000",
                    "-protected",
                    "-quiet",
                    "--release",
                    "17",
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-sourcepath",
                    sourceRoot.toString(),
                    "-d",
                    out.toString());
            StringWriter log = new StringWriter();
            boolean ok = javadoc.getTask(
                            log, files, diagnostics, null, options, files.getJavaFileObjectsFromPaths(sources))
                    .call();
            List<String> missing = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                String message = d.getMessage(Locale.ROOT);
                String where = (d.getSource() == null
                        ? ""
                        : sourceRoot
                                        .toAbsolutePath()
                                        .relativize(
                                                Path.of(d.getSource().toUri()).toAbsolutePath())
                                + ":" + d.getLineNumber() + ": ");
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(where + message);
                } else if (message.startsWith("no comment") || message.startsWith("use of default constructor")) {
                    missing.add(where + message);
                }
            }
            if (!ok && !errors.isEmpty()) {
                throw new IllegalStateException(
                        "javadoc failed on " + sourceRoot + ":\n" + String.join("\n", errors) + "\n" + log);
            }
            return missing;
        } finally {
            try (Stream<Path> tree = Files.walk(out)) {
                tree.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
