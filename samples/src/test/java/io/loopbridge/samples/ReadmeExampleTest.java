package io.loopbridge.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.reactor.ReactorBridge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The example of the README, verbatim, so the README never shows code that does not work. */
class ReadmeExampleTest {

    @Test
    void aCoroutineAndAFluxCallEachOther() {
        Flux<String> pages = ReactorBridge.flux(
                y -> { // an async generator, paced by demand
                    for (int page = 1; page <= 3; page++) {
                        Async.sleep(Duration.ofMillis(100)); // suspends the coroutine, not a thread
                        y.yield("page " + page);
                    }
                });

        String summary = Async.run(
                () -> { // asyncio.run
                    List<String> seen = new ArrayList<>();
                    for (String page : ReactorBridge.iterate(pages.map(String::toUpperCase), 16)) {
                        seen.add(page); // each step suspends until the Flux emits
                    }
                    Integer total = ReactorBridge.await(Mono.just(seen.size()).delayElement(Duration.ofMillis(10)));
                    return total + " pages: " + seen;
                });

        assertThat(summary).isEqualTo("3 pages: [PAGE 1, PAGE 2, PAGE 3]");
    }
}
