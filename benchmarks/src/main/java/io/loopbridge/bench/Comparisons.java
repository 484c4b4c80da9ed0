package io.loopbridge.bench;

import io.loopbridge.task.CoroutineEngine;
import java.util.ArrayList;
import java.util.List;

/** The registry of comparisons and reports {@link Bench} runs, in order. */
final class Comparisons {
    private Comparisons() {}

    /** Every engine, available or not: the unavailable ones print {@code SKIP}. */
    private static final List<CoroutineEngine> ENGINES = List.of(CoroutineEngine.values());

    static List<Comparison> all() {
        List<Comparison> all = new ArrayList<>(
                List.of(new CallSoonVsPython(PythonPeer.Loop.ASYNCIO), new CallSoonVsPython(PythonPeer.Loop.UVLOOP)));
        for (CoroutineEngine e : ENGINES) {
            all.add(new AwaitVsPython(e));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new AwaitSwitchVsPython(e));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new TaskCreateVsPython(e));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new GeneratorNextVsPython(e));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new GeneratorForEachVsPython(e));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new AsyncGenVsPython(e));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new PublisherVsFluxGenerate(e, false));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new PublisherVsFluxGenerate(e, true));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new IterateVsSubscribe(e, false));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new IterateVsSubscribe(e, true));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new MapAsyncVsFlatMapSequential(e, 16));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new MapAsyncVsFlatMapSequential(e, 1));
        }
        all.add(new PublisherVsFiberInterop());
        all.add(new PublisherVsKotlinx());
        all.add(new MonoAwaitVsBlock(false));
        all.add(new MonoAwaitVsBlock(true));
        for (CoroutineEngine e : ENGINES) {
            all.add(new FluxBridgeVsFluxGenerate(e));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new FlowableBridgeVsFlowableGenerate(e));
        }
        all.add(new SingleAwaitVsBlockingGet());
        // JVM baselines: CompletableFuture chains (the callback baseline), kotlinx-coroutines,
        // Flux.create.
        for (CoroutineEngine e : ENGINES) {
            all.add(new AwaitChainVsCompletableFuture(e, false));
        }
        for (CoroutineEngine e : ENGINES) {
            all.add(new AwaitChainVsCompletableFuture(e, true));
        }
        for (CoroutineEngine e : List.of(CoroutineEngine.VIRTUAL, CoroutineEngine.CONTINUATION)) {
            all.add(new CoroutineVsKotlinx(e, false));
        }
        for (CoroutineEngine e : List.of(CoroutineEngine.VIRTUAL, CoroutineEngine.CONTINUATION)) {
            all.add(new CoroutineVsKotlinx(e, true));
        }
        all.add(new PublisherVsFluxCreate(CoroutineEngine.CONTINUATION));
        // Network: the streams echo server against asyncio's, uvloop's and Netty's, each loaded by the
        // same client process (EchoClient).
        for (EchoRoundTrips.Peer p : EchoRoundTrips.Peer.values()) {
            all.add(new EchoRoundTrips(p));
        }
        return List.copyOf(all);
    }

    /** One-shot measurements, run before the comparisons. */
    static List<Report> reports() {
        List<Report> all = new ArrayList<>();
        for (CoroutineEngine e : ENGINES) {
            all.add(new TaskBytes(e));
        }
        all.add(new TaskBytesPython());
        // Floors and scale: ABS lines only.
        all.add(new Floors());
        for (CoroutineEngine e : ENGINES) {
            all.add(new Scale(e));
        }
        all.add(new EchoScale());
        return List.copyOf(all);
    }
}
