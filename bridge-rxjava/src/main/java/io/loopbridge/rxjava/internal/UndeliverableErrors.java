package io.loopbridge.rxjava.internal;

import io.loopbridge.loop.EventLoop;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The undeliverable-error policy of the RxJava bridge (see {@code RxBridge}): the loop's exception
 * handler always, on the loop ({@code "message"}, {@code "exception"}, {@code "source"}), and {@link
 * RxJavaPlugins#onError} too when an RxJava error handler is installed. Not API.
 */
public final class UndeliverableErrors {
    private UndeliverableErrors() {}

    /** Reports {@code error}, which nobody can receive any more. Any thread. */
    public static void report(EventLoop loop, String message, Throwable error, Object source) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("message", message);
        ctx.put("exception", error);
        ctx.put("source", source);
        if (loop.inLoop()) {
            loop.callExceptionHandler(ctx);
        } else {
            try {
                loop.callSoonThreadsafe(() -> loop.callExceptionHandler(ctx));
            } catch (IllegalStateException closedLoop) {
                loop.defaultExceptionHandler(ctx);
            }
        }
        if (RxJavaPlugins.getErrorHandler() != null) {
            RxJavaPlugins.onError(error);
        }
    }
}
