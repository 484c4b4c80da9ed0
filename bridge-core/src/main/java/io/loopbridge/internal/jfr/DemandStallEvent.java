package io.loopbridge.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** JFR: A Reactive.publisher generator waited for subscriber demand for longer than the threshold. */
@Name("io.loopbridge.DemandStall")
@Label("Publisher demand stall")
@Category("loopbridge")
@Description("A Reactive.publisher generator waited for subscriber demand for longer than the threshold.")
@Threshold("10 ms")
@StackTrace(false)
public final class DemandStallEvent extends jdk.jfr.Event {
    @Label("The publisher")
    public String publisher;
}
