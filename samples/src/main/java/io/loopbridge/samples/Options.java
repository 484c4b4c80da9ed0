package io.loopbridge.samples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of the network samples: options {@code --name value} or {@code --name=value},
 * each known to the sample, and the words left over ({@code echo-client}'s lines, {@code
 * http-headers}' url).
 */
final class Options {
    private final Map<String, String> values;
    private final List<String> words;

    private Options(Map<String, String> values, List<String> words) {
        this.values = values;
        this.words = words;
    }

    /**
     * Splits {@code args} into the options of {@code known} (names with their dashes) and words.
     *
     * @throws IllegalArgumentException for an option not in {@code known}, or one without a value
     */
    static Options parse(String[] args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                words.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + "; this sample knows " + known);
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name, value);
        }
        return new Options(values, List.copyOf(words));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** A TCP port, 0 to 65535 (0: one the system picks). */
    int port(String name, int fallback) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a port number from 0 to 65535: '" + text + "'");
    }

    /** A duration as {@link Delays#parse} reads it ({@code 200ms}, {@code 10s}). */
    Duration duration(String name, Duration fallback) {
        String text = values.get(name);
        return text == null ? fallback : Delays.parse(text);
    }

    /** A fraction from 0 to 1. */
    double fraction(String name, double fallback) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            double f = Double.parseDouble(text);
            if (f >= 0 && f <= 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a fraction from 0 to 1: '" + text + "'");
    }

    /** The arguments that are not options, in order. */
    List<String> words() {
        return words;
    }
}
