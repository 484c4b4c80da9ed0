package io.loopbridge.io.internal;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.IoCallback;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.io.DatagramProtocol;
import io.loopbridge.io.DatagramTransport;
import io.loopbridge.loop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A UDP endpoint on a non-blocking {@link DatagramChannel} (asyncio's {@code
 * _SelectorDatagramTransport}): one datagram received per readiness, datagrams the socket refuses
 * queued in order, I/O errors handed to {@link DatagramProtocol#errorReceived} without closing.
 * {@code connectionLost} runs once, in a callback, after which the channel is closed (or at once
 * when the loop closes first, see {@link #loopClosing}).
 */
final class DatagramSocketTransport implements DatagramTransport, IoCallback {
    private static final LoopAccess LOOPS = LoopAccess.get();
    /** Larger than any UDP datagram (65,507 bytes of payload over IPv4). */
    private static final int MAX_DATAGRAM = 64 * 1024;

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final SelectionKey key;
    private final DatagramProtocol protocol;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
    private final WriteBuffer<Queued> buffer;
    /** The cause handed to the {@code connectionLost} that is scheduled, for {@link #loopClosing}. */
    private Throwable lostCause;

    private boolean started;
    private boolean closing;
    private boolean lost;
    private int interest;

    private record Queued(ByteBuffer data, InetSocketAddress address) {}

    DatagramSocketTransport(
            EventLoop loop,
            DatagramChannel channel,
            DatagramProtocol protocol,
            InetSocketAddress remote,
            LoopFuture<Void> made)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.buffer = new WriteBuffer<>(protocol::pauseWriting, protocol::resumeWriting, this::report);
        this.remote = remote;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.key = channel.register(LOOPS.selector(loop), 0, this);
        loop.callSoon(() -> start(made));
    }

    private void start(LoopFuture<Void> made) {
        try {
            protocol.connectionMade(this);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            made.setException(e); // the creator gets it
            forceClose(e);
            return;
        }
        started = true;
        updateInterest();
        made.setResult(null);
    }

    @Override
    public void ready(SelectionKey key, int readyOps) {
        if ((readyOps & SelectionKey.OP_READ) != 0 && (interest & SelectionKey.OP_READ) != 0) {
            readReady();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && (interest & SelectionKey.OP_WRITE) != 0) {
            writeReady();
        }
    }

    private void readReady() {
        in.clear();
        InetSocketAddress from;
        try {
            from = (InetSocketAddress) channel.receive(in);
        } catch (IOException e) {
            errorReceived(e);
            return;
        }
        if (from == null) {
            return;
        }
        byte[] data = Arrays.copyOf(in.array(), in.position());
        try {
            protocol.datagramReceived(data, from);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            fatalError(e, "Fatal error: protocol.datagramReceived() call failed.");
        }
    }

    private void writeReady() {
        while (!buffer.isEmpty() && !lost) {
            Queued q = buffer.peek();
            int n;
            try {
                n = send(q.data, q.address);
            } catch (IOException e) {
                buffer.poll();
                buffer.sent(q.data.remaining());
                errorReceived(e);
                continue;
            }
            if (n == 0) {
                return; // the socket is full again; still interested in OP_WRITE
            }
            buffer.poll();
            buffer.sent(n);
        }
        updateInterest();
        if (buffer.isEmpty() && closing && !lost) {
            lost = true;
            callConnectionLost(null);
        }
    }

    private int send(ByteBuffer data, InetSocketAddress address) throws IOException {
        return remote != null ? channel.write(data) : channel.send(data, address);
    }

    @Override
    public void sendto(byte[] data, InetSocketAddress address) {
        Objects.requireNonNull(data, "data");
        loop.checkOwner("sendto");
        if (remote != null && address != null && !address.equals(remote)) {
            throw new IllegalArgumentException("Invalid address: must be null or " + remote + ": " + address);
        }
        if (remote == null && address == null) {
            throw new IllegalArgumentException("address is null and the endpoint has no remote address");
        }
        if (closing) {
            return;
        }
        if (buffer.isEmpty()) {
            try {
                if (send(ByteBuffer.wrap(data), address) > 0 || data.length == 0) {
                    return;
                }
            } catch (IOException e) {
                errorReceived(e);
                return;
            }
        }
        buffer.add(new Queued(ByteBuffer.wrap(data.clone()), address), data.length);
        updateInterest();
    }

    @Override
    public void close() {
        loop.checkOwner("close");
        if (closing) {
            return;
        }
        closing = true;
        updateInterest();
        if (buffer.isEmpty()) {
            lost = true;
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    @Override
    public void abort() {
        loop.checkOwner("abort");
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public long getWriteBufferSize() {
        return buffer.size();
    }

    @Override
    public void setWriteBufferLimits(long high, long low) {
        loop.checkOwner("setWriteBufferLimits");
        buffer.setLimits(high, low);
    }

    @Override
    public Object getExtraInfo(String name) {
        switch (name) {
            case "sockname":
                return local;
            case "peername":
                return remote;
            default:
                return null;
        }
    }

    @Override
    public DatagramProtocol getProtocol() {
        return protocol;
    }

    private void updateInterest() {
        if (!key.isValid()) {
            return;
        }
        int ops = 0;
        if (started && !closing) {
            ops |= SelectionKey.OP_READ;
        }
        if (!buffer.isEmpty() && !lost) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    private void errorReceived(IOException e) {
        try {
            protocol.errorReceived(e);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.errorReceived() call failed.");
        }
    }

    private void fatalError(Throwable e, String message) {
        if (!(e instanceof IOException)) {
            report(message, e);
        }
        forceClose(e);
    }

    private void report(String message, Throwable e) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("message", message);
        ctx.put("exception", e);
        ctx.put("transport", this);
        ctx.put("protocol", protocol);
        loop.callExceptionHandler(ctx);
    }

    private void forceClose(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        lostCause = cause;
        buffer.clear();
        updateInterest();
        loop.callSoon(() -> callConnectionLost(cause));
    }

    /** The loop is closing with this endpoint open: {@code connectionLost} now, unless it has run. */
    @Override
    public void loopClosing() {
        if (!channel.isOpen()) {
            return;
        }
        lost = true;
        closing = true;
        buffer.clear();
        callConnectionLost(lostCause);
    }

    private void callConnectionLost(Throwable cause) {
        try {
            protocol.connectionLost(cause);
        } finally {
            key.cancel();
            Endpoints.closeQuietly(channel);
        }
    }

    @Override
    public String toString() {
        return "DatagramTransport[" + local + (remote != null ? " -> " + remote : "") + (closing ? " closing" : "")
                + (buffer.size() > 0 ? " buffered=" + buffer.size() : "") + "]";
    }
}
