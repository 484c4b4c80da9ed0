package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.io.StreamPair;
import io.loopbridge.io.Streams;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.Timeout;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A client of {@code echo-server} and {@code echo-protocol} ({@link Streams#openConnection}): it
 * sends a line, prints the echo, and at the end says {@code BYE} and waits for the server to close
 * the connection.
 *
 * <p>{@code echo-client [--host H] --port P [lines...]} sends the given lines; without lines, what
 * is typed, a line at a time. Reading the terminal blocks, so it runs on the loop's executor
 * ({@link Async#toThread}) while the loop stays free.
 */
@SuppressWarnings("try") // try (Timeout t = Async.timeout(...)) scopes a deadline; t itself is unused
public final class EchoClient implements Sample {
    /** How long the client waits, after its BYE, for the server to hang up. */
    static final Duration AFTER_BYE = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "echo-client";
    }

    @Override
    public String description() {
        return "talks to echo-server or echo-protocol: echo-client [--host H] --port P [lines...] (no lines: stdin)";
    }

    @Override
    public boolean inTour() {
        return false;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        run(args, System.in, out);
    }

    /** {@link #run(String[], PrintStream)} typing from {@code in} when no lines are given. */
    void run(String[] args, InputStream in, PrintStream out) {
        Options options = Options.parse(args, Set.of("--host", "--port"));
        int port = options.port("--port", 0);
        if (port == 0) {
            throw new IllegalArgumentException(
                    "usage: echo-client [--host H] --port P [lines...]: the port of echo-server or echo-protocol");
        }
        String host = options.string("--host", EchoServer.HOST);
        List<String> lines = options.words();
        Async.run(() -> {
            if (lines.isEmpty()) {
                BufferedReader typed = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                talk(host, port, () -> Async.toThread(typed::readLine), "", out);
            } else {
                talk(host, port, next(lines.iterator()), "", out);
            }
            return null;
        });
    }

    /**
     * The tour's session against an echo server on {@code port}: a client says three lines and BYE;
     * another says nothing and is dropped after {@code idle}.
     */
    static void tour(String host, int port, Duration idle, PrintStream out) throws Exception {
        List<String> lines = List.of(
                "Hello, World!",
                "Use your voice - say what you mean",
                "Do not become an echo of someone else's opinion");
        talk(host, port, next(lines.iterator()), "[client 1] ", out);

        out.println("[client 2] connects and says nothing");
        long start = System.nanoTime();
        StreamPair silent = Streams.openConnection(host, port);
        try {
            byte[] rest = silent.reader().read(-1);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            out.println("[client 2] the server closed the connection "
                    + (rest.length == 0 && waited.compareTo(idle) >= 0
                            ? "after the idle timeout"
                            : "early, after " + waited.toMillis() + " ms"));
        } finally {
            silent.close();
            silent.writer().waitClosed();
        }
    }

    /**
     * Sends each line {@code nextLine} gives ({@code null}: no more) and prints its echo, then says
     * {@code BYE} (unless a line said it) and waits for the server to close the connection.
     */
    static void talk(String host, int port, Coroutine<String> nextLine, String who, PrintStream out) throws Exception {
        StreamPair connection = Streams.openConnection(host, port);
        try {
            boolean bye = false;
            String line;
            while (!bye && (line = nextLine.call()) != null) {
                out.println(who + "> " + line);
                connection.writer().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                bye = line.strip().equals("BYE");
                if (!bye) {
                    byte[] echo = connection.reader().readline();
                    if (echo.length == 0) {
                        out.println(who + "the server closed the connection");
                        return;
                    }
                    out.println(who + "< " + new String(echo, StandardCharsets.UTF_8).stripTrailing());
                }
            }
            if (!bye) {
                out.println(who + "> BYE");
                connection.writer().write("BYE\n".getBytes(StandardCharsets.UTF_8));
            }
            try (Timeout hangUp = Async.timeout(AFTER_BYE)) {
                byte[] rest = connection.reader().read(-1);
                out.println(who + "the server closed the connection"
                        + (rest.length == 0 ? "" : " after " + rest.length + " more bytes"));
            } catch (AsyncTimeoutException e) {
                out.println(who + "the server did not hang up within " + AFTER_BYE.toSeconds() + " s of BYE: closing");
            }
        } finally {
            connection.close();
            connection.writer().waitClosed();
        }
    }

    private static Coroutine<String> next(Iterator<String> lines) {
        return () -> lines.hasNext() ? lines.next() : null;
    }
}
