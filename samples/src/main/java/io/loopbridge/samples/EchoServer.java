package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.io.LimitOverrunException;
import io.loopbridge.io.StreamReader;
import io.loopbridge.io.StreamWriter;
import io.loopbridge.io.Streams;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.Timeout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * The echo server of the asyncio texts: {@link Streams#startServer} runs {@code handleClient} as a
 * task of its own for each client; it echoes each line, ends the connection when the client says
 * {@code BYE}, and drops a client that says nothing for the idle timeout: {@link Async#timeout}
 * around {@code readline}, asyncio's {@code timeout()}, the newer spelling of the text's {@code
 * wait_for}. It runs {@code readline} in the handler's own task, so a failed read arrives as the
 * {@link IOException} it is ({@code Async.waitFor} would run it as a task of its own and wrap a
 * checked exception in a {@code CompletionException}). One thread serves every client.
 *
 * <p>{@code echo-server --port 8888 [--idle-timeout 10s]} serves on 127.0.0.1 until Ctrl-C; {@code
 * echo-client --port 8888}, {@code nc 127.0.0.1 8888} or Python's {@code open_connection} talk to
 * it. Without {@code --port} (the tour) it starts on a free port with an idle timeout of 200 ms,
 * runs a scripted session against itself ({@link EchoClient#tour}) and stops.
 */
@SuppressWarnings("try") // try (Timeout t = Async.timeout(...)) scopes a deadline; t itself is unused
public final class EchoServer implements Sample {
    static final String HOST = "127.0.0.1";
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(10);
    static final Duration TOUR_IDLE = Duration.ofMillis(200);

    @Override
    public String name() {
        return "echo-server";
    }

    @Override
    public String description() {
        return "a streams echo server, a coroutine per client: BYE ends the connection, a silent client is dropped";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, Set.of("--port", "--idle-timeout"));
        if (!options.words().isEmpty()) {
            throw new IllegalArgumentException("usage: echo-server [--port P] [--idle-timeout 10s]");
        }
        if (options.has("--port")) {
            Duration idle = options.duration("--idle-timeout", DEFAULT_IDLE);
            Serving.untilInterrupted(
                    () -> start(options.port("--port", 0), idle, out),
                    server -> out.println("echo server on " + HOST + ":" + server.port() + ", idle timeout "
                            + millis(idle) + "; `samples/run echo-client --port " + server.port()
                            + "` talks to it; Ctrl-C stops it"));
            out.println("echo server stopped");
            return;
        }
        Duration idle = options.duration("--idle-timeout", TOUR_IDLE);
        Async.run(() -> {
            Serving.Service server = start(0, idle, out);
            try {
                out.println("-- an echo server on " + HOST + ", a free port; idle timeout " + millis(idle));
                EchoClient.tour(HOST, server.port(), idle, out);
            } finally {
                server.stop();
            }
            out.println("-- server closed");
            return null;
        });
    }

    /** Starts the server on the running loop; clients are numbered from 1 in the log. */
    static Serving.Service start(int port, Duration idle, PrintStream log) throws IOException {
        int[] clients = {0}; // only ever touched on the loop's thread
        return Serving.of(Streams.startServer(
                (reader, writer) -> handleClient(++clients[0], reader, writer, idle, log), HOST, port));
    }

    /** {@code handle_client} of the text: echo lines until BYE, the end of the stream, or silence. */
    static void handleClient(int client, StreamReader reader, StreamWriter writer, Duration idle, PrintStream log) {
        String who = "[server] client " + client;
        int lines = 0;
        try {
            while (true) {
                byte[] data;
                try (Timeout silence = Async.timeout(idle)) {
                    data = reader.readline();
                }
                if (data.length == 0) {
                    log.println(who + " left after " + lines + " lines");
                    return;
                }
                if (new String(data, StandardCharsets.UTF_8).strip().equals("BYE")) {
                    log.println(who + " said BYE after " + lines + " lines: disconnecting");
                    return;
                }
                writer.write(data);
                writer.drain(); // suspends while the client does not read its echoes
                lines++;
            }
        } catch (AsyncTimeoutException e) {
            log.println(who + " was silent for " + millis(idle) + ": disconnecting");
        } catch (LimitOverrunException e) {
            log.println(who + " sent a line over " + reader.limit() + " bytes: disconnecting");
        } catch (IOException e) {
            log.println(who + " lost: " + e.getMessage());
        } finally {
            writer.close();
        }
    }

    static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
