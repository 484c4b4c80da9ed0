package io.loopbridge.samples;

import java.time.Duration;
import java.util.Locale;

/**
 * The pace of the timed samples: the asyncio texts wait one second per step, and so do the samples
 * unless {@code --delay <duration>} says otherwise ({@code 250ms}, {@code 2s}, {@code PT0.5S}).
 */
final class Delays {
    static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private Delays() {}

    /** The value of {@code --delay} in {@code args}, else {@code fallback}. */
    static Duration fromArgs(String[] args, Duration fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--delay")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--delay needs a duration, e.g. --delay 250ms");
                }
                return parse(args[i + 1]);
            }
            if (args[i].startsWith("--delay=")) {
                return parse(args[i].substring("--delay=".length()));
            }
        }
        return fallback;
    }

    /** {@code 250ms}, {@code 2s}, {@code 1.5s} or an ISO-8601 duration; never negative. */
    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("pt")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1e9));
            } else {
                throw new NumberFormatException(text);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 250ms, 2s or PT0.5S)");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + text);
        }
        return d;
    }
}
