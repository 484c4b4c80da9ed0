package io.loopbridge.internal;

/**
 * The JMX view of the running event loops, registered as {@code io.loopbridge:type=Loops} when
 * the JVM runs with {@code -Dloopbridge.jmx=true} (jconsole, VisualVM or {@code jcmd <pid>
 * ManagementAgent.start} then any JMX client). Not API beyond these operations.
 */
public interface LoopsMXBean {
    /** The number of loops currently running. */
    int getRunningLoops();

    /** {@code EventLoop.dumpTasks} of every running loop: each live task and where it waits. */
    String dumpTasks();

    /** {@code EventLoop.stats()} of every running loop, one line each. */
    String stats();
}
