package io.loopbridge.internal;

import io.loopbridge.loop.EventLoop;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * The loops that are running now, for the JMX view ({@link LoopsMXBean}), registered on first use
 * when {@code -Dloopbridge.jmx=true}. Not API.
 */
public final class RunningLoops implements LoopsMXBean {
    private static final boolean JMX = Boolean.getBoolean("loopbridge.jmx");
    private static final Set<EventLoop> LOOPS = ConcurrentHashMap.newKeySet();
    private static volatile boolean registered;

    private RunningLoops() {}

    /** Called by a loop when it starts running. */
    public static void started(EventLoop loop) {
        if (!JMX) {
            return;
        }
        LOOPS.add(loop);
        if (!registered) {
            register();
        }
    }

    /** Called by a loop when it stops running. */
    public static void stopped(EventLoop loop) {
        if (JMX) {
            LOOPS.remove(loop);
        }
    }

    private static synchronized void register() {
        if (registered) {
            return;
        }
        registered = true;
        try {
            ManagementFactory.getPlatformMBeanServer()
                    .registerMBean(new RunningLoops(), new ObjectName("io.loopbridge:type=Loops"));
        } catch (Exception e) {
            System.getLogger(RunningLoops.class.getName())
                    .log(System.Logger.Level.WARNING, "cannot register the loopbridge MXBean", e);
        }
    }

    @Override
    public int getRunningLoops() {
        return LOOPS.size();
    }

    @Override
    public String dumpTasks() {
        StringBuilder all = new StringBuilder();
        for (EventLoop loop : LOOPS) {
            all.append(onLoop(loop, () -> {
                StringBuilder sb = new StringBuilder();
                try {
                    loop.dumpTasks(sb);
                } catch (java.io.IOException cannotHappen) {
                    throw new java.io.UncheckedIOException(cannotHappen);
                }
                return sb.toString();
            }));
        }
        return all.toString();
    }

    @Override
    public String stats() {
        StringBuilder all = new StringBuilder();
        for (EventLoop loop : LOOPS) {
            all.append(loop).append(' ').append(loop.stats()).append('\n');
        }
        return all.toString();
    }

    /** Runs {@code what} on the loop and waits up to two seconds: a busy loop answers late or not at all. */
    private static String onLoop(EventLoop loop, java.util.function.Supplier<String> what) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        try {
            loop.callSoonThreadsafe(() -> answer.complete(what.get()));
            return answer.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return loop + ": no answer (" + e + ")\n";
        }
    }
}
