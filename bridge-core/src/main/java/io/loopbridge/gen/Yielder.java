package io.loopbridge.gen;

/**
 * The handle a {@link Generator}'s body yields through.
 *
 * @param <Y> the type of the values yielded
 * @param <S> the type of the values sent in
 */
public interface Yielder<Y, S> {
    /**
     * Hands {@code value} to the caller of {@code next()}/{@code send()} and pauses; returns the
     * value of the next {@code send} ({@code null} for {@code next()}), or throws what {@code
     * throwIn} raised here, or {@link GeneratorExit} when the generator is closed.
     *
     * @param value the value to hand out (may be null)
     * @return the value passed to the {@code send} that resumes the body, or null for {@code next}
     */
    S yield(Y value);

    /**
     * Delegates to {@code sub} until it ends (Python's {@code yield from}): its values go to the
     * caller, and the caller's {@code send}, {@code throwIn} and {@code close} go to it. Returns
     * {@code sub}'s return value.
     *
     * @param <R> the type of {@code sub}'s return value
     * @param sub the generator to delegate to; must not be null
     * @return {@code sub}'s return value, once it is exhausted
     */
    <R> R yieldFrom(Generator<? extends Y, S, R> sub);
}
