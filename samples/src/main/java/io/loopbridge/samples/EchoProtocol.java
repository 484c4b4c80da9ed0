package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.io.Protocol;
import io.loopbridge.io.Transport;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.loop.TimerHandle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * The echo server once more, with a {@link Protocol} and a {@link Transport} instead of coroutines
 * (the {@code EchoProtocol} of the asyncio texts): {@code loop.createServer} makes a new protocol
 * for each connection, and the loop calls it back ({@code connectionMade}, {@code dataReceived},
 * {@code connectionLost}). Nothing suspends, so what a coroutine keeps in local variables is kept
 * in fields: the partial line, and a timer ({@code loop.callLater}) for the idle timeout, set
 * again whenever data arrives. {@code BYE} ends the connection, as with {@code echo-server}, and
 * the log is the same.
 *
 * <p>{@code echo-protocol --port 8888 [--idle-timeout 10s]} serves on 127.0.0.1 until Ctrl-C;
 * without {@code --port} (the tour) it starts on a free port and runs the scripted session of
 * {@code echo-server} against itself.
 */
public final class EchoProtocol implements Sample {
    /** The longest line echoed: as a stream reader's default limit. */
    static final int MAX_LINE = 64 * 1024;

    @Override
    public String name() {
        return "echo-protocol";
    }

    @Override
    public String description() {
        return "the echo server with a Protocol and a Transport: callbacks, and a timer for the idle timeout";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, Set.of("--port", "--idle-timeout"));
        if (!options.words().isEmpty()) {
            throw new IllegalArgumentException("usage: echo-protocol [--port 8888] [--idle-timeout 10s]");
        }
        if (options.has("--port")) {
            Duration idle = options.duration("--idle-timeout", EchoServer.DEFAULT_IDLE);
            Serving.untilInterrupted(
                    () -> start(options.port("--port", 0), idle, out),
                    server -> out.println(
                            "echo protocol server on " + EchoServer.HOST + ":" + server.port() + ", idle timeout "
                                    + EchoServer.millis(idle) + "; `samples/run echo-client --port " + server.port()
                                    + "` talks to it; Ctrl-C stops it"));
            out.println("echo protocol server stopped");
            return;
        }
        Duration idle = options.duration("--idle-timeout", EchoServer.TOUR_IDLE);
        Async.run(() -> {
            Serving.Service server = start(0, idle, out);
            try {
                out.println("-- an echo server of protocols on " + EchoServer.HOST + ", a free port; idle timeout "
                        + EchoServer.millis(idle));
                EchoClient.tour(EchoServer.HOST, server.port(), idle, out);
            } finally {
                server.stop();
            }
            out.println("-- server closed");
            return null;
        });
    }

    /** Starts the server on the running loop; clients are numbered from 1 in the log. */
    static Serving.Service start(int port, Duration idle, PrintStream log) throws IOException {
        EventLoop loop = Async.loop();
        int[] clients = {0}; // the factory runs on the loop's thread only
        return Serving.of(loop.createServer(() -> new LineEcho(loop, ++clients[0], idle, log), EchoServer.HOST, port));
    }

    /** The protocol of one connection: echoes whole lines. */
    static final class LineEcho implements Protocol {
        private final EventLoop loop;
        private final String who;
        private final Duration idle;
        private final PrintStream log;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private Transport transport;
        private TimerHandle idleTimer;
        private int lines;

        LineEcho(EventLoop loop, int client, Duration idle, PrintStream log) {
            this.loop = loop;
            this.who = "[server] client " + client;
            this.idle = idle;
            this.log = log;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            restartIdleTimer();
        }

        @Override
        public void dataReceived(byte[] data) {
            restartIdleTimer();
            int from = 0;
            for (int i = 0; i < data.length; i++) {
                if (data[i] != '\n') {
                    continue;
                }
                partial.write(data, from, i + 1 - from);
                from = i + 1;
                byte[] line = partial.toByteArray();
                partial.reset();
                if (new String(line, StandardCharsets.UTF_8).strip().equals("BYE")) {
                    log.println(who + " said BYE after " + lines + " lines: disconnecting");
                    transport.close();
                    return;
                }
                transport.write(line);
                lines++;
            }
            partial.write(data, from, data.length - from);
            if (partial.size() > MAX_LINE) {
                log.println(who + " sent a line over " + MAX_LINE + " bytes: disconnecting");
                transport.close();
            }
        }

        @Override
        public boolean eofReceived() {
            log.println(who + " left after " + lines + " lines");
            return false; // the transport closes
        }

        @Override
        public void connectionLost(Throwable cause) {
            idleTimer.cancel();
            if (cause != null) {
                log.println(who + " lost: " + cause.getMessage());
            }
        }

        // a client that does not read its echoes fills our write buffer: stop reading it meanwhile
        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }

        private void restartIdleTimer() {
            if (idleTimer != null) {
                idleTimer.cancel();
            }
            idleTimer = loop.callLater(idle, () -> {
                log.println(who + " was silent for " + EchoServer.millis(idle) + ": disconnecting");
                transport.close();
            });
        }
    }
}
