package io.loopbridge.samples;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/** Plain blocking sockets as the tests' clients. */
final class Sockets {
    private Sockets() {}

    /**
     * Whether the server ends the connection within 10 s, reading and dropping what it still
     * sends: an end of stream, or a reset (the server closed with bytes of ours unread).
     */
    static boolean disconnected(Socket socket) throws IOException {
        socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
        try {
            byte[] sink = new byte[8192];
            while (socket.getInputStream().read(sink) >= 0) {
                // drop it
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }
}
