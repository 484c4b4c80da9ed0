package io.loopbridge.io.internal;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.internal.IoCallback;
import io.loopbridge.internal.LoopAccess;
import io.loopbridge.io.Protocol;
import io.loopbridge.io.Transport;
import io.loopbridge.loop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A TCP connection on a non-blocking {@link SocketChannel} registered with its loop's selector
 * (asyncio's {@code _SelectorSocketTransport}).
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>Everything runs on the loop: selector readiness arrives through {@link #ready}, a loop
 *       callback; the channel's interest set is recomputed by {@link #updateInterest} from the state
 *       below whenever that state changes, so a ready key that is not wanted is never re-selected.
 *   <li>{@code connectionMade} is delivered in a callback scheduled by the constructor, before any
 *       read; {@code connectionLost} exactly once, in a callback scheduled when {@code connLost}
 *       goes from 0 to 1, which then closes the channel.
 *   <li>{@code closing} is set by {@code close}, {@code abort} and fatal errors; once set, no read
 *       is delivered and writes are dropped. A {@code close} with data buffered sends it first.
 *   <li>The write buffer pauses and resumes the protocol at its water marks ({@link WriteBuffer}).
 *   <li>Closing the loop ends the connection: {@link #loopClosing} delivers {@code connectionLost}
 *       if it has not run yet (with the cause of a pending one) and closes the channel.
 * </ol>
 */
final class SocketTransport implements Transport, IoCallback {
    private static final System.Logger LOG = System.getLogger(SocketTransport.class.getName());
    private static final LoopAccess LOOPS = LoopAccess.get();
    /** The largest single read, as asyncio's {@code max_size}. */
    static final int MAX_READ = 256 * 1024;
    /** Buffers handed to one gathering write. */
    private static final int MAX_GATHER = 64;
    /** Writes dropped after a close before each one is logged, as asyncio's {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}. */
    private static final int DROPPED_WRITES_LOG_THRESHOLD = 5;
    /**
     * One read buffer per loop thread: reads happen only in {@link #ready}, a loop callback that
     * never suspends, so no two transports use it at once.
     */
    private static final ThreadLocal<ByteBuffer> READ_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAX_READ));

    private final EventLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final SocketServer server;
    private final InetSocketAddress peername;
    private final InetSocketAddress sockname;
    private Protocol protocol;

    private final WriteBuffer<ByteBuffer> buffer =
            new WriteBuffer<>(() -> protocol.pauseWriting(), () -> protocol.resumeWriting(), this::report);
    private ByteBuffer[] gather;
    private boolean protocolConnected;
    /** The cause handed to the {@code connectionLost} that is scheduled, for {@link #loopClosing}. */
    private Throwable lostCause;

    private boolean started;
    private boolean readingPaused;
    private boolean eofReceived;
    private boolean eofWritten;
    private boolean closing;
    private int connLost;
    private int droppedWrites;
    private boolean reset;
    private int interest;

    /**
     * Takes over {@code channel} (connected, non-blocking) and schedules {@code connectionMade};
     * {@code made}, if not null, completes after it (or fails with what it threw).
     */
    SocketTransport(
            EventLoop loop, SocketChannel channel, Protocol protocol, SocketServer server, LoopFuture<Void> made)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.server = server;
        this.peername = (InetSocketAddress) channel.getRemoteAddress();
        this.sockname = (InetSocketAddress) channel.getLocalAddress();
        Selector selector = LOOPS.selector(loop);
        SelectionKey k = channel.keyFor(selector);
        if (k == null) {
            k = channel.register(selector, 0, this);
        } else {
            k.interestOps(0);
            k.attach(this);
        }
        this.key = k;
        this.protocolConnected = true;
        if (server != null) {
            server.attach(this);
        }
        loop.callSoon(() -> start(made));
    }

    EventLoop loop() {
        return loop;
    }

    private void start(LoopFuture<Void> made) {
        try {
            protocol.connectionMade(this);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            if (made != null && !made.isDone()) {
                made.setException(e); // the creator gets it: no need to report it as well
                forceClose(e);
            } else {
                fatalError(e, "Fatal error: protocol.connectionMade() call failed.");
            }
            return;
        }
        started = true;
        updateInterest();
        if (made != null && !made.isDone()) {
            made.setResult(null);
        }
    }

    // ---------------------------------------------------------------- readiness

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
        ByteBuffer in = READ_BUFFER.get();
        in.clear();
        int n;
        try {
            n = channel.read(in);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n == 0) {
            return;
        }
        if (n < 0) {
            readEof();
            return;
        }
        in.flip();
        try {
            if (protocol instanceof DirectReceiver) {
                ((DirectReceiver) protocol).dataReceived(in);
            } else {
                byte[] data = new byte[n];
                in.get(data);
                protocol.dataReceived(data);
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            fatalError(e, "Fatal error: protocol.dataReceived() call failed.");
        }
    }

    private void readEof() {
        eofReceived = true;
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            fatalError(e, "Fatal error: protocol.eofReceived() call failed.");
            return;
        }
        if (keepOpen) {
            updateInterest();
        } else {
            close();
        }
    }

    private void writeReady() {
        if (connLost > 0) {
            return;
        }
        int count = Math.min(buffer.count(), MAX_GATHER);
        if (gather == null || gather.length < count) {
            gather = new ByteBuffer[Math.max(count, 4)];
        }
        int i = 0;
        for (ByteBuffer b : buffer) {
            if (i == count) {
                break;
            }
            gather[i++] = b;
        }
        long n;
        try {
            n = channel.write(gather, 0, count);
        } catch (IOException e) {
            dropBuffer();
            fatalError(e, "Fatal write error on socket transport");
            return;
        } finally {
            Arrays.fill(gather, 0, count, null);
        }
        while (!buffer.isEmpty() && !buffer.peek().hasRemaining()) {
            buffer.poll();
        }
        buffer.sent(n); // may resume the protocol, which may write more
        if (buffer.isEmpty()) {
            updateInterest();
            if (closing) {
                connLost++;
                callConnectionLost(null);
            } else if (eofWritten) {
                shutdownOutput();
            }
        }
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        loop.checkOwner("write");
        if (eofWritten) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (length == 0) {
            return;
        }
        if (closing) {
            if (++droppedWrites >= DROPPED_WRITES_LOG_THRESHOLD) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "write() on a closed or closing transport: data dropped ({0})",
                        this);
            }
            return;
        }
        if (buffer.isEmpty()) {
            int n;
            try {
                n = channel.write(ByteBuffer.wrap(data, offset, length));
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            offset += n;
            length -= n;
            if (length == 0) {
                return;
            }
        }
        buffer.add(ByteBuffer.wrap(Arrays.copyOfRange(data, offset, offset + length)), length);
        updateInterest();
    }

    @Override
    public void writeEof() {
        loop.checkOwner("writeEof");
        if (closing || eofWritten) {
            return;
        }
        eofWritten = true;
        if (buffer.isEmpty()) {
            shutdownOutput();
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fatalError(e, "Fatal error on socket shutdown");
        }
    }

    @Override
    public void close() {
        loop.checkOwner("close");
        if (closing) {
            return;
        }
        closing = true;
        if (buffer.isEmpty()) {
            connLost++;
            loop.callSoon(() -> callConnectionLost(null));
        }
        updateInterest();
    }

    @Override
    public void abort() {
        loop.checkOwner("abort");
        reset = true;
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        loop.checkOwner("pauseReading");
        if (closing || readingPaused) {
            return;
        }
        readingPaused = true;
        updateInterest();
    }

    @Override
    public void resumeReading() {
        loop.checkOwner("resumeReading");
        if (closing || !readingPaused) {
            return;
        }
        readingPaused = false;
        updateInterest();
    }

    @Override
    public boolean isReading() {
        return !closing && !readingPaused && !eofReceived;
    }

    @Override
    public long getWriteBufferSize() {
        return buffer.size();
    }

    @Override
    public long getWriteBufferHighWaterMark() {
        return buffer.high();
    }

    @Override
    public long getWriteBufferLowWaterMark() {
        return buffer.low();
    }

    @Override
    public void setWriteBufferLimits(long high, long low) {
        loop.checkOwner("setWriteBufferLimits");
        buffer.setLimits(high, low);
    }

    @Override
    public Object getExtraInfo(String name) {
        switch (name) {
            case "peername":
                return peername;
            case "sockname":
                return sockname;
            default:
                return null;
        }
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.protocolConnected = true;
    }

    // ---------------------------------------------------------------- flow control and closing

    private void updateInterest() {
        if (!key.isValid()) {
            return;
        }
        int ops = 0;
        if (started && !closing && !readingPaused && !eofReceived) {
            ops |= SelectionKey.OP_READ;
        }
        if (!buffer.isEmpty() && connLost == 0) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    private void dropBuffer() {
        buffer.clear();
    }

    /** An I/O error ends the connection quietly (the protocol hears of it); anything else is also reported. */
    private void fatalError(Throwable e, String message) {
        if (e instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, () -> message + " (" + this + ")", e);
        } else {
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
        if (connLost > 0) {
            return;
        }
        dropBuffer();
        closing = true;
        connLost++;
        lostCause = cause;
        updateInterest();
        loop.callSoon(() -> callConnectionLost(cause));
    }

    /**
     * The loop is closing with this connection open: {@code connectionLost} now, unless it has run
     * (a pending one is dropped with the loop's callbacks, so it runs here with its cause).
     */
    @Override
    public void loopClosing() {
        if (!channel.isOpen()) {
            return; // connectionLost has run
        }
        dropBuffer();
        closing = true;
        if (connLost == 0) {
            connLost++;
        }
        callConnectionLost(lostCause);
    }

    private void callConnectionLost(Throwable cause) {
        try {
            if (protocolConnected) {
                protocolConnected = false;
                protocol.connectionLost(cause);
            }
        } finally {
            closeChannel();
            if (server != null) {
                server.detach(this);
            }
        }
    }

    private void closeChannel() {
        key.cancel();
        try {
            if (reset) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends a reset
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not set SO_LINGER to reset " + this, e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + this + " failed", e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SocketTransport[");
        sb.append(sockname).append(" -> ").append(peername);
        if (connLost > 0) {
            sb.append(" closed");
        } else if (closing) {
            sb.append(" closing");
        }
        if (readingPaused) {
            sb.append(" reading paused");
        }
        if (buffer.size() > 0) {
            sb.append(" buffered=").append(buffer.size());
        }
        return sb.append(']').toString();
    }
}
