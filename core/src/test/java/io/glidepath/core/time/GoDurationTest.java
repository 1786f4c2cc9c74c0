package io.glidepath.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "30s, PT30S",
    "2m, PT2M",
    "1h30m, PT1H30M",
    "500ms, PT0.5S",
    "1.5h, PT1H30M",
    "30, PT30S",
    "0, PT0S",
    "1m30.5s, PT1M30.5S",
    "250us, PT0.00025S",
    "-5s, PT-5S",
    "3m0s, PT3M",
  })
  void parsesGoDurations(String text, String iso) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource({"abc", "5x", "1h 30m", "m", "-", "1.2.3s", "5s3"})
  void refusesWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text);
  }

  @ParameterizedTest(name = "{1} formats as {0}")
  @CsvSource({
    "1h30m0s, PT1H30M",
    "5m0s, PT5M",
    "30s, PT30S",
    "500ms, PT0.5S",
    "0s, PT0S",
    "1.5s, PT1.5S"
  })
  void formatsLikeGo(String text, String iso) {
    assertThat(GoDuration.format(Duration.parse(iso))).isEqualTo(text);
  }
}
