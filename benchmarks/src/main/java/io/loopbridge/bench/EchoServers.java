package io.loopbridge.bench;

import io.loopbridge.Async;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.io.Server;
import io.loopbridge.io.StreamReader;
import io.loopbridge.io.StreamWriter;
import io.loopbridge.io.Streams;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The line-echo servers of the {@code echo_roundtrips_vs_*} comparisons, all on 127.0.0.1 with a
 * port the system picks, and the process of the load client ({@link EchoClient}) that measures
 * them.
 */
final class EchoServers {
    static final String HOST = "127.0.0.1";

    private EchoServers() {}

    /** A running echo server. */
    interface EchoServer extends AutoCloseable {
        int port();

        /** Starts a CPU-time measurement of the process the server runs in (see {@link #cpuNanosSinceMark}). */
        void markCpu() throws IOException;

        /**
         * CPU time used since {@link #markCpu} by the whole process the server runs in (all its
         * threads: JIT and GC included; for a server in the bench JVM, the bench's idle threads too),
         * in ns.
         */
        long cpuNanosSinceMark() throws IOException;

        /**
         * The part of {@link #cpuNanosSinceMark} spent in the kernel (system time: the socket
         * syscalls and, on loopback, the TCP work of the writes), in ns at the kernel's tick
         * resolution (10 ms); -1 where the platform does not tell.
         */
        long sysNanosSinceMark() throws IOException;

        /** Stops the server and its connections; bounded in time. */
        @Override
        void close();
    }

    /**
     * The handler of our server: asyncio's streams echo, line by line, until the client closes.
     * {@code python/echo_server.py} has the same loop.
     */
    static void echo(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            byte[] line;
            while ((line = reader.readline()).length > 0) {
                writer.write(line);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    /**
     * {@code Streams.startServer(EchoServers::echo, "127.0.0.1", 0)} in a task of one event loop on
     * a platform thread of the bench JVM: one loop does the accepting and all the I/O, as one asyncio
     * loop does.
     */
    static final class Loopbridge implements EchoServer {
        private final JvmCpu cpu = new JvmCpu();
        private final Thread thread;
        private final int port;
        private volatile EventLoop loop;
        private volatile LoopFuture<Void> stop;

        Loopbridge(CoroutineEngine engine) throws IOException {
            CompletableFuture<Integer> bound = new CompletableFuture<>();
            thread = new Thread(
                    () -> {
                        EventLoop l = new EventLoop(engine);
                        loop = l;
                        try {
                            l.runUntilComplete(l.createTask(
                                    () -> {
                                        stop = Async.loop().createFuture();
                                        Server server = Streams.startServer(EchoServers::echo, HOST, 0);
                                        bound.complete(server.sockets().get(0).getPort());
                                        try {
                                            Async.await(stop);
                                        } finally {
                                            server.close();
                                            server.closeClients();
                                            Async.waitFor(
                                                    Async.loop().createTask(() -> {
                                                        server.waitClosed();
                                                        return null;
                                                    }),
                                                    Duration.ofSeconds(5));
                                        }
                                        return null;
                                    },
                                    "echo-server"));
                        } catch (Throwable e) {
                            bound.completeExceptionally(e);
                        } finally {
                            l.close();
                        }
                    },
                    "bench-echo-loopbridge");
            thread.setDaemon(true);
            thread.start();
            port = awaitPort(bound, "the loopbridge echo server");
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void markCpu() {
            cpu.mark();
        }

        @Override
        public long cpuNanosSinceMark() {
            return cpu.nanosSinceMark();
        }

        @Override
        public long sysNanosSinceMark() {
            return cpu.sysNanosSinceMark();
        }

        @Override
        public void close() {
            EventLoop l = loop;
            if (l != null && !l.isClosed()) {
                try {
                    l.callSoonThreadsafe(() -> {
                        if (stop != null && !stop.isDone()) {
                            stop.setResult(null);
                        }
                    });
                } catch (RuntimeException closedMeanwhile) {
                    // the loop ended on its own
                }
            }
            join(thread);
        }
    }

    /**
     * A plain Netty echo server: {@link LineBasedFrameDecoder} (64 KiB limit, as our readline's,
     * newline kept) and a handler that writes each line back, flushing when a read batch is done
     * (Netty's own echo example does the same). NIO transport, one event-loop thread for accepting
     * and all I/O by default, as our server has one loop; {@code -Dbench.echo.nettyThreads=N} for
     * more.
     */
    static final class Netty implements EchoServer {
        private final JvmCpu cpu = new JvmCpu();
        private final EventLoopGroup group;
        private final Channel listener;
        private final int port;

        Netty(int threads) throws IOException {
            group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
            try {
                ServerBootstrap b = new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline()
                                        .addLast(
                                                new LineBasedFrameDecoder(StreamReader.DEFAULT_LIMIT, false, false),
                                                NettyEcho.INSTANCE);
                            }
                        });
                listener = b.bind(HOST, 0).syncUninterruptibly().channel();
                port = ((InetSocketAddress) listener.localAddress()).getPort();
            } catch (RuntimeException e) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw new IOException("the Netty echo server did not start", e);
            }
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void markCpu() {
            cpu.mark();
        }

        @Override
        public long cpuNanosSinceMark() {
            return cpu.nanosSinceMark();
        }

        @Override
        public long sysNanosSinceMark() {
            return cpu.sysNanosSinceMark();
        }

        @Override
        public void close() {
            try {
                listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            } finally {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
    }

    @ChannelHandler.Sharable
    static final class NettyEcho extends ChannelInboundHandlerAdapter {
        static final NettyEcho INSTANCE = new NettyEcho();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** {@code python/echo_server.py} in a process of its own. */
    static final class Python implements EchoServer {
        private final PythonPeer peer;
        private final int port;
        private long marked;
        private long markedSys;

        Python(PythonPeer.Loop loop) throws IOException {
            peer = PythonPeer.start("echo_server.py", loop);
            try {
                port = Integer.parseInt(peer.ask("port"));
            } catch (IOException | RuntimeException e) {
                peer.close();
                throw e;
            }
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void markCpu() throws IOException {
            marked = cpuNanos("cpu");
            markedSys = cpuNanos("sys");
        }

        @Override
        public long cpuNanosSinceMark() throws IOException {
            return cpuNanos("cpu") - marked;
        }

        @Override
        public long sysNanosSinceMark() throws IOException {
            return cpuNanos("sys") - markedSys;
        }

        /**
         * {@code cpu}: {@code time.process_time()} of the Python process (all its threads, ns
         * resolution); {@code sys}: its system time ({@code os.times().system}).
         */
        private long cpuNanos(String command) throws IOException {
            String answer = peer.ask(command);
            try {
                return Math.round(Double.parseDouble(answer) * 1e9);
            } catch (NumberFormatException e) {
                throw new IOException("echo_server.py answered '" + answer + "' to '" + command + "'");
            }
        }

        @Override
        public void close() {
            peer.close();
        }
    }

    /**
     * The load client, {@link EchoClient}{@code --serve}, in a JVM of its own (same {@code java}
     * and class path as the bench; {@code -Dbench.echo.clientJavaOpts} replaces its JVM options).
     */
    static final class ClientProcess implements AutoCloseable {
        static final String DEFAULT_OPTS = "-Xms128m -Xmx128m -XX:+UseSerialGC -XX:+AlwaysPreTouch";

        private final Process process;
        private final BufferedReader out;
        private final Writer in;

        ClientProcess() throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String opts = System.getProperty("bench.echo.clientJavaOpts", DEFAULT_OPTS)
                    .trim();
            if (!opts.isEmpty()) {
                cmd.addAll(Arrays.asList(opts.split("\\s+")));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EchoClient.class.getName(), "--serve"));
            process = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String first = out.readLine();
            if (!"ready".equals(first)) {
                close();
                throw new IOException("the echo client process did not start: " + first);
            }
        }

        /** One run against {@code port}: ns per round trip and the client's CPU ns per round trip. */
        double[] run(int port, int clients, int roundTrips, long timeoutMillis) throws IOException {
            in.write("run " + port + " " + clients + " " + roundTrips + " " + timeoutMillis + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the echo client process exited; see its stderr above");
            }
            try {
                String[] w = line.strip().split(" ");
                return new double[] {Double.parseDouble(w[0]), Double.parseDouble(w[1])};
            } catch (RuntimeException e) {
                throw new IOException("the echo client answered: " + line);
            }
        }

        @Override
        public void close() {
            try {
                in.write("quit\n");
                in.close();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /**
     * CPU time of this JVM, all threads (user and system), between {@link #mark} and {@link
     * #nanosSinceMark}. On Linux from {@code /proc/self/task/<tid>/schedstat} (ns resolution): per
     * thread, the time since the mark (all of it for a thread started since); a thread that ended
     * meanwhile loses its share. Elsewhere the {@code OperatingSystemMXBean}'s process CPU time
     * (10 ms resolution on Linux, hence not used there).
     */
    static final class JvmCpu {
        private static final Path TASKS = Path.of("/proc/self/task");
        /** Clock ticks per second of /proc/PID/task/TID/stat: USER_HZ, 100 on every Linux build. */
        private static final long TICK_NANOS = 10_000_000L;

        private Map<String, Long> marked = Map.of();
        private long markedTotal;
        private Map<String, Long> markedSys = Map.of();

        void mark() {
            marked = perThread();
            markedTotal = processTotal();
            markedSys = sysPerThread();
        }

        /** System time since the mark, summed over threads as {@link #nanosSinceMark}; -1 without /proc. */
        long sysNanosSinceMark() {
            Map<String, Long> now = sysPerThread();
            if (now.isEmpty() || markedSys.isEmpty()) {
                return -1;
            }
            long ticks = 0;
            for (Map.Entry<String, Long> e : now.entrySet()) {
                ticks += Math.max(0, e.getValue() - markedSys.getOrDefault(e.getKey(), 0L));
            }
            return ticks * TICK_NANOS;
        }

        /** Thread id → system time in ticks (field 15 of its stat); empty when /proc is not there. */
        private static Map<String, Long> sysPerThread() {
            return perThread("stat", stat -> {
                // from the state (field 3) on, after "(comm)", which may hold spaces: stime (15) is index 12
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[12]);
            });
        }

        long nanosSinceMark() {
            Map<String, Long> now = perThread();
            if (now.isEmpty() || marked.isEmpty()) {
                return processTotal() - markedTotal;
            }
            long sum = 0;
            for (Map.Entry<String, Long> e : now.entrySet()) {
                sum += Math.max(0, e.getValue() - marked.getOrDefault(e.getKey(), 0L));
            }
            return sum;
        }

        private static long processTotal() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        /** Thread id → ns on CPU; empty when /proc is not there. */
        private static Map<String, Long> perThread() {
            return perThread("schedstat", stat -> Long.parseLong(stat.substring(0, stat.indexOf(' '))));
        }

        /** Thread id → {@code parse} of the thread's {@code file} under /proc/self/task; empty when /proc is not there. */
        private static Map<String, Long> perThread(String file, java.util.function.ToLongFunction<String> parse) {
            Map<String, Long> m = new HashMap<>();
            if (!Files.isDirectory(TASKS)) {
                return m;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(TASKS)) {
                for (Path t : ds) {
                    try {
                        m.put(t.getFileName().toString(), parse.applyAsLong(Files.readString(t.resolve(file))));
                    } catch (IOException | RuntimeException ended) {
                        // the thread ended while we looked
                    }
                }
            } catch (IOException e) {
                m.clear();
            }
            return m;
        }
    }

    private static int awaitPort(CompletableFuture<Integer> bound, String what) throws IOException {
        try {
            return bound.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(what + " did not start", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + " did not start within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + what);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            System.err.println("[bench] " + t.getName() + " did not stop within 15 s");
        }
    }
}
