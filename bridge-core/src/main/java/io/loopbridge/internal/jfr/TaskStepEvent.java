package io.loopbridge.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** JFR: A step of a task (from one suspension to the next) that held the loop for longer than the threshold. */
@Name("io.loopbridge.TaskStep")
@Label("Slow task step")
@Category("loopbridge")
@Description("A step of a task (from one suspension to the next) that held the loop for longer than the threshold.")
@Threshold("100 ms")
@StackTrace(false)
public final class TaskStepEvent extends jdk.jfr.Event {
    @Label("The task")
    public String task;
}
