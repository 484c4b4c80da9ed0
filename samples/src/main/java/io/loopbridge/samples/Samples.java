package io.loopbridge.samples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Entry point of {@code samples/run}: {@code list}, {@code tour}, or a sample's name and its arguments. */
public final class Samples {
    /** Every sample, in tour order. */
    static final List<Sample> ALL = List.of(
            new PrintSum(),
            new FutureCallback(),
            new Factorial(),
            new Iterators(),
            new Generators(),
            new Awaitables(),
            new Cooperative(),
            new ThreadsVsLoop(),
            new FetchRows(),
            new Migrate(),
            new ReactorInterop(),
            new RxJavaInterop(),
            new WebFluxApp(),
            new HttpHeaders(),
            new EchoServer(),
            new EchoClient(),
            new EchoProtocol(),
            new Gateway());

    private Samples() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        String command = args.length == 0 ? "list" : args[0];
        switch (command) {
            case "list":
                list(out);
                break;
            case "tour":
                System.exit(tour(out) ? 0 : 1);
                break;
            default:
                Optional<Sample> sample = find(command);
                if (sample.isEmpty()) {
                    System.err.println("no sample named '" + command + "'; `samples/run list` shows them");
                    System.exit(2);
                }
                sample.get().run(Arrays.copyOfRange(args, 1, args.length), out);
        }
    }

    static Optional<Sample> find(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static void list(PrintStream out) {
        if (ALL.isEmpty()) {
            out.println("no samples yet");
        }
        for (Sample s : ALL) {
            out.printf("%-20s %s%n", s.name(), s.description());
        }
    }

    /** Runs every sample that needs no arguments; {@code true} if all of them succeeded. */
    static boolean tour(PrintStream out) {
        return tour(ALL, out);
    }

    /** Runs those of {@code samples} that need no arguments; {@code true} if all of them succeeded. */
    static boolean tour(List<Sample> samples, PrintStream out) {
        List<Sample> tour = samples.stream().filter(Sample::inTour).toList();
        if (tour.isEmpty()) {
            out.println("no samples yet");
        }
        int ok = 0;
        for (Sample s : tour) {
            out.println();
            out.println("== " + s.name() + ": " + s.description());
            try {
                s.run(new String[0], out);
                ok++;
            } catch (Exception | AssertionError | LinkageError e) {
                // a LinkageError: a sample whose dependency is missing or mismatched fails alone
                out.println("!! " + s.name() + " failed: " + e);
                e.printStackTrace(out);
            }
        }
        out.println();
        out.println("tour: " + ok + "/" + tour.size() + " samples ok");
        return ok == tour.size();
    }
}
