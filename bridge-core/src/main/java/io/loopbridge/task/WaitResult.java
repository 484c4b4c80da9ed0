package io.loopbridge.task;

import io.loopbridge.future.LoopFuture;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code Async.wait} returns (asyncio's {@code done, pending} pair): the futures that are done
 * and those that are not, each set in the order the awaitables were given. Unmodifiable.
 *
 * @param done the futures that were done when the wait returned
 * @param pending the futures that were not done yet; they go on running
 * @param <T> the type of the results
 */
public record WaitResult<T>(Set<LoopFuture<T>> done, Set<LoopFuture<T>> pending) {
    /**
     * Copies both sets, keeping their order.
     *
     * @param done the futures that are done; not null
     * @param pending the futures that are not done; not null
     * @throws NullPointerException if {@code done} or {@code pending} is null
     */
    public WaitResult {
        done = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(done, "done")));
        pending = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(pending, "pending")));
    }
}
