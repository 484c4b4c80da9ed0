package io.loopbridge.reactive;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.stress.Loops;
import java.time.Duration;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * One subscription of {@code Reactive.publisher} whose body yields 1, 2, 3, built directly (this
 * package sees {@link PublisherFromAsyncGenerator.Emission}) so foreign actors hold the {@link
 * Subscription} from the start. The loop is driven lap by lap on the actors' threads.
 */
public abstract class EmissionState {
    static final int NOT_STARTED = 0;
    static final int RUNNING = 1;
    static final int ENDED = 2;

    final EventLoop loop = Loops.forTasks();
    final Counting subscriber = new Counting(initialRequest());
    /** {@link #NOT_STARTED}, {@link #RUNNING} (suspended at a yield or in finally), or {@link #ENDED} through finally. */
    int body;

    int errors;
    final PublisherFromAsyncGenerator.Emission<Integer> emission = new PublisherFromAsyncGenerator.Emission<>(
            loop,
            y -> {
                body = RUNNING;
                try {
                    for (int i = 1; i <= 3; i++) {
                        y.yield(i);
                    }
                } finally {
                    Async.sleep(Duration.ZERO); // a finally may await: a cancel must not cut it short
                    body = ENDED;
                }
            },
            subscriber);

    {
        loop.setExceptionHandler((l, context) -> errors++);
    }

    /** What the subscriber requests from {@code onSubscribe} (on the loop); 0: nothing. */
    long initialRequest() {
        return 0;
    }

    /** The loop actor: starts the subscription and runs {@code laps} laps, racing the other actors. */
    void startOnLoop(int laps) {
        loop.callSoon(emission::start);
        Loops.laps(loop, laps);
    }

    /** The arbiter: every actor is done; lets the loop run until nothing is left to do. */
    void settle() {
        Loops.laps(loop, 12);
    }

    /** Counts signals; they all come from the loop (the actors' threads, in turn), never at once. */
    static final class Counting implements Subscriber<Integer> {
        private final long initialRequest;
        int onNext;
        int onComplete;
        int onError;

        Counting(long initialRequest) {
            this.initialRequest = initialRequest;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (initialRequest > 0) {
                s.request(initialRequest);
            }
        }

        @Override
        public void onNext(Integer item) {
            onNext++;
        }

        @Override
        public void onError(Throwable t) {
            onError++;
        }

        @Override
        public void onComplete() {
            onComplete++;
        }
    }
}
