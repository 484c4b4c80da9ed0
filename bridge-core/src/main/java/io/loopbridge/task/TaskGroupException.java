package io.loopbridge.task;

import java.util.List;
import java.util.Objects;

/**
 * The failures of a {@link TaskGroup}, reported together (asyncio's {@code ExceptionGroup}): the
 * failures of its tasks in the order they were seen, then the failure of the group's body, if any.
 * Each one is also {@linkplain #getSuppressed() suppressed} by this exception, so a stack trace
 * shows them all.
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The failures, in the order the group saw them. */
    private final List<Throwable> exceptions;

    /**
     * Reports {@code exceptions} together; the message names how many there are and the first.
     *
     * @param exceptions the failures, in the order they were seen (copied)
     * @throws NullPointerException if {@code exceptions} is null
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public TaskGroupException(List<? extends Throwable> exceptions) {
        super(message(exceptions));
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    private static String message(List<? extends Throwable> exceptions) {
        Objects.requireNonNull(exceptions, "exceptions");
        int n = exceptions.size();
        if (n == 0) {
            throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
        }
        return "unhandled errors in a TaskGroup (" + n + (n == 1 ? " sub-exception): " : " sub-exceptions), first: ")
                + exceptions.get(0);
    }

    /** {@return every failure, in the order the group saw them; unmodifiable, never empty} */
    public List<Throwable> getExceptions() {
        return exceptions;
    }
}
