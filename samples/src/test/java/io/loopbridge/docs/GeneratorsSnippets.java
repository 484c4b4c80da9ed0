package io.loopbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.Async;
import io.loopbridge.gen.AsyncGenerator;
import io.loopbridge.gen.Generator;
import io.loopbridge.loop.TestEventLoop;
import java.time.Duration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The snippets of docs/generators.md. */
class GeneratorsSnippets extends SnippetTest {
    @Test
    void countdown() {
        // tag::countdown[]
        Generator<Integer, Void, String> countdown = Generator.of(y -> {
            for (int n = 3; n > 0; n--) {
                y.yield(n); // pauses here until the next next()
            }
            return "liftoff"; // StopIteration.value
        });
        for (int n : countdown) {
            System.out.println(n);
        }
        System.out.println(countdown.result());
        // end::countdown[]
        assertThat(printed()).containsExactly("3", "2", "1", "liftoff");
    }

    @Test
    void averager() {
        // tag::averager[]
        Generator<Double, Double, Void> averager = Generator.of(y -> {
            double total = 0;
            int count = 0;
            Double average = null;
            while (true) {
                double value = y.yield(average); // yield returns what send() passed in
                total += value;
                count++;
                average = total / count;
            }
        });
        averager.next(); // runs up to the first yield (primes it)
        System.out.println(averager.send(10.0));
        System.out.println(averager.send(30.0));
        System.out.println(averager.send(5.0));
        averager.close();
        // end::averager[]
        assertThat(printed()).containsExactly("10.0", "20.0", "15.0");
    }

    @Test
    void throwInAndClose() {
        // tag::throwInAndClose[]
        Generator<String, Void, Void> worker = Generator.of(y -> {
            try {
                while (true) {
                    try {
                        y.yield("working");
                    } catch (IllegalArgumentException e) { // thrown in at the paused yield
                        y.yield("recovered from " + e.getMessage());
                    }
                }
            } finally {
                System.out.println("cleanup"); // close() runs it (GeneratorExit)
            }
        });
        System.out.println(worker.next());
        System.out.println(worker.throwIn(new IllegalArgumentException("bad value")));
        worker.close();
        System.out.println("done: " + worker.isDone());
        // end::throwInAndClose[]
        assertThat(printed()).containsExactly("working", "recovered from bad value", "cleanup", "done: true");
    }

    @Test
    void yieldFrom() {
        // tag::yieldFrom[]
        Generator<String, Void, Integer> inner = Generator.of(y -> {
            y.yield("a");
            y.yield("b");
            return 2; // becomes the value of yieldFrom
        });
        Generator<String, Void, Void> outer = Generator.of(y -> {
            int n = y.yieldFrom(inner); // yield from inner
            y.yield("inner yielded " + n);
            return null;
        });
        outer.forEachRemaining(System.out::println);
        // end::yieldFrom[]
        assertThat(printed()).containsExactly("a", "b", "inner yielded 2");
    }

    @Test
    void asyncGenerator() {
        // tag::asyncGenerator[]
        Async.run(TestEventLoop::new, () -> {
            AsyncGenerator<String, Void> ticks = AsyncGenerator.of(y -> {
                for (int i = 1; i <= 3; i++) {
                    Async.sleep(Duration.ofSeconds(1)); // may await between yields
                    y.yield("tick " + i);
                }
            });
            for (String tick : ticks) { // async for: each step suspends the task
                System.out.println(tick + " at " + Duration.ofNanos(Async.loop().time()));
            }
            return null;
        });
        // end::asyncGenerator[]
        assertThat(printed()).containsExactly("tick 1 at PT1S", "tick 2 at PT2S", "tick 3 at PT3S");
    }

    @Test
    void anext() {
        // tag::anext[]
        Async.run(() -> {
            AsyncGenerator<Integer, Void> numbers = AsyncGenerator.of(y -> {
                try {
                    y.yield(1);
                    y.yield(2);
                } finally {
                    System.out.println("closed");
                }
            });
            System.out.println(Async.await(numbers.anext())); // await anext(numbers)
            Async.await(numbers.aclose()); // await numbers.aclose()
            try {
                Async.await(numbers.anext());
            } catch (NoSuchElementException e) { // StopAsyncIteration
                System.out.println("exhausted");
            }
            return null;
        });
        // end::anext[]
        assertThat(printed()).containsExactly("1", "closed", "exhausted");
    }
}
