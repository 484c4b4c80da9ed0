package io.loopbridge.gen;

/**
 * The handle an {@link AsyncGenerator}'s body yields through.
 *
 * @param <Y> the type of the values yielded
 * @param <S> the type of the values sent in
 */
public interface AsyncYielder<Y, S> {
    /**
     * Completes the pending {@code anext()}/{@code asend()} with {@code value} and pauses until the
     * next request; returns the value sent with it ({@code null} for {@code anext()}), or throws
     * what {@code athrow} raised here, or {@link GeneratorExit} when the generator is closed.
     *
     * @param value the value to complete the pending request with (may be null)
     * @return the value sent with the request that resumes the body: {@code asend}'s argument, or
     *     null for {@code anext}
     */
    S yield(Y value);
}
