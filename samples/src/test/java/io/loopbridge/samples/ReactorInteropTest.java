package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReactorInteropTest {
    @Test
    void mapAsyncIterateContextAndPublishOn() throws Exception {
        assertThat(lines(new ReactorInterop())).containsExactlyElementsOf(expected("""
                -- Flux -> coroutines: mapAsync runs a coroutine per item, at most 3 at a time:
                squares [1, 4, 9, 16, 25, 36] (in upstream order)
                first coroutine to finish: item 3; most at once: 3
                -- coroutine -> Flux: ReactorBridge.iterate(flux, 4), break after 6 items:
                read [1, 2, 3, 4, 5, 6]; requests upstream saw: [4, 3]; cancelled: true
                -- context: a ContextVar bound to the Reactor context key "requestId":
                the coroutine sees requestId=r-42
                the Mono it awaits sees requestId=r-7
                -- publishOn(ReactorBridge.scheduler(loop)): from a Reactor thread onto the loop:
                produced off the loop: true; consumed on the loop: true; sum 150
                """));
    }

    @Test
    void runsAgainWithTheSameBinding() throws Exception {
        lines(new ReactorInterop());
        assertThat(lines(new ReactorInterop())).contains("the coroutine sees requestId=r-42");
    }
}
