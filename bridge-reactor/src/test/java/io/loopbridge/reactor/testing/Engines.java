package io.loopbridge.reactor.testing;

import io.loopbridge.task.CoroutineEngine;
import java.util.stream.Stream;

/** The engines the test JVM offers: THREADS always; VIRTUAL and CONTINUATION on JDK 21+. */
public final class Engines {
    private Engines() {}

    public static Stream<CoroutineEngine> available() {
        return CoroutineEngine.available().stream();
    }
}
