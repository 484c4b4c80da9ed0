package io.loopbridge.samples;

import java.io.PrintStream;

/** One runnable program of the tour: {@code samples/run <name> [args]}. */
public interface Sample {
    /** The name used on the command line. */
    String name();

    /** One line saying what the sample shows. */
    String description();

    /** Whether the sample can run without arguments, and so is part of {@code samples/run tour}. */
    default boolean inTour() {
        return true;
    }

    /** Runs the sample, printing to {@code out}. */
    void run(String[] args, PrintStream out) throws Exception;
}
