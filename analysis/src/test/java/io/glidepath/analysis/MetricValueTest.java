package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricValueTest {

  @Test
  void toStringKeepsFullPrecisionAsArgoRecordsIt() {
    assertThat(MetricValue.vector(0.9200000329094212).toString()).isEqualTo("[0.9200000329094212]");
  }

  @Test
  void theShortFormRoundsNumbersToFourSignificantDigitsForPeople() {
    assertThat(MetricValue.vector(0.9200000329094212).toShortString()).isEqualTo("[0.92]");
    assertThat(MetricValue.vector(0.99512, 1.23456789).toShortString()).isEqualTo("[0.9951 1.235]");
    assertThat(MetricValue.scalar(0.000123456).toShortString()).isEqualTo("0.0001235");
    assertThat(MetricValue.scalar(3).toShortString()).isEqualTo("3");
    assertThat(MetricValue.scalar(Double.NaN).toShortString()).isEqualTo("NaN");
    assertThat(MetricValue.map(Map.of("score", MetricValue.scalar(87.654321))).toShortString())
        .isEqualTo("map[score:87.65]");
  }
}
