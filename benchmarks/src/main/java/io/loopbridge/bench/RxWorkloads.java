package io.loopbridge.bench;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.rxjava.RxBridge;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;

/**
 * The RxJava 3 workloads of {@code flowable_bridge_vs_flowable_generate_<engine>} and {@code
 * single_await_vs_blockingGet}, shared with their JMH sides ({@code RxBenchmark}, {@code
 * RxPeerBenchmark}). The streams are those of {@link ReactiveWorkloads}: {@code 0..n-1} boxed, into
 * its {@code BatchSubscriber}.
 */
final class RxWorkloads {
    private RxWorkloads() {}

    /** Ours: {@code RxBridge.flowable} over an async generator yielding {@code 0..n-1}. */
    static Flowable<Integer> bridgeFlowableNumbers(EventLoop loop, int n) {
        return RxBridge.flowable(loop, y -> {
            for (int i = 0; i < n; i++) {
                y.yield(i);
            }
        });
    }

    /**
     * RxJava's synchronous generator emitting {@code 0..n-1}; the state is a mutable counter, so the
     * only allocation per item is the boxed item, as on our side.
     */
    static Flowable<Integer> generateNumbers(int n) {
        return Flowable.generate(() -> new int[1], (state, emitter) -> {
            int i = state[0]++;
            if (i < n) {
                emitter.onNext(i);
            } else {
                emitter.onComplete();
            }
        });
    }

    /** Inside a coroutine: {@code n} times {@code RxBridge.await(single)}. */
    static long singleAwait(Single<Integer> single, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += RxBridge.await(single);
        }
        return sum;
    }

    /** {@code n} times {@code single.blockingGet()}, on a plain thread. */
    static long singleBlockingGet(Single<Integer> single, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += single.blockingGet();
        }
        return sum;
    }
}
