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
 *
 * <p>What bounds the RATIO is printed beside it: each server's CPU per round trip and its kernel
 * part ({@code …_server_sys_cpu}); {@code kernel_bound}, the peer's server CPU ÷ our kernel CPU,
 * is the CPU-efficiency ratio a server of ours with no user-space cost at all would reach; and,
 * against a Python peer, {@code netty_reference}, a plain Netty server's rate ÷ the peer's in the
 * same rounds ({@code -Dbench.echo.noReference=true} skips it).
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
     * Against a Python peer, a Netty server measured in the same rounds (not in the RATIO): the rate
     * a well-tuned JVM NIO server reaches against that peer on this machine, a bound for ours.
     */
    private EchoServers.EchoServer reference;

    private final List<Double> referenceRatios = new ArrayList<>();
    /**
     * Our figures of the round in progress, and per round {ours, peer} figures (see {@link
     * #peerNanosPerOp}); a figure is {ns, server process CPU ns, client CPU ns, server process
     * system CPU ns (negative: unknown)} per round trip.
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
        if (peer != Peer.NETTY && !Boolean.getBoolean("bench.echo.noReference")) {
            reference = new EchoServers.Netty(Integer.getInteger("bench.echo.nettyThreads", 1));
        }
        EchoServers.EchoServer jvmPeer = peer == Peer.NETTY ? theirs : reference;
        if (jvmPeer != null) {
            // Netty's pipeline needs the JIT as ours does: without this its first rounds are still
            // warming up (the bench gives the peer one unmeasured round only).
            for (int i = 0; i < PEER_WARMUP_RUNS; i++) {
                client.run(jvmPeer.port(), CLIENTS, ROUND_TRIPS, ROUND_TIMEOUT_MS);
            }
        }
    }

    @Override
    public double oursNanosPerOp(long millis) throws Exception {
        lastOurs = measure(ours);
        return lastOurs[0];
    }

    /** One round against {@code server}: {ns, server CPU ns, client CPU ns, server system CPU ns} per round trip. */
    private double[] measure(EchoServers.EchoServer server) throws Exception {
        server.markCpu();
        double[] r = client.run(server.port(), CLIENTS, ROUND_TRIPS, ROUND_TIMEOUT_MS);
        long cpu = server.cpuNanosSinceMark();
        long sys = server.sysNanosSinceMark();
        double n = (double) CLIENTS * ROUND_TRIPS;
        return new double[] {r[0], cpu / n, r[1], sys < 0 ? -1 : sys / n};
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
            if (reference != null) {
                referenceRatios.add(r[0] / measure(reference)[0]);
            }
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
                lines.add(String.format(
                        Locale.ROOT,
                        "ABS %s.%s_rate %.0f roundtrips/s (median%s)",
                        name(),
                        who[s],
                        Bench.median(column(r -> 1e9 / r[s][0])),
                        s == 0 ? "; engine " + engine.name().toLowerCase(Locale.ROOT) : ""));
            }
            for (int side = 0; side < 2; side++) {
                int s = side;
                lines.add(String.format(
                        Locale.ROOT,
                        "ABS %s.%s_server_cpu %.0f ns/roundtrip (CPU time of the server's whole process per round trip, "
                                + "all its threads, median)",
                        name(),
                        who[s],
                        Bench.median(column(r -> r[s][1]))));
            }
            lines.add(String.format(
                    Locale.ROOT,
                    "ABS %s.server_cpu_ratio %s (%s server CPU per round trip ÷ ours, median of rounds: efficiency "
                            + "whatever the client gets of the CPU)",
                    name(),
                    Bench.fmt(Bench.median(column(r -> r[1][1] / r[0][1]))),
                    peer.label));
            if (rounds.stream().allMatch(r -> r[0][3] >= 0 && r[1][3] >= 0)) {
                for (int side = 0; side < 2; side++) {
                    int s = side;
                    lines.add(String.format(
                            Locale.ROOT,
                            "ABS %s.%s_server_sys_cpu %.0f ns/roundtrip (the kernel's part of the server CPU: socket "
                                    + "syscalls and loopback TCP, 10 ms ticks, median)",
                            name(),
                            who[s],
                            Bench.median(column(r -> r[s][3]))));
                }
                lines.add(String.format(
                        Locale.ROOT,
                        "ABS %s.kernel_bound %s (%s server CPU per round trip ÷ our server's kernel CPU, median: the "
                                + "server_cpu_ratio a server of ours with no user-space cost at all would reach)",
                        name(),
                        Bench.fmt(Bench.median(column(r -> r[1][1] / r[0][3]))),
                        peer.label));
            }
            for (int side = 0; side < 2; side++) {
                int s = side;
                lines.add(String.format(
                        Locale.ROOT,
                        "ABS %s.%s_client_cpu %.0f ns/roundtrip (CPU time of the load client per round trip, median)",
                        name(),
                        who[s],
                        Bench.median(column(r -> r[s][2]))));
            }
        }
        if (!referenceRatios.isEmpty()) {
            lines.add(String.format(
                    Locale.ROOT,
                    "ABS %s.netty_reference %s (a plain Netty echo server's rate ÷ %s's, measured in the same rounds, "
                            + "median: what a well-tuned JVM NIO server reaches here, not part of the RATIO)",
                    name(),
                    Bench.fmt(Bench.median(referenceRatios.stream()
                            .mapToDouble(Double::doubleValue)
                            .toArray())),
                    peer.label));
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        String servers = switch (peer) {
            case NETTY ->
                "both servers in the bench JVM, one event-loop thread each (Netty: NIO, "
                        + Integer.getInteger("bench.echo.nettyThreads", 1) + " thread)";
            default -> "ours in the bench JVM on one loop thread, " + peer.label + " in its own python3 process";
        };
        lines.add(String.format(
                Locale.ROOT,
                "ABS %s.setup %d cpus (%d clients x %d line round trips per round, %d-byte lines, 127.0.0.1; the same "
                        + "load client for both servers: one NIO thread in a JVM of its own; %s%s)",
                name(),
                cpus,
                CLIENTS,
                ROUND_TRIPS,
                EchoClient.LINE.length,
                servers,
                cpus <= 2
                        ? "; with " + cpus + " cpus client and server compete for CPU, which lowers both figures"
                        : ""));
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
                if (reference != null) {
                    reference.close();
                }
            } finally {
                if (ours != null) {
                    ours.close();
                }
            }
        }
    }
}
