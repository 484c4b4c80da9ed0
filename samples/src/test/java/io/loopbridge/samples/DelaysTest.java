package io.loopbridge.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DelaysTest {
    @Test
    void parsesMillisSecondsAndIso() {
        assertThat(Delays.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Delays.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Delays.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Delays.parse("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void takesTheFlagInEitherFormElseTheFallback() {
        Duration fallback = Duration.ofSeconds(1);
        assertThat(Delays.fromArgs(new String[] {"--delay", "10ms"}, fallback)).isEqualTo(Duration.ofMillis(10));
        assertThat(Delays.fromArgs(new String[] {"--delay=3s"}, fallback)).isEqualTo(Duration.ofSeconds(3));
        assertThat(Delays.fromArgs(new String[0], fallback)).isSameAs(fallback);
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThatThrownBy(() -> Delays.parse("soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Delays.fromArgs(new String[] {"--delay"}, Duration.ZERO))
                .hasMessageContaining("--delay needs a duration");
        assertThatThrownBy(() -> Delays.parse("-1s")).hasMessageContaining("cannot be negative");
    }
}
