package io.loopbridge.io;

import static io.loopbridge.io.Bytes.b;
import static io.loopbridge.io.Bytes.port;
import static io.loopbridge.io.Bytes.s;
import static io.loopbridge.io.Bytes.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.future.LoopFuture;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import java.io.ByteArrayOutputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Transports and protocols ({@code loop.createServer}, {@code loop.createConnection}), as asyncio's
 * documentation describes them: the order of the protocol's callbacks, flow control in both
 * directions, half-close, close and abort. On 127.0.0.1, port 0; every test runs on each engine.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransportTest {
    static final String HOST = "127.0.0.1";

    /** The echo protocol of the asyncio texts: writes back what it receives. */
    static final class EchoProtocol implements Protocol {
        Transport transport;

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }
    }

    /** Records every callback as a step, and what was received. */
    static class Recorder implements Protocol {
        final String name;
        final List<String> steps;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final LoopFuture<Throwable> lost = EventLoop.running().createFuture();
        boolean keepOpenOnEof;
        Transport transport;

        Recorder(String name, List<String> steps) {
            this.name = name;
            this.steps = steps;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            steps.add(name + " connectionMade");
        }

        @Override
        public void dataReceived(byte[] data) {
            if (received.size() == 0) {
                steps.add(name + " dataReceived");
            }
            received.write(data, 0, data.length);
        }

        @Override
        public boolean eofReceived() {
            steps.add(name + " eofReceived '" + (received.size() <= 100 ? text() : received.size() + " bytes") + "'");
            return keepOpenOnEof;
        }

        @Override
        public void connectionLost(Throwable cause) {
            steps.add(name + " connectionLost "
                    + (cause == null ? "null" : cause.getClass().getSimpleName()));
            lost.setResult(cause);
        }

        @Override
        public void pauseWriting() {
            steps.add(name + " pauseWriting");
        }

        @Override
        public void resumeWriting() {
            steps.add(name + " resumeWriting");
        }

        String text() {
            return s(received.toByteArray());
        }
    }

    @AllEngines
    void theEchoProtocolOfTheTextsAnswersWhatItIsSent(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        String echoed = Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            Server server = loop.createServer(EchoProtocol::new, HOST, 0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));

            client.transport().write(b("Hello, World!\n"));
            until(() -> client.protocol().received.size() == 14);
            client.transport().close();
            Async.await(client.protocol().lost);
            server.close();
            server.waitClosed();
            return client.protocol().text();
        });

        assertThat(echoed).isEqualTo("Hello, World!\n");
        assertThat(steps).containsExactly("client connectionMade", "client dataReceived", "client connectionLost null");
    }

    @AllEngines
    void aHalfClosedConnectionCanStillAnswer(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            Server server = loop.createServer(
                    () -> new Recorder("server", steps) {
                        @Override
                        public boolean eofReceived() {
                            super.eofReceived();
                            transport.write(b("got " + text()));
                            transport.close();
                            return true;
                        }
                    },
                    HOST,
                    0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));

            assertThat(client.transport().canWriteEof()).isTrue();
            client.transport().write(b("question"));
            client.transport().writeEof();
            assertThatIllegalStateException()
                    .isThrownBy(() -> client.transport().write(b("more")))
                    .withMessage("Cannot call write() after writeEof()");
            Async.await(client.protocol().lost);
            server.close();
            server.waitClosed();
            return null;
        });

        assertThat(steps)
                .containsSubsequence(
                        "server connectionMade",
                        "server dataReceived",
                        "server eofReceived 'question'",
                        "server connectionLost null");
        assertThat(steps)
                .containsSubsequence(
                        "client connectionMade",
                        "client dataReceived",
                        "client eofReceived 'got question'",
                        "client connectionLost null");
    }

    @AllEngines
    void pauseReadingHoldsDataBackUntilResumeReading(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            LoopFuture<Recorder> accepted = loop.createFuture();
            Server server = loop.createServer(
                    () -> new Recorder("server", steps) {
                        @Override
                        public void connectionMade(Transport transport) {
                            super.connectionMade(transport);
                            transport.pauseReading();
                            accepted.setResult(this);
                        }
                    },
                    HOST,
                    0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));
            Recorder serverSide = Async.await(accepted);

            client.transport().write(b("held back"));
            Async.sleep(Duration.ofMillis(50));
            assertThat(serverSide.transport.isReading()).isFalse();
            assertThat(serverSide.received.size()).isZero();

            steps.add("resumeReading");
            serverSide.transport.resumeReading();
            until(() -> serverSide.received.size() == 9);
            assertThat(serverSide.transport.isReading()).isTrue();

            client.transport().close();
            Async.await(serverSide.lost);
            server.close();
            server.waitClosed();
            return null;
        });

        assertThat(steps).containsSubsequence("server connectionMade", "resumeReading", "server dataReceived");
    }

    @AllEngines
    void aPeerResetEndsTheConnectionWithConnectionLostCalledOnceWithTheCause(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        Throwable cause = Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            LoopFuture<Recorder> accepted = loop.createFuture();
            Server server = loop.createServer(
                    () -> {
                        Recorder r = new Recorder("server", steps);
                        accepted.setResult(r);
                        return r;
                    },
                    HOST,
                    0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));
            Recorder serverSide = Async.await(accepted);
            until(() -> serverSide.transport != null);

            client.transport().write(b("unread"));
            client.transport().abort();
            assertThat(client.transport().isClosing()).isTrue();
            Throwable serverCause = Async.await(serverSide.lost);
            Async.await(client.protocol().lost);
            Async.sleep(Duration.ofMillis(20)); // room for a second connectionLost, which must not come
            server.close();
            server.waitClosed();
            return serverCause;
        });

        assertThat(cause).isInstanceOf(SocketException.class);
        assertThat(steps).containsOnlyOnce("client connectionLost null", "server connectionLost SocketException");
    }

    @AllEngines
    void theWriteBufferPausesAndResumesTheProtocolAtItsWaterMarks(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        long[] sizes = new long[2];
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            LoopFuture<Recorder> accepted = loop.createFuture();
            Server server = loop.createServer(
                    () -> new Recorder("server", steps) {
                        @Override
                        public void connectionMade(Transport transport) {
                            super.connectionMade(transport);
                            transport.pauseReading();
                            accepted.setResult(this);
                        }
                    },
                    HOST,
                    0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));
            Recorder serverSide = Async.await(accepted);
            Transport out = client.transport();
            out.setWriteBufferLimits(64 * 1024, 16 * 1024);
            assertThat(out.getWriteBufferHighWaterMark()).isEqualTo(64 * 1024);
            assertThat(out.getWriteBufferLowWaterMark()).isEqualTo(16 * 1024);

            byte[] chunk = new byte[64 * 1024];
            long written = 0;
            while (!steps.contains("client pauseWriting") && written < 256L * 1024 * 1024) {
                out.write(chunk);
                written += chunk.length;
            }
            sizes[0] = out.getWriteBufferSize();
            steps.add("reader resumes");
            serverSide.transport.resumeReading();
            long total = written;
            until(() -> steps.contains("client resumeWriting"));
            sizes[1] = out.getWriteBufferSize();
            until(() -> serverSide.received.size() == total);
            out.close();
            Async.await(serverSide.lost);
            server.close();
            server.waitClosed();
            return null;
        });

        assertThat(steps).containsSubsequence("client pauseWriting", "reader resumes", "client resumeWriting");
        assertThat(steps).containsOnlyOnce("client pauseWriting", "client resumeWriting");
        assertThat(sizes[0]).isGreaterThan(64 * 1024);
        assertThat(sizes[1]).isLessThanOrEqualTo(16 * 1024);
    }

    @AllEngines
    void closeSendsWhatIsBufferedBeforeClosing(CoroutineEngine engine) {
        List<String> steps = new ArrayList<>();
        int size = 4 * 1024 * 1024;
        int received = Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            LoopFuture<Recorder> accepted = loop.createFuture();
            Server server = loop.createServer(
                    () -> new Recorder("server", steps) {
                        @Override
                        public void connectionMade(Transport transport) {
                            super.connectionMade(transport);
                            transport.pauseReading();
                            accepted.setResult(this);
                        }
                    },
                    HOST,
                    0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));
            Recorder serverSide = Async.await(accepted);

            client.transport().write(new byte[size]);
            assertThat(client.transport().getWriteBufferSize())
                    .as("the kernel did not take it all")
                    .isPositive();
            client.transport().close();
            assertThat(client.transport().isClosing()).isTrue();
            Async.sleep(Duration.ofMillis(20));
            assertThat(client.protocol().lost.isDone())
                    .as("connectionLost waits for the buffer")
                    .isFalse();

            serverSide.transport.resumeReading();
            Async.await(serverSide.lost);
            Async.await(client.protocol().lost);
            server.close();
            server.waitClosed();
            return serverSide.received.size();
        });

        assertThat(received).isEqualTo(size);
        assertThat(steps).containsSubsequence("server eofReceived '4194304 bytes'", "server connectionLost null");
        assertThat(steps).contains("client connectionLost null");
    }

    @AllEngines
    void aProtocolThatThrowsInDataReceivedIsReportedAndItsConnectionAborted(CoroutineEngine engine) {
        List<Map<String, Object>> reported = new ArrayList<>();
        Throwable cause = Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            loop.setExceptionHandler((l, context) -> reported.add(context));
            List<String> steps = new ArrayList<>();
            LoopFuture<Recorder> accepted = loop.createFuture();
            Server server = loop.createServer(
                    () -> {
                        Recorder r = new Recorder("server", steps) {
                            @Override
                            public void dataReceived(byte[] data) {
                                throw new IllegalStateException("protocol bug");
                            }
                        };
                        accepted.setResult(r);
                        return r;
                    },
                    HOST,
                    0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", steps), HOST, port(server));
            client.transport().write(b("boom"));
            Throwable serverCause = Async.await(Async.await(accepted).lost);
            Async.await(client.protocol().lost);
            server.close();
            server.waitClosed();
            return serverCause;
        });

        assertThat(cause).isInstanceOf(IllegalStateException.class).hasMessage("protocol bug");
        assertThat(reported).singleElement().satisfies(ctx -> {
            assertThat(ctx.get("message")).isEqualTo("Fatal error: protocol.dataReceived() call failed.");
            assertThat(ctx.get("exception")).isSameAs(cause);
        });
    }

    @AllEngines
    void badArgumentsAndCallsFromOtherThreadsAreRejected(CoroutineEngine engine) {
        Async.run(engine, () -> {
            EventLoop loop = Async.loop();
            Server server = loop.createServer(EchoProtocol::new, HOST, 0);
            TransportPair<Recorder> client =
                    loop.createConnection(() -> new Recorder("client", new ArrayList<>()), HOST, port(server));
            Transport t = client.transport();

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> t.setWriteBufferLimits(10, 20))
                    .withMessage("high (10) must be >= low (20) must be >= 0");
            assertThat(Async.await(CompletableFuture.supplyAsync(
                            () -> { // awaited: join() would block the loop
                                try {
                                    t.write(b("x"));
                                    return null;
                                } catch (IllegalStateException e) {
                                    return e.getMessage();
                                }
                            })))
                    .contains("write() was called from thread")
                    .contains("callSoonThreadsafe");
            assertThat(t.getProtocol()).isSameAs(client.protocol());

            t.close();
            Async.await(client.protocol().lost);
            server.close();
            server.waitClosed();
            return null;
        });
    }
}
