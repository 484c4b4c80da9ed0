package io.loopbridge.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.testng.ITestContext;
import org.testng.ITestNGMethod;
import org.testng.ITestResult;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;

/**
 * A TCK class whose outcome is checked once it has run: exactly {@link #expectedPassed()} TCK tests
 * passed, exactly the tests named in {@link #expectedSkips()} were skipped, none failed, and the
 * TCK loop is clean (no task left alive, nothing reported to its exception handler). So a TCK test
 * that silently stops running (a skip nobody asked for) fails the build like a failing test.
 */
public interface TckAudited {
    /** How many TCK tests of this class must pass. */
    int expectedPassed();

    /** The TCK tests this class must skip, each mapped to why it does not apply. */
    Map<String, String> expectedSkips();

    /** A test may end with a consuming coroutine still waiting; it must not outlive the test. */
    @AfterMethod(alwaysRun = true)
    default void stopTckConsumers() {
        Tck.stopConsumers();
    }

    @AfterClass(alwaysRun = true)
    default void auditTckOutcome(ITestContext context) {
        List<String> problems = new ArrayList<>();
        Set<String> passed = names(context.getPassedTests().getAllResults());
        Map<String, String> skipped = new TreeMap<>();
        for (ITestResult r : mine(context.getSkippedTests().getAllResults())) {
            Throwable why = r.getThrowable();
            skipped.put(r.getMethod().getMethodName(), why == null ? "(no reason given)" : why.getMessage());
        }
        Set<String> failed = names(context.getFailedTests().getAllResults());
        failed.addAll(names(context.getFailedButWithinSuccessPercentageTests().getAllResults()));

        Set<String> declared = new TreeSet<>();
        for (ITestNGMethod m : context.getAllTestMethods()) {
            if (m.getInstance() == this) {
                declared.add(m.getMethodName());
            }
        }
        Set<String> ran = new TreeSet<>(passed);
        ran.addAll(skipped.keySet());
        ran.addAll(failed);
        if (!ran.equals(declared)) {
            Set<String> missing = new TreeSet<>(declared);
            missing.removeAll(ran);
            problems.add("TCK tests without an outcome: " + missing);
        }
        if (!failed.isEmpty()) {
            problems.add(failed.size() + " TCK test(s) failed: " + failed);
        }
        for (Map.Entry<String, String> s : skipped.entrySet()) {
            if (!expectedSkips().containsKey(s.getKey())) {
                problems.add("unexpected skip of " + s.getKey() + ": " + s.getValue());
            }
        }
        for (Map.Entry<String, String> s : expectedSkips().entrySet()) {
            if (!skipped.containsKey(s.getKey())) {
                problems.add("expected a skip of " + s.getKey() + " (" + s.getValue() + "), but it "
                        + (passed.contains(s.getKey())
                                ? "passed: update the expectation"
                                : failed.contains(s.getKey()) ? "failed" : "did not run"));
            }
        }
        if (passed.size() != expectedPassed()) {
            problems.add(passed.size() + " TCK tests passed, expected " + expectedPassed());
        }
        problems.addAll(Tck.loopProblems(Duration.ofSeconds(2)));

        String name = getClass().getSimpleName();
        if (!problems.isEmpty()) {
            throw new AssertionError("TCK audit of " + name + " failed:\n  - " + String.join("\n  - ", problems));
        }
        System.out.printf("TCK %s: %d passed, %d skipped as expected%n", name, passed.size(), skipped.size());
    }

    private Set<String> names(Set<ITestResult> results) {
        Set<String> names = new TreeSet<>();
        for (ITestResult r : mine(results)) {
            names.add(r.getMethod().getMethodName());
        }
        return names;
    }

    private List<ITestResult> mine(Set<ITestResult> results) {
        List<ITestResult> list = new ArrayList<>();
        for (ITestResult r : results) {
            if (r.getInstance() == this) {
                list.add(r);
            }
        }
        return list;
    }
}
