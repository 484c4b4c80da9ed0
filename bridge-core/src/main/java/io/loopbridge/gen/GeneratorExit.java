package io.loopbridge.gen;

/**
 * Raised at the paused {@code yield} of a generator that is being closed, so its {@code finally}
 * blocks run. Like Python's {@code GeneratorExit} it is not an {@link Exception}: an ordinary
 * {@code catch (Exception e)} around a yield lets it pass. A body that catches it must end, not
 * yield again.
 */
public final class GeneratorExit extends Error {
    private static final long serialVersionUID = 1L;

    /** The signal, without a stack trace: it is control flow, not an error to report. */
    public GeneratorExit() {
        super("generator closed", null, false, false);
    }
}
