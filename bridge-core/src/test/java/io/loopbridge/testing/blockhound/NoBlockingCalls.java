package io.loopbridge.testing.blockhound;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which BlockHound caught a blocking call on a loop thread: the loop itself
 * would only report it to its exception handler. Registered for every test by ServiceLoader
 * ({@code junit.jupiter.extensions.autodetection.enabled}, set by the {@code blockhound} profile).
 */
public final class NoBlockingCalls implements BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
        BlockingCalls.take(); // late arrivals of an earlier test are not this one's
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<BlockingCalls.Caught> caught = BlockingCalls.take();
        if (!caught.isEmpty()) {
            throw new AssertionError(
                    caught.size() + " blocking call(s) on a loop thread during " + context.getDisplayName() + ":\n    "
                            + caught.stream().map(Object::toString).collect(Collectors.joining("\n    ")));
        }
    }
}
