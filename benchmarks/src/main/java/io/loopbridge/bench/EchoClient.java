package io.loopbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The load client of the echo comparisons ({@code echo_roundtrips_vs_*}), run in a JVM of its own
 * (started by {@link EchoServers.ClientProcess}) so it takes neither JIT nor GC time from the server
 * measured. The same client, in the same process, measures every server of a comparison.
 *
 * <p>One run: open {@code clients} connections to {@code 127.0.0.1:port}, then each client writes a
 * line, reads its echo, and repeats, {@code roundTrips} times; all clients are in flight at once.
 * The time from the first write to the last echo, divided by {@code clients × roundTrips}, is the
 * answer, in ns per round trip, with the client's own CPU time per round trip. Every echoed byte is
 * checked. The client is one thread with a
 * {@link Selector} over the connections: on 2 cores the server under test gets the other one.
 *
 * <pre>
 * EchoClient --serve
 *     prints "ready", then for each stdin line "run PORT CLIENTS ROUNDTRIPS [TIMEOUT_MS]" prints
 *     "&lt;ns per round trip&gt; &lt;client CPU ns per round trip&gt;" or "error: ..."; "quit" or EOF ends.
 * EchoClient PORT CLIENTS ROUNDTRIPS
 *     one run, prints round trips per second.
 * </pre>
 */
public final class EchoClient {
    /** 32 bytes with the newline: a short request line, as in the asyncio echo examples. */
    static final byte[] LINE = "loopbridge echo round trip 0123\n".getBytes(StandardCharsets.US_ASCII);

    static final long DEFAULT_TIMEOUT_MS = 60_000;

    private EchoClient() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        if (args.length == 1 && args[0].equals("--serve")) {
            serve(out);
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: EchoClient --serve | EchoClient PORT CLIENTS ROUNDTRIPS");
            System.exit(2);
        }
        int clients = Integer.parseInt(args[1]);
        int roundTrips = Integer.parseInt(args[2]);
        double[] r = run(Integer.parseInt(args[0]), clients, roundTrips, DEFAULT_TIMEOUT_MS);
        out.printf(
                Locale.ROOT,
                "%.0f round trips/s (%.1f ns per round trip, client CPU %.1f ns per round trip, %d clients x %d)%n",
                1e9 / r[0],
                r[0],
                r[1],
                clients,
                roundTrips);
    }

    private static void serve(PrintStream out) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("ready");
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 1 && w[0].equals("quit")) {
                break;
            }
            try {
                if (!w[0].equals("run") || w.length < 4 || w.length > 5) {
                    throw new IllegalArgumentException(
                            "expected 'run PORT CLIENTS ROUNDTRIPS [TIMEOUT_MS]' or 'quit', got '" + line.trim() + "'");
                }
                long timeout = w.length == 5 ? Long.parseLong(w[4]) : DEFAULT_TIMEOUT_MS;
                double[] r = run(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]), timeout);
                out.printf(Locale.ROOT, "%.3f %.3f%n", r[0], r[1]);
            } catch (IOException | RuntimeException e) {
                out.println("error: " + String.valueOf(e).replace('\n', ' '));
            }
            out.flush();
        }
    }

    /** One connection's state. */
    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer out = ByteBuffer.allocateDirect(LINE.length);
        final ByteBuffer in = ByteBuffer.allocateDirect(4096);
        SelectionKey key;
        /** Bytes of the current echo received so far. */
        int got;
        /** Round trips still to start. */
        int left;

        Conn(SocketChannel channel, int roundTrips) {
            this.channel = channel;
            this.left = roundTrips;
            out.put(LINE).flip();
        }
    }

    /**
     * One run; returns ns per round trip and the CPU ns of this (single-threaded) client per round
     * trip.
     *
     * @throws IOException if a connection fails, an echo differs from the line sent, or the run
     *     takes longer than {@code timeoutMillis}
     */
    static double[] run(int port, int clients, int roundTrips, long timeoutMillis) throws IOException {
        if (clients < 1 || roundTrips < 1) {
            throw new IllegalArgumentException("clients and round trips must be positive");
        }
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        Conn[] conns = new Conn[clients];
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < clients; i++) {
                    SocketChannel ch = SocketChannel.open();
                    conns[i] = new Conn(ch, roundTrips);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.connect(server); // blocking: all connected before the clock starts
                    ch.configureBlocking(false);
                    conns[i].key = ch.register(selector, SelectionKey.OP_READ, conns[i]);
                }
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (Conn c : conns) {
                    send(c);
                }
                int[] running = {clients};
                IOException[] failure = {null};
                while (running[0] > 0) {
                    long waitMs = (deadline - System.nanoTime()) / 1_000_000L;
                    if (waitMs <= 0) {
                        throw new IOException("timed out after " + timeoutMillis + " ms with " + running[0] + " of "
                                + clients + " clients unfinished");
                    }
                    selector.select(
                            key -> {
                                if (failure[0] != null) {
                                    return;
                                }
                                try {
                                    if (ready((Conn) key.attachment(), key)) {
                                        running[0]--;
                                    }
                                } catch (IOException e) {
                                    failure[0] = e;
                                }
                            },
                            waitMs);
                    if (failure[0] != null) {
                        throw failure[0];
                    }
                }
                long elapsed = System.nanoTime() - start;
                long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
                double ops = (double) clients * roundTrips;
                return new double[] {elapsed / ops, cpu / ops};
            } finally {
                for (Conn c : conns) {
                    if (c != null) {
                        c.channel.close();
                    }
                }
            }
        }
    }

    /** Starts a round trip: writes the line. */
    private static void send(Conn c) throws IOException {
        c.left--;
        c.out.clear();
        c.channel.write(c.out);
        if (c.out.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /** Handles a ready connection; returns whether it has just finished its last round trip. */
    private static boolean ready(Conn c, SelectionKey key) throws IOException {
        if (key.isWritable()) {
            c.channel.write(c.out);
            if (!c.out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }
        if (!key.isReadable()) {
            return false;
        }
        ByteBuffer in = c.in;
        in.clear();
        int n = c.channel.read(in);
        if (n < 0) {
            throw new IOException("the server closed a connection after " + c.got + " bytes of an echo");
        }
        for (int i = 0; i < n; i++) {
            if (c.got >= LINE.length || in.get(i) != LINE[c.got]) {
                throw new IOException("wrong echo: byte " + c.got + " is " + in.get(i));
            }
            c.got++;
        }
        if (c.got < LINE.length) {
            return false;
        }
        c.got = 0;
        if (c.left == 0) {
            key.interestOps(0);
            return true;
        }
        send(c);
        return false;
    }
}
