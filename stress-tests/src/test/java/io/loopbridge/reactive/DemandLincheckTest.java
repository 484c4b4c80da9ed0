package io.loopbridge.reactive;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import kotlin.Unit;
import kotlin.jvm.functions.Function1;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.lincheck.datastructures.DSLScenarioBuilder;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The demand counters of the publishers, through their public {@link Subscription#request}: any
 * number of threads add to them at once; the total is the sum, capped at {@code Long.MAX_VALUE}
 * (§3.17), and once unbounded it stays unbounded. Linearizable against {@link DemandSpec}.
 */
class DemandLincheckTest {
    private static final long HALF = Long.MAX_VALUE / 2 + 1;

    static final Subscriber<Object> IGNORING = new Subscriber<>() {
        @Override
        public void onSubscribe(Subscription s) {}

        @Override
        public void onNext(Object item) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onComplete() {}
    };

    /** The sequential meaning of a demand counter. */
    public static final class DemandSpec {
        private long requested;

        public void request(long n) {
            requested = requested + n < 0 ? Long.MAX_VALUE : requested + n;
        }

        public void requestHalf() {
            request(HALF);
        }

        public void requestUnbounded() {
            request(Long.MAX_VALUE);
        }

        public long requested() {
            return requested;
        }
    }

    /**
     * The scenarios that matter, explored exhaustively: two adds at once (a lost update shows), two
     * halves at once (the overflow must cap, §3.17), an add racing an unbounded request; then random
     * ones.
     */
    static void check(Class<?> test) {
        new ModelCheckingOptions()
                .iterations(8)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(2)
                .addCustomScenario(concurrently(test, "request", 1L, "request", 2L))
                .addCustomScenario(concurrently(test, "requestHalf", null, "requestHalf", null))
                .addCustomScenario(concurrently(test, "request", 3L, "requestUnbounded", null))
                .sequentialSpecification(DemandSpec.class)
                .check(test);
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(DemandSpec.class)
                .check(test);
    }

    /** Two operations on two threads at once, then {@code requested()}. */
    private static Function1<DSLScenarioBuilder, Unit> concurrently(
            Class<?> test, String first, Long firstArg, String second, Long secondArg) {
        KFunction<?> a = operation(test, first, firstArg != null);
        KFunction<?> b = operation(test, second, secondArg != null);
        KFunction<?> read = operation(test, "requested", false);
        return scenario -> {
            scenario.parallel(threads -> {
                threads.thread(t -> call(t, a, firstArg));
                threads.thread(t -> call(t, b, secondArg));
                return Unit.INSTANCE;
            });
            scenario.post(t -> call(t, read, null));
            return Unit.INSTANCE;
        };
    }

    private static Unit call(DSLThreadScenario thread, KFunction<?> operation, Long arg) {
        if (arg == null) {
            thread.actor(operation);
        } else {
            thread.actor(operation, arg);
        }
        return Unit.INSTANCE;
    }

    private static KFunction<?> operation(Class<?> test, String name, boolean takesN) {
        try {
            Method m = takesN ? test.getMethod(name, long.class) : test.getMethod(name);
            return ReflectJvmMapping.getKotlinFunction(m);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void publisherDemandIsASaturatingSum() {
        check(PublisherDemand.class);
    }

    @Test
    void mapAsyncDemandIsASaturatingSum() {
        check(MapAsyncDemand.class);
    }

    @Param(name = "n", gen = LongGen.class, conf = "1:4")
    public static class PublisherDemand {
        private static final VarHandle REQUESTED;

        static {
            try {
                REQUESTED = MethodHandles.privateLookupIn(
                                PublisherFromAsyncGenerator.Emission.class, MethodHandles.lookup())
                        .findVarHandle(PublisherFromAsyncGenerator.Emission.class, "requested", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        // never started: no task, no loop run; request() only counts (and wakes nobody)
        private final PublisherFromAsyncGenerator.Emission<Object> subscription =
                new PublisherFromAsyncGenerator.Emission<>(new EventLoop(CoroutineEngine.THREADS), y -> {}, IGNORING);

        @Operation
        public void request(@Param(name = "n") long n) {
            subscription.request(n);
        }

        @Operation
        public void requestHalf() {
            subscription.request(HALF);
        }

        @Operation
        public void requestUnbounded() {
            subscription.request(Long.MAX_VALUE);
        }

        @Operation
        public long requested() {
            return (long) REQUESTED.getVolatile(subscription);
        }
    }

    @Param(name = "n", gen = LongGen.class, conf = "1:4")
    public static class MapAsyncDemand {
        private static final Constructor<?> MAPPING;
        private static final VarHandle REQUESTED;

        static {
            try {
                Class<?> mapping = Class.forName(PublisherMapAsync.class.getName() + "$Mapping");
                MAPPING = mapping.getDeclaredConstructor(PublisherMapAsync.class, Subscriber.class);
                MAPPING.setAccessible(true);
                REQUESTED = MethodHandles.privateLookupIn(mapping, MethodHandles.lookup())
                        .findVarHandle(mapping, "requested", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        // never started: request() counts and hands a drain to the loop, which never runs here
        private final Subscription subscription;

        public MapAsyncDemand() throws ReflectiveOperationException {
            EventLoop loop = new EventLoop(CoroutineEngine.THREADS);
            PublisherMapAsync<Object, Object> parent = new PublisherMapAsync<>(s -> {}, loop, 1, x -> x);
            subscription = (Subscription) MAPPING.newInstance(parent, IGNORING);
        }

        @Operation
        public void request(@Param(name = "n") long n) {
            subscription.request(n);
        }

        @Operation
        public void requestHalf() {
            subscription.request(HALF);
        }

        @Operation
        public void requestUnbounded() {
            subscription.request(Long.MAX_VALUE);
        }

        @Operation
        public long requested() {
            return (long) REQUESTED.getVolatile(subscription);
        }
    }
}
