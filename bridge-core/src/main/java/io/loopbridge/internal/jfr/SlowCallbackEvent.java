package io.loopbridge.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** JFR: A callback that held the loop for longer than the threshold. */
@Name("io.loopbridge.SlowCallback")
@Label("Slow loop callback")
@Category("loopbridge")
@Description("A callback that held the loop for longer than the threshold.")
@Threshold("100 ms")
@StackTrace(false)
public final class SlowCallbackEvent extends jdk.jfr.Event {
    @Label("The callback")
    public String callback;
}
