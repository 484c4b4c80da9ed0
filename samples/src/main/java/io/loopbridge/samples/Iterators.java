package io.loopbridge.samples;

import io.loopbridge.gen.Generator;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Where coroutines come from: an iterator keeps its position in a field between calls; a
 * generator keeps it in a local variable of a body that pauses at each {@code yield}. Then the
 * generator is driven by hand, and {@code send} and {@code throwIn} reach into the paused body.
 */
public final class Iterators implements Sample {
    @Override
    public String name() {
        return "iterators";
    }

    @Override
    public String description() {
        return "a hand-written Iterator, the same as a Generator, driven by next(), send() and throwIn()";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        out.println("-- an Iterable whose Iterator keeps its position in a field:");
        for (int i : new SampleIterable(10)) {
            out.printf("i = %d%n", i);
        }

        out.println("-- the same as a generator: the position is a local variable of a paused body:");
        for (int i : myGenerator(10)) {
            out.printf("i = %d%n", i);
        }

        out.println("-- driven by hand: next() until NoSuchElementException (Python's StopIteration):");
        Generator<Integer, Integer, Void> generator = myGenerator(5);
        while (true) {
            try {
                int value = generator.next();
                out.printf("Value: %d%n", value);
            } catch (NoSuchElementException stop) {
                break;
            }
        }

        out.println("-- send() resumes the paused yield with a value: here, a new position:");
        generator = myGenerator(20);
        out.println("next()  -> " + generator.next());
        out.println("next()  -> " + generator.next());
        out.println("send(7) -> " + generator.send(7));
        out.println("next()  -> " + generator.next());
        generator.close();

        out.println("-- throwIn() raises an exception at the paused yield; this body lets it pass:");
        generator = myGenerator(20);
        out.println("next()  -> " + generator.next());
        try {
            generator.throwIn(new IllegalStateException("stop counting"));
        } catch (IllegalStateException e) {
            out.println("throwIn() rethrew it to the caller: " + e.getMessage());
        }
        out.println("the generator is done: " + generator.isDone());
    }

    /** Counts from 0 to {@code limit - 1}; a value sent in moves the position there. */
    static Generator<Integer, Integer, Void> myGenerator(int limit) {
        return Generator.of(y -> {
            int position = 0;
            while (position < limit) {
                Integer sent = y.yield(position);
                position = sent != null ? sent : position + 1;
            }
            return null;
        });
    }

    /** An iterable over 0 .. limit-1: each iterator starts afresh. */
    static final class SampleIterable implements Iterable<Integer> {
        private final int limit;

        SampleIterable(int limit) {
            this.limit = limit;
        }

        @Override
        public Iterator<Integer> iterator() {
            return new SampleIterator(limit);
        }
    }

    /** Remembers where it is between calls: the state a generator keeps for free. */
    static final class SampleIterator implements Iterator<Integer> {
        private final int limit;
        private int position;

        SampleIterator(int limit) {
            this.limit = limit;
        }

        @Override
        public boolean hasNext() {
            return position < limit;
        }

        @Override
        public Integer next() {
            if (position >= limit) {
                throw new NoSuchElementException();
            }
            return position++;
        }
    }
}
