package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Coroutine;
import io.loopbridge.task.CoroutineEngine;

/**
 * The callback baseline: a coroutine awaiting {@value #STEPS} steps one after the other against a
 * {@code CompletableFuture} chain of as many {@code thenCompose} steps ({@link PeerWorkloads}).
 *
 * <ul>
 *   <li>{@code await_chain_vs_completablefuture_<engine>}: every step is already done (a loop
 *       future holding the value; {@code completedFuture} on the peer's side), so neither side
 *       suspends or queues: the cost of the await / compose machinery itself;
 *   <li>{@code await_chain_hop_vs_completablefuture_async_<engine>}: every step is completed by a
 *       later callback: ours by {@code callSoon} on the loop, which resumes the coroutine; the
 *       peer's by {@code thenComposeAsync} on an executor queueing to the bench thread, which
 *       drains it as a loop would.
 * </ul>
 */
final class AwaitChainVsCompletableFuture extends LoopVsPeer {
    static final int STEPS = 1000;
    private final boolean hop;

    AwaitChainVsCompletableFuture(CoroutineEngine engine, boolean hop) {
        super(
                hop ? "await_chain_hop_vs_completablefuture_async" : "await_chain_vs_completablefuture",
                hop ? "completablefuture_async" : "completablefuture",
                engine,
                STEPS,
                STEPS);
        this.hop = hop;
    }

    @Override
    public String opName() {
        return "step";
    }

    @Override
    Coroutine<Long> ours(EventLoop loop) {
        return hop ? () -> (long) PeerWorkloads.awaitChainHop(STEPS) : () -> (long) PeerWorkloads.awaitChain(STEPS);
    }

    @Override
    long peerBatch() {
        return hop ? PeerWorkloads.completableFutureChainAsync(STEPS) : PeerWorkloads.completableFutureChain(STEPS);
    }
}
