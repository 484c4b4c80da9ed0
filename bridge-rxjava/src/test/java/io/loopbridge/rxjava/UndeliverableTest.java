package io.loopbridge.rxjava;

import static io.loopbridge.rxjava.RxTesting.FOREVER;
import static io.loopbridge.rxjava.RxTesting.captureLoopErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.loop.TestEventLoop;
import io.loopbridge.reactive.LoopSubscriber;
import io.loopbridge.reactive.Reactive;
import io.loopbridge.rxjava.RxTesting.LoopThread;
import io.loopbridge.rxjava.RxTesting.NoThreadsLeft;
import io.loopbridge.rxjava.RxTesting.RxJavaErrors;
import io.loopbridge.task.CoroutineEngine;
import io.loopbridge.task.Task;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.UndeliverableException;
import io.reactivex.rxjava3.internal.subscriptions.BooleanSubscription;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscriber;

/**
 * The undeliverable-error policy of {@link RxBridge}: a task cancelled by a dispose ends in silence,
 * however many disposes race with completions; an error that really cannot be delivered goes to the
 * loop's exception handler, and to {@code RxJavaPlugins.onError} when RxJava has a handler. The
 * {@link RxJavaErrors} extension installs that handler around each test and fails the test if any
 * error reaches it unexpected.
 */
@ExtendWith({NoThreadsLeft.class, RxJavaErrors.class})
class UndeliverableTest {
    static final int STORM = 3_000;

    final List<Throwable> observed = new CopyOnWriteArrayList<>();

    /** Disposes {@code ds} from four threads at once, each disposable twice, racing the loop. */
    static void storm(List<Disposable> ds) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            Thread thread = new Thread(
                    () -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int i = offset % 2; i < ds.size(); i += 2) {
                            ds.get(offset < 2 ? i : ds.size() - 1 - i).dispose();
                        }
                    },
                    "dispose-storm-" + t);
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        for (Disposable d : ds) {
            assertThat(d.isDisposed()).isTrue();
        }
    }

    /** Sleeps 0 to 2 ms, so some finish while the storm rages and some are cancelled. */
    static io.loopbridge.task.Coroutine<Integer> brief(int i) {
        return () -> {
            Async.sleep(Duration.ofNanos((i % 21) * 100_000L));
            return i;
        };
    }

    @AllEngines
    void aDisposeStormOverSinglesMaybesAndCompletablesReportsNothing(CoroutineEngine engine) throws Exception {
        try (LoopThread lt = new LoopThread(engine)) {
            List<Disposable> ds = new ArrayList<>();
            for (int i = 0; i < STORM; i++) {
                switch (i % 3) {
                    case 0:
                        ds.add(RxBridge.single(lt.loop, brief(i)).subscribe(v -> {}, observed::add));
                        break;
                    case 1:
                        ds.add(RxBridge.maybe(lt.loop, brief(i)).subscribe(v -> {}, observed::add));
                        break;
                    default:
                        ds.add(RxBridge.completable(lt.loop, brief(i)).subscribe(() -> {}, observed::add));
                }
            }
            storm(ds);
            lt.awaitNoLiveTasks();
            assertThat(observed).isEmpty();
            assertThat(lt.loopErrors).isEmpty();
        }
    }

    @AllEngines
    void aDisposeStormOverGeneratorsAndMapAsyncReportsNothing(CoroutineEngine engine) throws Exception {
        try (LoopThread lt = new LoopThread(engine)) {
            List<Disposable> ds = new ArrayList<>();
            for (int i = 0; i < STORM; i++) {
                int n = i;
                switch (i % 3) {
                    case 0:
                        ds.add(RxBridge.<Integer>flowable(lt.loop, y -> {
                                    for (int k = 0; k < 3; k++) {
                                        Async.sleep(Duration.ofNanos((n % 11) * 100_000L));
                                        y.yield(k);
                                    }
                                })
                                .subscribe(v -> {}, observed::add));
                        break;
                    case 1:
                        ds.add(RxBridge.<Integer>observable(lt.loop, y -> {
                                    for (int k = 0; k < 3; k++) {
                                        Async.sleep(Duration.ofNanos((n % 11) * 100_000L));
                                        y.yield(k);
                                    }
                                })
                                .subscribe(v -> {}, observed::add));
                        break;
                    default:
                        ds.add(Flowable.range(0, 3)
                                .compose(RxBridge.mapAsync(
                                        lt.loop, 2, (Integer k) -> brief(n + k).call()))
                                .subscribe(v -> {}, observed::add));
                }
            }
            storm(ds);
            lt.awaitNoLiveTasks();
            assertThat(observed).isEmpty();
            assertThat(lt.loopErrors).isEmpty();
        }
    }

    @AllEngines
    void cancellingCoroutinesThatAwaitRxJavaReportsNothing(CoroutineEngine engine) throws Exception {
        try (LoopThread sources = new LoopThread(engine);
                LoopThread awaiters = new LoopThread(engine)) {
            List<Task<Integer>> tasks = awaiters.call(() -> {
                List<Task<Integer>> ts = new ArrayList<>();
                for (int i = 0; i < STORM; i++) {
                    Single<Integer> other =
                            RxBridge.single(sources.loop, brief(i)); // completes on another loop's thread
                    ts.add(awaiters.loop.createTask(() -> RxBridge.await(other)));
                }
                return ts;
            });
            Thread.sleep(1);
            awaiters.call(() -> {
                tasks.forEach(Task::cancel);
                return null;
            });
            awaiters.awaitNoLiveTasks();
            sources.awaitNoLiveTasks();
            for (int i = 0; i < STORM; i++) {
                Task<Integer> t = tasks.get(i);
                if (!t.isCancelled()) { // it finished before the cancel
                    assertThat(awaiters.call(t::result)).isEqualTo(i);
                }
            }
            assertThat(sources.loopErrors).isEmpty();
            assertThat(awaiters.loopErrors).isEmpty();
        }
    }

    @AllEngines
    void aCoroutineThatFailsAfterItsDisposeIsReportedToTheLoopAndToRxJava(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
            TestObserver<Integer> to = RxBridge.single(loop, () -> {
                        try {
                            Async.sleep(FOREVER);
                        } catch (CancellationException e) {
                            throw new IOException("cleanup failed");
                        }
                        return 1;
                    })
                    .test();
            loop.runUntilIdle();
            to.dispose();
            loop.runUntilIdle();
            to.assertEmpty();
            assertThat(loopErrors).singleElement().satisfies(ctx -> {
                assertThat((String) ctx.get("message"))
                        .startsWith("RxBridge.single(")
                        .endsWith("failed after its observer disposed it");
                assertThat((Throwable) ctx.get("exception")).isInstanceOf(IOException.class);
                assertThat(ctx.get("source")).isInstanceOf(Task.class);
            });
            assertThat(RxJavaErrors.take())
                    .singleElement()
                    .isInstanceOf(UndeliverableException.class)
                    .extracting(Throwable::getCause)
                    .isInstanceOf(IOException.class);
        }
    }

    @AllEngines
    void withoutAnRxJavaHandlerOnlyTheLoopsHandlerGetsIt(CoroutineEngine engine) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        RxJavaPlugins.setErrorHandler(null);
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
            Disposable d = RxBridge.completable(loop, () -> {
                        try {
                            Async.sleep(FOREVER);
                        } catch (CancellationException e) {
                            throw new IllegalStateException("refused to stop");
                        }
                        return null;
                    })
                    .subscribe();
            loop.runUntilIdle();
            d.dispose();
            loop.runUntilIdle();
            assertThat(loopErrors)
                    .singleElement()
                    .satisfies(
                            ctx -> assertThat((Throwable) ctx.get("exception")).hasMessage("refused to stop"));
            assertThat(uncaught).as("RxJava's default handler was not run").isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    /**
     * A Flowable that ignores the cancel of the coroutine that iterated it and fails afterwards: the
     * policy applies (RxJava's own subscribers send an error after their cancel to RxJavaPlugins).
     */
    @AllEngines
    void aFlowableFailingAfterTheCoroutineClosedItsIteratorIsUndeliverable(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
            AtomicReference<Subscriber<? super Integer>> source = new AtomicReference<>();
            Flowable<Integer> ignoresCancel = ignoringCancel(source);
            IOException late = new IOException("failed after the cancel");
            loop.runUntilComplete(loop.createTask(() -> {
                try (LoopSubscriber<Integer> items = RxBridge.iterate(ignoresCancel, 4)) {
                    source.get().onNext(1);
                    assertThat(items.next()).isEqualTo(1);
                }
                source.get().onError(late);
                return null;
            }));
            loop.runUntilIdle();
            assertThat(loopErrors).singleElement().satisfies(ctx -> {
                assertThat((String) ctx.get("message")).contains("after the subscriber was closed");
                assertThat(ctx.get("exception")).isSameAs(late);
            });
            assertThat(RxJavaErrors.take())
                    .singleElement()
                    .isInstanceOf(UndeliverableException.class)
                    .extracting(Throwable::getCause)
                    .isSameAs(late);
        }
    }

    /** mapAsync's upstream failing after a coroutine failed (the stream has ended): the policy applies. */
    @AllEngines
    void mapAsyncsUpstreamFailingAfterTheStreamEndedIsUndeliverable(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
            AtomicReference<Subscriber<? super Integer>> source = new AtomicReference<>();
            Flowable<Integer> ignoresCancel = ignoringCancel(source);
            IllegalStateException boom = new IllegalStateException("boom");
            IOException late = new IOException("the upstream failed as well");
            TestSubscriber<Integer> ts = ignoresCancel
                    .compose(RxBridge.<Integer, Integer>mapAsync(loop, 2, i -> {
                        throw boom;
                    }))
                    .test();
            loop.runUntilIdle();
            source.get().onNext(1);
            loop.runUntilIdle();
            ts.assertError(boom);
            source.get().onError(late);
            loop.runUntilIdle();
            assertThat(loopErrors)
                    .singleElement()
                    .satisfies(ctx -> assertThat(ctx.get("exception")).isSameAs(late));
            assertThat(RxJavaErrors.take())
                    .singleElement()
                    .isInstanceOf(UndeliverableException.class)
                    .extracting(Throwable::getCause)
                    .isSameAs(late);
        }
    }

    /**
     * The iterators of a {@code Flowable} and an {@code Observable} agree with {@code await}: a
     * {@code CancellationException} after the coroutine closed them is the echo of their own cancel
     * or dispose, not an error, while any other error then is undeliverable.
     */
    @AllEngines
    void theEchoOfOurDisposeIsNotUndeliverable(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
            AtomicReference<Subscriber<? super Integer>> flowable = new AtomicReference<>();
            AtomicReference<io.reactivex.rxjava3.core.Observer<? super Integer>> observable = new AtomicReference<>();
            IOException late = new IOException("a real failure after the dispose");
            loop.runUntilComplete(loop.createTask(() -> {
                RxBridge.iterate(ignoringCancel(flowable), 4).close();
                LoopObserver<Integer> items = RxBridge.iterate(
                        io.reactivex.rxjava3.core.Observable.<Integer>unsafeCreate(o -> {
                            o.onSubscribe(Disposable.empty()); // ignores the dispose
                            observable.set(o);
                        }),
                        4);
                items.close();
                flowable.get().onError(new CancellationException("the Flowable saw our cancel"));
                observable.get().onError(new CancellationException("the Observable saw our dispose"));
                return null;
            }));
            loop.runUntilIdle();
            assertThat(loopErrors).as("echoes of our own cancel").isEmpty();
            assertThat(RxJavaErrors.take()).isEmpty();

            observable.get().onError(late);
            loop.runUntilIdle();
            assertThat(loopErrors)
                    .singleElement()
                    .satisfies(ctx -> assertThat(ctx.get("exception")).isSameAs(late));
            assertThat(RxJavaErrors.take())
                    .singleElement()
                    .extracting(Throwable::getCause)
                    .isSameAs(late);
        }
    }

    /**
     * A core publisher read by an RxJava subscriber directly ({@code Flowable.fromPublisher}): its
     * generator failing after the cancel follows the undeliverable policy, as if it came from {@code
     * RxBridge.flowable}.
     */
    @AllEngines
    void aCorePublisherFailingAfterItsRxJavaSubscriberCancelledIsUndeliverable(CoroutineEngine engine) {
        try (TestEventLoop loop = new TestEventLoop(engine)) {
            List<Map<String, Object>> loopErrors = captureLoopErrors(loop);
            IOException late = new IOException("cleanup failed");
            TestSubscriber<Integer> ts = Flowable.fromPublisher(Reactive.<Integer>publisher(loop, y -> {
                        y.yield(1);
                        try {
                            Async.sleep(FOREVER);
                        } catch (CancellationException e) {
                            throw late;
                        }
                    }))
                    .test(1);
            loop.runUntilIdle();
            ts.assertValues(1);
            ts.cancel();
            loop.runUntilIdle();
            ts.assertNotComplete().assertNoErrors();
            assertThat(loopErrors)
                    .singleElement()
                    .satisfies(ctx -> assertThat(ctx.get("exception")).isSameAs(late));
            assertThat(RxJavaErrors.take())
                    .singleElement()
                    .isInstanceOf(UndeliverableException.class)
                    .extracting(Throwable::getCause)
                    .isSameAs(late);
        }
    }

    /** A Flowable that hands its subscriber to {@code source} and goes on signalling after a cancel. */
    private static Flowable<Integer> ignoringCancel(AtomicReference<Subscriber<? super Integer>> source) {
        return Flowable.unsafeCreate(s -> {
            s.onSubscribe(new BooleanSubscription());
            source.set(s);
        });
    }
}
