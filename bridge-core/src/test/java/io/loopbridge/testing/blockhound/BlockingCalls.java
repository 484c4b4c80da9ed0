package io.loopbridge.testing.blockhound;

import java.util.ArrayList;
import java.util.List;
import reactor.blockhound.BlockingOperationError;

/**
 * The blocking calls BlockHound caught on loop threads since the current test started; {@link
 * NoBlockingCalls} fails the test if there are any. A test that blocks on purpose takes its own
 * with {@link #take()}.
 */
public final class BlockingCalls {
    /** Set once BlockHound applied {@link LoopbridgeBlockHoundIntegration} (JDK 21+ test runs). */
    static volatile boolean installed;

    private static final List<Caught> CAUGHT = new ArrayList<>();

    private BlockingCalls() {}

    /** A blocking call, the thread that made it, and where. */
    public record Caught(String thread, BlockingOperationError error) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(error.getMessage())
                    .append(" on thread '")
                    .append(thread)
                    .append("'");
            StackTraceElement[] trace = error.getStackTrace();
            for (int i = 0; i < Math.min(trace.length, 25); i++) {
                sb.append("\n        at ").append(trace[i]);
            }
            return sb.toString();
        }
    }

    /** Whether BlockHound watches this JVM (it does on JDK 21+ test runs). */
    public static boolean installed() {
        return installed;
    }

    static synchronized void record(BlockingOperationError error) {
        CAUGHT.add(new Caught(Thread.currentThread().getName(), error));
    }

    /** The calls caught since the last take, which it forgets. */
    public static synchronized List<Caught> take() {
        List<Caught> all = List.copyOf(CAUGHT);
        CAUGHT.clear();
        return all;
    }
}
