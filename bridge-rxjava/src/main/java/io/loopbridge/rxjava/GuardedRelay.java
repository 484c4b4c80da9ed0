package io.loopbridge.rxjava;

import io.loopbridge.loop.EventLoop;
import org.reactivestreams.Subscriber;

/**
 * The part {@link FlowableRelay} and the {@code Observable} relay share: pass each signal of a core
 * publisher on to an RxJava consumer, and when the consumer throws, stop it (cancel or dispose) and
 * report the exception as {@link Undeliverable} instead of passing it up to the publisher, which
 * could tell only the loop. Signals come from the loop one at a time, so {@code broken} needs no
 * fence.
 */
abstract class GuardedRelay<T> implements Subscriber<T> {
    private final EventLoop loop;
    private final Object source;
    /** How a report names the consumer, what stopping it did, and the rule it broke. */
    private final String role;

    private final String stopped;
    private final String rule;
    /** Set once the consumer threw or was signalled a terminal event: no signal follows. */
    private boolean broken;

    GuardedRelay(EventLoop loop, Object source, String role, String stopped, String rule) {
        this.loop = loop;
        this.source = source;
        this.role = role;
        this.stopped = stopped;
        this.rule = rule;
    }

    /** Hands the consumer its handle (the relay itself). */
    abstract void deliverSubscribe();

    abstract void deliverNext(T item);

    abstract void deliverError(Throwable e);

    abstract void deliverComplete();

    /** Cancels or disposes, as the consumer's own handle would. */
    abstract void stop();

    /** Called before a terminal signal is passed on. */
    void terminating() {}

    /** Passes {@code onSubscribe} on; false if the consumer threw (it is stopped and reported). */
    final boolean subscribed() {
        try {
            deliverSubscribe();
            return true;
        } catch (Throwable t) {
            threw("onSubscribe", t, true);
            return false;
        }
    }

    @Override
    public final void onNext(T item) {
        if (broken) {
            return;
        }
        try {
            deliverNext(item);
        } catch (Throwable t) {
            threw("onNext", t, true);
        }
    }

    @Override
    public final void onError(Throwable e) {
        if (broken) {
            return;
        }
        terminating();
        broken = true;
        try {
            deliverError(e);
        } catch (Throwable t) {
            threw("onError", t, false);
        }
    }

    @Override
    public final void onComplete() {
        if (broken) {
            return;
        }
        terminating();
        broken = true;
        try {
            deliverComplete();
        } catch (Throwable t) {
            threw("onComplete", t, false);
        }
    }

    private void threw(String signal, Throwable t, boolean stop) {
        broken = true;
        if (stop) {
            stop();
        }
        Undeliverable.report(
                loop,
                "the " + role + " of " + source + " threw from " + signal + (stop ? "; " + stopped : "") + " (" + rule
                        + ")",
                t,
                source);
    }
}
