package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code echo_roundtrips_vs_asyncio}, {@code echo_roundtrips_vs_uvloop}, {@code
 * echo_roundtrips_vs_netty}: our streams line-echo server ({@link EchoServers.Loopbridge}) against
 * the same server on asyncio streams ({@code python/echo_server.py}, its own process) or a plain
 * Netty one ({@link EchoServers.Netty}, in the bench JVM as ours is), both loaded by the same client
 * ({@link EchoClient}, one NIO thread in a JVM of its own, kept for the whole comparison).
 *
 * <p>A round is a fixed workload, whatever {@code --round-ms}: {@value #CLIENTS} concurrent clients
 * × 2 000 line round trips each ({@code --round-ms} is ignored; {@code
 * -Dbench.echo.roundTrips=N} changes the count). Its figure is ns per round trip, so the {@code
 * RATIO} is round trips/s ours ÷ the peer's. Our server runs on the default coroutine engine
 * ({@code -Dloopbridge.engine} to choose another).
 *
 * <p>On a machine with few cores the client and the server under test compete for the CPU; the
 * client is the same for both servers, so the ratio stays fair, but the absolute figures are lower
 * than on a machine where each has a core of its own. An {@code ABS ….setup} line says so.
 */
final class EchoRoundTrips implements Comparison {
    static final int CLIENTS = 50;
    static final int ROUND_TRIPS = Integer.getInteger("bench.echo.roundTrips", 2_000);
    /** Bounds one round: the slowest peer here (asyncio) needs about 1.5 s. */
    static final long ROUND_TIMEOUT_MS = 60_000;
    /** Unmeasured runs against a JVM peer in {@link #setUp}, for its JIT. */
    static final int PEER_WARMUP_RUNS = 3;

    enum Peer {
        ASYNCIO("asyncio"),
        UVLOOP("uvloop"),
        NETTY("netty");

        final String label;

        Peer(String label) {
            this.label = label;
        }
    }

    private final Peer peer;
    private final CoroutineEngine engine = CoroutineEngine.defaultEngine();
    private EchoServers.ClientProcess client;
    private EchoServers.EchoServer ours;
    private EchoServers.EchoServer theirs;
    /**
     * Our figures of the round in progress, and per round {ours, peer} figures (see {@link
     * #peerNanosPerOp}); a figure is {ns, server process CPU ns, client CPU ns} per round trip.
     */
    private double[] lastOurs;
    private int peerCalls;
    private final List<double[][]> rounds = new ArrayList<>();

    EchoRoundTrips(Peer peer) {
        this.peer = peer;
    }

    @Override
    public String name() {
        return "echo_roundtrips_vs_" + peer.label;
    }

    @Override
    public String peerName() {
        return peer.label;
    }

    @Override
    public String opName() {
        return "roundtrip";
    }

    @Override
    public String skipReason() {
        return switch (peer) {
            case ASYNCIO -> PythonPeer.skipReason("echo_server.py", PythonPeer.Loop.ASYNCIO);
            case UVLOOP -> PythonPeer.skipReason("echo_server.py", PythonPeer.Loop.UVLOOP);
            case NETTY -> null;
        };
    }

    @Override
    public void setUp() throws Exception {
        client = new EchoServers.ClientProcess();
        ours = new EchoServers.Loopbridge(engine);
        theirs = switch (peer) {
            case ASYNCIO -> new EchoServers.Python(PythonPeer.Loop.ASYNCIO);
            case UVLOOP -> new EchoServers.Python(PythonPeer.Loop.UVLOOP);
            case NETTY -> new EchoServers.Netty(Integer.getInteger("bench.echo.nettyThreads", 1));
        };
        if (peer == Peer.NETTY) {
            // Netty's pipeline needs the JIT as ours does: without this its first rounds are still
            // warming up (the bench gives the peer one unmeasured round only).
            for (int i = 0; i < PEER_WARMUP_RUNS; i++) {
                client.run(theirs.port(), CLIENTS, ROUND_TRIPS, ROUND_TIMEOUT_MS);
            }
        }
    }

    @Override
    public double oursNanosPerOp(long millis) throws Exception {
        lastOurs = measure(ours);
        return lastOurs[0];
    }

    /** One round against {@code server}: {ns, server process CPU ns, client CPU ns} per round trip. */
    private double[] measure(EchoServers.EchoServer server) throws Exception {
        server.markCpu();
        double[] r = client.run(server.port(), CLIENTS, ROUND_TRIPS, ROUND_TIMEOUT_MS);
        long cpu = server.cpuNanosSinceMark();
        return new double[] {r[0], cpu / ((double) CLIENTS * ROUND_TRIPS), r[1]};
    }

    /**
     * The bench calls the peer once after our warm-up, then alternates ours, peer per round: every
     * later peer call closes a round whose figure for us is the last one we measured.
     */
    @Override
    public double peerNanosPerOp(long millis) throws Exception {
        double[] r = measure(theirs);
        if (peerCalls++ > 0 && lastOurs != null) {
            rounds.add(new double[][] {lastOurs, r});
        }
        return r[0];
    }

    @Override
    public List<String> extraLines() {
        List<String> lines = new ArrayList<>();
        if (!rounds.isEmpty()) {
            String[] who = {"loopbridge", peer.label};
            for (int side = 0; side < 2; side++) {
                int s = side;
                lines.add(String.format(Locale.ROOT, "ABS %s.%s_rate %.0f roundtrips/s (median%s)",
                        name(), who[s], Bench.median(column(r -> 1e9 / r[s][0])),
                        s == 0 ? "; engine " + engine.name().toLowerCase(Locale.ROOT) : ""));
            }
            for (int side = 0; side < 2; side++) {
                int s = side;
                lines.add(String.format(Locale.ROOT,
                        "ABS %s.%s_server_cpu %.0f ns/roundtrip (CPU time of the server's whole process per round trip, "
                                + "all its threads, median)",
                        name(), who[s], Bench.median(column(r -> r[s][1]))));
            }
            lines.add(String.format(Locale.ROOT,
                    "ABS %s.server_cpu_ratio %s (%s server CPU per round trip ÷ ours, median of rounds: efficiency "
                            + "whatever the client gets of the CPU)",
                    name(), Bench.fmt(Bench.median(column(r -> r[1][1] / r[0][1]))), peer.label));
            for (int side = 0; side < 2; side++) {
                int s = side;
                lines.add(String.format(Locale.ROOT,
                        "ABS %s.%s_client_cpu %.0f ns/roundtrip (CPU time of the load client per round trip, median)",
                        name(), who[s], Bench.median(column(r -> r[s][2]))));
            }
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        String servers = switch (peer) {
            case NETTY -> "both servers in the bench JVM, one event-loop thread each (Netty: NIO, "
                    + Integer.getInteger("bench.echo.nettyThreads", 1) + " thread)";
            default -> "ours in the bench JVM on one loop thread, " + peer.label + " in its own python3 process";
        };
        lines.add(String.format(Locale.ROOT,
                "ABS %s.setup %d cpus (%d clients x %d line round trips per round, %d-byte lines, 127.0.0.1; the same "
                        + "load client for both servers: one NIO thread in a JVM of its own; %s%s)",
                name(), cpus, CLIENTS, ROUND_TRIPS, EchoClient.LINE.length, servers,
                cpus <= 2 ? "; with " + cpus + " cpus client and server compete for CPU, which lowers both figures" : ""));
        return lines;
    }

    private double[] column(java.util.function.ToDoubleFunction<double[][]> f) {
        return rounds.stream().mapToDouble(f).toArray();
    }

    @Override
    public void close() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            try {
                if (theirs != null) {
                    theirs.close();
                }
            } finally {
                if (ours != null) {
                    ours.close();
                }
            }
        }
    }
}
