package io.loopbridge.io;

import io.loopbridge.future.LoopFuture;
import io.loopbridge.io.internal.DirectReceiver;
import io.loopbridge.io.internal.Endpoints;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Task;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protocol under a stream pair (asyncio's {@code StreamReaderProtocol} with its {@code
 * FlowControlMixin}): feeds the {@link StreamReader}, keeps {@link StreamWriter#drain} waiting while
 * the transport has paused writing, and on a server starts the handler as a task per connection.
 */
final class StreamReaderProtocol implements Protocol, DirectReceiver {
    private final EventLoop loop;
    private final StreamReader reader;
    private final StreamHandler handler;
    private final LoopFuture<Void> closed;
    private final ArrayDeque<LoopFuture<Void>> drainWaiters = new ArrayDeque<>();
    private Transport transport;
    private boolean writingPaused;
    private boolean connectionLost;

    /** {@code handler} is null for a client: {@link Streams#openConnection} makes the writer itself. */
    StreamReaderProtocol(EventLoop loop, StreamReader reader, StreamHandler handler) {
        this.loop = loop;
        this.reader = reader;
        this.handler = handler;
        this.closed = loop.createFuture();
    }

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        reader.setTransport(transport);
        if (handler != null) {
            StreamWriter writer = new StreamWriter(transport, this, reader);
            Task<Void> task = loop.createTask(() -> {
                handler.handle(reader, writer);
                return null;
            });
            task.addDoneCallback(t -> {
                if (t.isCancelled()) {
                    transport.close();
                    return;
                }
                Throwable e = t.exception();
                if (e != null) {
                    Map<String, Object> ctx = new LinkedHashMap<>();
                    ctx.put("message", "Unhandled exception in the stream handler");
                    ctx.put("exception", e);
                    ctx.put("transport", transport);
                    loop.callExceptionHandler(ctx);
                    transport.close();
                }
            });
        }
    }

    @Override
    public void dataReceived(byte[] data) {
        reader.feedData(data);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        return true; // keep the connection half-open: the writer may still answer
    }

    @Override
    public void connectionLost(Throwable cause) {
        if (cause == null) {
            reader.feedEof();
            closed.setResult(null);
        } else {
            reader.setException(cause);
            closed.setException(cause);
            closed.exception(); // read: a reset nobody waits for is no unhandled error
        }
        connectionLost = true;
        for (LoopFuture<Void> w : drainWaiters) {
            if (!w.isDone()) {
                if (cause == null) {
                    w.setResult(null);
                } else {
                    w.setException(cause);
                }
            }
        }
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        for (LoopFuture<Void> w : drainWaiters) {
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    /** Suspends while writing is paused; throws once the connection is lost. */
    void drainHelper() throws IOException {
        if (connectionLost) {
            throw new SocketException("Connection lost");
        }
        if (!writingPaused) {
            return;
        }
        LoopFuture<Void> waiter = loop.createFuture();
        drainWaiters.addLast(waiter);
        try {
            Endpoints.awaitIo(waiter);
        } finally {
            drainWaiters.remove(waiter);
        }
    }

    /** Suspends until {@code connectionLost}; throws the error that ended the connection, if any. */
    void waitClosed() throws IOException {
        Endpoints.awaitIo(closed);
    }

    Transport transport() {
        return transport;
    }
}
