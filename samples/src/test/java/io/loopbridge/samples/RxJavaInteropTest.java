package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RxJavaInteropTest {
    @Test
    void mapAsyncIterateAwaitObserveOnAndAnObservable() throws Exception {
        assertThat(lines(new RxJavaInterop())).containsExactlyElementsOf(expected("""
                -- Flowable -> coroutines: mapAsync runs a coroutine per item, at most 3 at a time:
                squares [1, 4, 9, 16, 25, 36] (in upstream order)
                first coroutine to finish: item 3; most at once: 3
                -- coroutine -> Flowable: RxBridge.iterate(flowable, 4), break after 6 items:
                read [1, 2, 3, 4, 5, 6]; requests upstream saw: [4, 3]; cancelled: true
                -- coroutine -> Single/Maybe/Completable: RxBridge.await suspends, resumes on the loop:
                Single: computed off the loop: true; the coroutine resumed on the loop: true
                Maybe: 42, then an empty Maybe gives null
                Completable: timer done; resumed on the loop: true
                a failing Single is rethrown: inventory service unavailable
                -- observeOn(RxBridge.scheduler(loop)): from an RxJava thread onto the loop:
                produced off the loop: true; consumed on the loop: true; sum 150
                -- coroutine -> Observable: RxBridge.iterate(observable, bufferSize):
                ticks [1, 2, 3, 4, 5] through a buffer of 4
                range(1, 100) into a buffer of 16: read 16 items (1..16), then MissingBackpressureException; upstream disposed: true
                """));
    }

    @Test
    void runsWithAShorterStep() throws Exception {
        assertThat(lines(new RxJavaInterop(), "--delay", "5ms"))
                .contains(
                        "squares [1, 4, 9, 16, 25, 36] (in upstream order)",
                        "ticks [1, 2, 3, 4, 5] through a buffer of 4");
    }
}
