package io.loopbridge.stress;

import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.CoroutineEngine;
import java.util.ArrayList;
import java.util.List;
import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * The loop's way in from other threads: {@code callSoonThreadsafe} from any thread, drained by the
 * loop's laps. Linearizable against a FIFO queue: each lap runs exactly the callbacks handed in
 * before it, in the order they were handed in, each once.
 */
@Param(name = "value", gen = IntGen.class, conf = "1:9")
public class InboundQueueLincheckTest {
    private final EventLoop loop = new EventLoop(CoroutineEngine.THREADS);
    /** Touched by the loop only. */
    private final List<Integer> ran = new ArrayList<>();

    @Operation
    public void callSoonThreadsafe(@Param(name = "value") int value) {
        loop.callSoonThreadsafe(() -> ran.add(value));
    }

    /** One lap, on the single thread that plays the loop's owner: what it ran. */
    @Operation(nonParallelGroup = "owner")
    public List<Integer> lap() {
        int before = ran.size();
        loop.callSoon(loop::stop);
        loop.runForever();
        return List.copyOf(ran.subList(before, ran.size()));
    }

    @Test
    void modelChecking() throws NoSuchMethodException {
        KFunction<?> post = ReflectJvmMapping.getKotlinFunction(getClass().getMethod("callSoonThreadsafe", int.class));
        KFunction<?> lap = ReflectJvmMapping.getKotlinFunction(getClass().getMethod("lap"));
        new ModelCheckingOptions()
                .iterations(6)
                .invocationsPerIteration(100)
                .threads(3)
                .actorsPerThread(2)
                // two producers hand in while the owner runs laps: every interleaving of this one
                .addCustomScenario(scenario -> {
                    scenario.parallel(threads -> {
                        threads.thread(t -> {
                            t.actor(post, 1);
                            t.actor(post, 2);
                            return Unit.INSTANCE;
                        });
                        threads.thread(t -> {
                            t.actor(post, 3);
                            return Unit.INSTANCE;
                        });
                        threads.thread(t -> {
                            t.actor(lap);
                            t.actor(lap);
                            return Unit.INSTANCE;
                        });
                        return Unit.INSTANCE;
                    });
                    scenario.post(t -> {
                        t.actor(lap);
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                })
                .sequentialSpecification(FifoSpec.class)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(FifoSpec.class)
                .check(getClass());
    }

    /** The sequential meaning: a FIFO queue that a lap empties. */
    public static final class FifoSpec {
        private final List<Integer> pending = new ArrayList<>();

        public void callSoonThreadsafe(int value) {
            pending.add(value);
        }

        public List<Integer> lap() {
            List<Integer> out = List.copyOf(pending);
            pending.clear();
            return out;
        }
    }
}
