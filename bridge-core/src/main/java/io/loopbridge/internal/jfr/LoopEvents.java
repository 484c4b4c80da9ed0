package io.loopbridge.internal.jfr;

import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Whether a running JFR recording enables loopbridge's events. The hot paths read one volatile
 * flag; only while it is set do they time callbacks, task steps and laps. Not API.
 */
public final class LoopEvents {
    private static final List<Class<? extends Event>> ALL =
            List.of(SlowCallbackEvent.class, TaskStepEvent.class, LoopLapEvent.class, DemandStallEvent.class);
    private static volatile boolean enabled;

    static {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recordingStateChanged(Recording recording) {
                    refresh();
                }
            });
            if (FlightRecorder.isInitialized()) {
                refresh();
            }
        } catch (Throwable noJfr) {
            enabled = false; // a runtime image without jdk.jfr: the events stay off
        }
    }

    private LoopEvents() {}

    /** Whether any loopbridge event is enabled in a running recording. */
    public static boolean enabled() {
        return enabled;
    }

    private static void refresh() {
        boolean running = FlightRecorder.getFlightRecorder().getRecordings().stream()
                .anyMatch(r -> r.getState() == RecordingState.RUNNING);
        enabled =
                running && ALL.stream().anyMatch(c -> EventType.getEventType(c).isEnabled());
    }
}
