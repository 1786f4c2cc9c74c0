package io.glidepath.examples.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThresholdTest {

  @Test
  void readsTheNumberAConditionComparesTheFirstResultWith() {
    assertThat(Threshold.of("result[0] >= 0.99"))
        .contains(new Threshold(">=", 0.99, "result[0] >= 0.99"));
    assertThat(Threshold.of(" result > 1.0 ")).contains(new Threshold(">", 1.0, "result > 1.0"));
    assertThat(Threshold.of("result[0]<2e-3"))
        .contains(new Threshold("<", 0.002, "result[0]<2e-3"));
  }

  @Test
  void aNumberOnTheLeftTurnsTheOperatorAround() {
    assertThat(Threshold.of("0.95 <= result[0]"))
        .contains(new Threshold(">=", 0.95, "0.95 <= result[0]"));
  }

  @Test
  void conditionsOfAnotherShapeHaveNoThreshold() {
    assertThat(Threshold.of("result[0] >= 0.9 && result[1] < 3")).isEmpty();
    assertThat(Threshold.of("len(result) > 0")).isEmpty();
    assertThat(Threshold.of("result[1] > 2")).isEmpty();
  }
}
