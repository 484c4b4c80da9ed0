package io.loopbridge.reactive;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactive.internal.SubscriberFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** Signal plumbing shared by the publishers: hop onto the loop, never let a subscriber's exception vanish. */
final class Signals {
    private static final Subscription EMPTY = new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    };

    private Signals() {}

    /** Runs {@code r} now if the caller owns the loop, else schedules it; {@code false} if the loop is closed. */
    static boolean onLoop(EventLoop loop, Runnable r) {
        if (loop.inLoop()) {
            r.run();
            return true;
        }
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (IllegalStateException closedLoop) {
            return false;
        }
    }

    /** A subscriber of a publisher whose loop is closed gets the error at once (§1.9: after onSubscribe). */
    static void rejectClosedLoop(Subscriber<?> s) {
        s.onSubscribe(EMPTY);
        s.onError(new IllegalStateException("Event loop is closed: this publisher cannot run"));
    }

    static IllegalArgumentException badRequest(long n) {
        return new IllegalArgumentException(
                "§3.9 violated: non-positive subscription request: " + (n == Long.MIN_VALUE ? 0 : n));
    }

    /** {@code false} if the subscriber threw (it is then reported and must be treated as cancelled, §2.13). */
    static boolean onSubscribe(EventLoop loop, Subscriber<?> s, Subscription subscription) {
        try {
            s.onSubscribe(subscription);
            return true;
        } catch (Throwable t) {
            report(loop, "§2.13: the subscriber threw from onSubscribe; the subscription is cancelled", t, s);
            return false;
        }
    }

    static void onError(EventLoop loop, Subscriber<?> s, Throwable error) {
        if (s == null) {
            return;
        }
        try {
            s.onError(error);
        } catch (Throwable t) {
            t.addSuppressed(error);
            report(loop, "§2.13: the subscriber threw from onError", t, s);
        }
    }

    static void onComplete(EventLoop loop, Subscriber<?> s) {
        if (s == null) {
            return;
        }
        try {
            s.onComplete();
        } catch (Throwable t) {
            report(loop, "§2.13: the subscriber threw from onComplete", t, s);
        }
    }

    static void report(EventLoop loop, String message, Throwable t, Object subscriber) {
        loop.callExceptionHandler(context(message, t, subscriber));
    }

    private static Map<String, Object> context(String message, Throwable t, Object subscriber) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("message", message);
        ctx.put("exception", t);
        ctx.put("subscriber", subscriber);
        return ctx;
    }

    /**
     * An error nobody can receive any more (it came after a cancel or after the end): to {@code
     * route} if a bridge gave one for the subscriber (Reactor's dropped-error hook), else to the
     * loop's exception handler, on the loop. Any thread.
     */
    static void dropped(
            EventLoop loop, SubscriberFactory.DroppedErrors route, String message, Throwable t, Object source) {
        if (route != null) {
            route.drop(loop, message, t, source);
        } else if (!onLoop(loop, () -> report(loop, message, t, source))) {
            loop.defaultExceptionHandler(context(message, t, source)); // the loop is closed: still not silent
        }
    }
}
