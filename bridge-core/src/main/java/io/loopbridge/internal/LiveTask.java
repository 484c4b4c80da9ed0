package io.loopbridge.internal;

/**
 * What the loop keeps of each live task: enough to list it, dump it and end it. Not API.
 *
 * <p>A class rather than an interface so that the loop's set of live tasks can link its members
 * through their own fields ({@link LiveTaskSet}): a hash set's entry and table slot would cost
 * about 50 bytes per suspended task.
 */
public abstract class LiveTask {
    /** The neighbours in the {@link LiveTaskSet} holding this task; both null when in none. */
    LiveTask prevLive;

    LiveTask nextLive;

    /** The task itself. */
    public abstract Object task();

    /** One block of text for {@code dumpTasks}: the task and where it waits. */
    public abstract String describe();

    /** Ends a task whose loop closes under it: its fiber unwinds, its thread (if any) ends. */
    public abstract void abandon();
}
