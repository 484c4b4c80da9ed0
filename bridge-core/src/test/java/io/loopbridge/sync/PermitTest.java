package io.loopbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.NoLoopbridgeThreadsLeft;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.testing.AllEngines;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Permit}: what {@code acquire()} returns; closing it releases, once. Every test runs on each
 * coroutine engine the JVM offers.
 */
@ExtendWith(NoLoopbridgeThreadsLeft.class)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up fails, not hangs
class PermitTest {

    @AllEngines
    void closingAPermitReleasesWhatWasAcquiredOnce(CoroutineEngine engine) {
        Async.run(engine, () -> {
            AsyncSemaphore sem = new AsyncSemaphore(2);
            Permit p = sem.acquire();
            assertThat(p).hasToString("Permit[held]");

            p.close();
            p.close();

            assertThat(p).hasToString("Permit[released]");
            assertThat(sem.availablePermits()).isEqualTo(2);
            return null;
        });
    }

    @AllEngines
    void aConditionHandsOutItsLocksPermits(CoroutineEngine engine) {
        Async.run(engine, () -> {
            AsyncLock lock = new AsyncLock();
            AsyncCondition cond = new AsyncCondition(lock);

            try (Permit held = cond.acquire()) {
                assertThat(lock.locked()).isTrue();
                assertThat(held).hasToString("Permit[held]");
            }

            assertThat(lock.locked()).isFalse();
            return null;
        });
    }
}
