package io.loopbridge.io;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.loopbridge.Async;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small helpers of the I/O tests: text to bytes and back, the port a server listens on, polling. */
final class Bytes {
    private Bytes() {}

    static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    static String s(byte[] data) {
        return new String(data, UTF_8);
    }

    /** The port of the first socket of {@code server}, which listens on 127.0.0.1 port 0 in every test. */
    static int port(Server server) {
        InetSocketAddress address = server.sockets().get(0);
        return address.getPort();
    }

    /** Suspends until {@code condition} holds, checking every millisecond; fails after 5 s. */
    static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Async.sleep(Duration.ofMillis(1));
        }
    }
}
