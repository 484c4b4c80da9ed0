package io.loopbridge.tck;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterMethod;

/** {@code ReactorBridge.toFlux(loop, generator)} through {@link FlowAdapters}: the {@link Flow} flavour of {@link ReactorBridgeToFluxTckTest}. */
public class ReactorBridgeToFluxFlowTckTest extends FlowPublisherVerification<Long> implements TckAudited {
    public ReactorBridgeToFluxFlowTckTest() {
        super(Tck.env(), Tck.GC_TIMEOUT_MILLIS);
    }

    /** As {@link ReactorBridgeToFluxTckTest#cancelAbandoned}. */
    @AfterMethod(alwaysRun = true)
    public void cancelAbandoned(Method test) {
        ReactorBridgeToFluxTckTest.cancelAbandoned(test.getName());
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Tck.opaque(FlowAdapters.toFlowPublisher(ReactorBridgeToFluxTckTest.toFlux(elements)));
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Tck.opaque(FlowAdapters.toFlowPublisher(ReactorBridgeToFluxTckTest.failedToFlux()));
    }

    @Override
    public int expectedPassed() {
        return ReactorBridgeToFluxTckTest.PASSED;
    }

    @Override
    public Map<String, String> expectedSkips() {
        return ReactorBridgeToFluxTckTest.SKIPPED;
    }
}
