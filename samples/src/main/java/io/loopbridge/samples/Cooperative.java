package io.loopbridge.samples;

import io.loopbridge.gen.Generator;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NoSuchElementException;

/**
 * Cooperative multitasking from generators alone: a function runs from start to finish, a
 * generator pauses at each {@code yield}, {@code send} makes it a two-way coroutine, and a
 * round-robin scheduler runs several generator tasks, each giving control back at its yields.
 * Nothing preempts a task: one that never yields would stop them all.
 */
public final class Cooperative implements Sample {
    @Override
    public String name() {
        return "cooperative";
    }

    @Override
    public String description() {
        return "generators as tasks: hello() with send(), then a round-robin scheduler of generator tasks";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        out.println("-- a function runs from start to finish and returns once:");
        out.println(hello("Reuven"));

        out.println("-- a generator function pauses at each yield, resumed by the for loop:");
        for (String s : helloGenerator("Reuven")) {
            out.println(s);
        }

        out.println("-- send() turns it into a coroutine: values go in as well as out:");
        Generator<String, String, Void> g = helloCoroutine("world");
        out.println("next()                -> " + g.next());
        out.println("send(\"Reuven\")        -> " + g.send("Reuven"));
        out.println("send(\"Linux Journal\") -> " + g.send("Linux Journal"));
        try {
            g.send(null);
        } catch (NoSuchElementException stop) {
            out.println("send(null)            -> the coroutine returned");
        }

        out.println("-- a round-robin scheduler: each task runs until its next yield, then the next task runs:");
        RoundRobin scheduler = new RoundRobin(out);
        scheduler.spawn("countdown", countdown(3));
        scheduler.spawn("fibonacci", fibonacci(5));
        scheduler.spawn("greeter", greeter("Ada", "Grace"));
        scheduler.run();
    }

    static String hello(String name) {
        return "Hello, " + name;
    }

    static Generator<String, Void, Void> helloGenerator(String name) {
        return Generator.of(y -> {
            for (int i = 0; i < 5; i++) {
                y.yield("[" + i + "] Hello, " + name);
            }
            return null;
        });
    }

    /** Greets whoever is sent in, until {@code null} is sent. */
    static Generator<String, String, Void> helloCoroutine(String first) {
        return Generator.of(y -> {
            String name = first;
            while (name != null) {
                name = y.yield("Hello, " + name);
            }
            return null;
        });
    }

    static Generator<String, Void, String> countdown(int from) {
        return Generator.of(y -> {
            for (int n = from; n > 0; n--) {
                y.yield(String.valueOf(n));
            }
            return "liftoff";
        });
    }

    static Generator<String, Void, String> fibonacci(int count) {
        return Generator.of(y -> {
            long a = 0;
            long b = 1;
            long sum = 0;
            for (int i = 0; i < count; i++) {
                y.yield(String.valueOf(a));
                sum += a;
                long next = a + b;
                a = b;
                b = next;
            }
            return "sum " + sum;
        });
    }

    static Generator<String, Void, String> greeter(String... names) {
        return Generator.of(y -> {
            for (String name : names) {
                y.yield("Hello, " + name);
            }
            return names.length + " greeted";
        });
    }

    /**
     * The whole scheduler: a queue of paused tasks. It resumes the task at the head; when the task
     * yields, it goes to the back; when it returns, its result is reported and it is dropped.
     */
    static final class RoundRobin {
        private final Deque<Named> ready = new ArrayDeque<>();
        private final PrintStream out;

        RoundRobin(PrintStream out) {
            this.out = out;
        }

        void spawn(String name, Generator<String, Void, String> task) {
            ready.add(new Named(name, task));
        }

        void run() {
            int tick = 0;
            while (!ready.isEmpty()) {
                Named task = ready.poll();
                tick++;
                if (task.body.hasNext()) {
                    out.printf("tick %2d  %-10s %s%n", tick, task.name, task.body.next());
                    ready.add(task);
                } else {
                    out.printf("tick %2d  %-10s finished: %s%n", tick, task.name, task.body.result());
                }
            }
        }

        private record Named(String name, Generator<String, Void, String> body) {}
    }
}
