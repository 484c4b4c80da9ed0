package io.loopbridge.testing.blockhound;

import io.loopbridge.loop.EventLoop;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound for the test runs (JDK 21+, installed by {@code blockhound-junit-platform}; see the
 * {@code blockhound} profile): a thread that runs an event loop, or a coroutine the loop handed
 * control to, must never block.
 *
 * <ol>
 *   <li>Non-blocking threads: those for which {@link EventLoop#running()} is set. Any thread may
 *       run a loop for a while and then stop, so every thread is re-evaluated at each blocking
 *       call (BlockHound's dynamic threads) rather than once.
 *   <li>The loop's own, deliberate waits are allowed: {@code EventLoop.poll} (the selector, or
 *       park when nothing is registered: the loop is idle) and the hand-off of the thread-based
 *       engines ({@code ThreadFiber.resume}/{@code suspend}: the loop thread parks exactly while
 *       its coroutine runs, and the other way round; {@code EventLoop.awaitTurn} and {@code awaitResume}: a thread waits
 *       for the loop's role while another holds it).
 *   <li>On a virtual thread, parking and sleeping never reach the methods BlockHound watches, so
 *       they are marked blocking here too: a coroutine of the virtual engine that sleeps or waits
 *       on a lock blocks its loop like any other.
 *   <li>Every detection is recorded ({@link BlockingCalls}) as well as thrown: the loop reports an
 *       exception of a callback to its exception handler, where a test would not see it. Inside a
 *       static initializer it is only recorded: an error there would break the class for good.
 * </ol>
 */
public final class LoopbridgeBlockHoundIntegration implements BlockHoundIntegration {
    @Override
    public void applyTo(BlockHound.Builder builder) {
        EventLoop.running(); // load and initialize EventLoop now, not inside the first check
        builder.dynamicThreadPredicate(any -> any.or(t -> true));
        builder.nonBlockingThreadPredicate(p -> p.or(t -> EventLoop.running() != null));

        builder.allowBlockingCallsInside("io.loopbridge.loop.EventLoop", "poll");
        builder.allowBlockingCallsInside("io.loopbridge.task.internal.ThreadFiber", "resume");
        builder.allowBlockingCallsInside("io.loopbridge.task.internal.ThreadFiber", "suspend");
        // the loop as a role (thread engines): a thread that handed the role on waits for it to come back,
        // exactly while another thread holds the loop; closing the loop waits for its threads to end
        builder.allowBlockingCallsInside("io.loopbridge.loop.EventLoop", "awaitTurn");
        builder.allowBlockingCallsInside("io.loopbridge.loop.EventLoop", "awaitResume");
        builder.allowBlockingCallsInside("io.loopbridge.loop.EventLoop", "endRoleThread");
        // a fused publisher's generator at zero demand watches for the next request for up to 20 us while
        // nothing else wants the loop, as the idle loop itself does in poll (Thread.onSpinWait counts here)
        builder.allowBlockingCallsInside(
                "io.loopbridge.reactive.PublisherFromAsyncGenerator$Emission", "spinForDemand");

        // Caught on loop threads in library paths, and allowed for the reasons given:
        // - Subprocess.exec starts the child on the loop, as asyncio does (its Popen runs on the loop):
        //   ProcessBuilder.start returns once the child has exec'd and never waits for it to run.
        builder.allowBlockingCallsInside("java.lang.ProcessBuilder", "start");
        // - the TLS handshake (SSLEngine on the loop) draws randomness from /dev/urandom through a
        //   FileInputStream; urandom never blocks once the kernel is seeded at boot.
        builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes");
        // - SslProtocol runs the SSLEngine's delegated tasks (certificate checks) on the loop, as
        //   asyncio does; the first check of the JVM loads the JDK's trust anchors and its list of
        //   untrusted certificates from files. One-time, but the JDK documents delegated tasks as
        //   possibly blocking: moving them to the executor is the fix if this ever shows in a profile.
        builder.allowBlockingCallsInside("sun.security.ssl.SSLEngineImpl$DelegatedTask", "run");
        // - handing work to a thread pool (runInExecutor, Async.toThread, an upstream's executor) takes
        //   the queue's lock for a moment; with another thread inside, the caller parks briefly. The
        //   offer itself never waits for room (the loop's default executor's queue is unbounded).
        builder.allowBlockingCallsInside("java.util.concurrent.LinkedBlockingQueue", "offer");
        // - cancelling an upstream that runs on a scheduled executor (Reactor's Flux.interval, say)
        //   removes its task from the executor's queue under that queue's lock (BlockHound's Reactor
        //   integration allows the same lock's offer and take)
        builder.allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "remove");
        // - the JDK's own Flow publisher, read by a coroutine in the tests, guards close() with a short lock.
        // - the first Reactive.iterate of the JVM finds the SubscriberFactory providers with ServiceLoader,
        //   which reads META-INF/services files from the class path: once, and the same kind of read as
        //   loading a class, which BlockHound allows everywhere.
        builder.allowBlockingCallsInside("java.util.ServiceLoader$LazyClassPathLookupIterator", "parse");
        builder.allowBlockingCallsInside("java.util.concurrent.SubmissionPublisher", "close");

        // Test code that blocks a loop on purpose:
        // - a slow callback and a slow step, busy for 50 ms, for the JFR events of slow work
        builder.allowBlockingCallsInside("io.loopbridge.loop.LoopStatsTest", "busyFor50ms");
        // - an upstream that joins a helper thread inside request, so its next signal comes from the loop
        builder.allowBlockingCallsInside("io.loopbridge.reactive.MapAsyncTest$1", "request");
        // - Mono.block() inside a coroutine outside debug mode: the test shows it is not prevented
        builder.allowBlockingCallsInside(
                "io.loopbridge.reactor.ReactorBridgeTest$Blocking", "lambda$outsideDebugModeBlockIsNotPrevented$0");

        if (Runtime.version().feature() >= 21) {
            builder.markAsBlocking("java.lang.VirtualThread", "park", "()V");
            builder.markAsBlocking("java.lang.VirtualThread", "parkNanos", "(J)V");
            builder.markAsBlocking("java.lang.VirtualThread", "sleepNanos", "(J)V");
        }

        builder.blockingMethodCallback(method -> {
            BlockingOperationError error = new BlockingOperationError(method);
            BlockingCalls.record(error);
            if (!inStaticInitializer()) { // an error there would break the class for the whole JVM
                throw error;
            }
        });
        BlockingCalls.installed = true;
    }

    private static boolean inStaticInitializer() {
        return StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("<clinit>")));
    }
}
