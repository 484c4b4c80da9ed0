package io.loopbridge.internal;

/** What the loop keeps of each live task: enough to list it, dump it and end it. Not API. */
public interface LiveTask {
    /** The task itself. */
    Object task();

    /** One block of text for {@code dumpTasks}: the task and where it waits. */
    String describe();

    /** Ends a task whose loop closes under it: its fiber unwinds, its thread (if any) ends. */
    void abandon();
}
