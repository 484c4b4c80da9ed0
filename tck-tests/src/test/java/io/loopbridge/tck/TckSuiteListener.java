package io.loopbridge.tck;

import org.testng.ISuite;
import org.testng.ISuiteListener;

/**
 * Closes the TCK loop when the TestNG suite ends. Registered through {@code
 * META-INF/services/org.testng.ITestNGListener}, so it applies to every TCK class.
 */
public final class TckSuiteListener implements ISuiteListener {
    @Override
    public void onFinish(ISuite suite) {
        if (!Tck.closeLoop()) {
            throw new IllegalStateException("the TCK loop did not stop within 10 s");
        }
    }
}
