package io.loopbridge.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** JFR: A lap of the event loop whose callbacks together ran longer than the threshold. */
@Name("io.loopbridge.LoopLap")
@Label("Slow loop lap")
@Category("loopbridge")
@Description("A lap of the event loop whose callbacks together ran longer than the threshold.")
@Threshold("20 ms")
@StackTrace(false)
public final class LoopLapEvent extends jdk.jfr.Event {
    @Label("The loop")
    public String loop;

    @Label("Callbacks run")
    public int callbacks;
}
