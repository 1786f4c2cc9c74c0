package io.glidepath.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class ExternalToolTest {

  @Test
  void aToolIsAvailableExactlyWhenItHasNoReason() {
    for (ExternalTool tool : ExternalTool.values()) {
      assertThat(tool.available()).isEqualTo(tool.unavailableReason().isEmpty());
      tool.unavailableReason().ifPresent(why -> assertThat(why).contains("install"));
    }
  }

  @Test
  void requireWithAllToolsPresentReturnsAndOtherwiseSkipsOrFailsByTheCiVariable() {
    boolean allThere = true;
    for (ExternalTool tool : ExternalTool.values()) {
      allThere &= tool.available();
    }
    if (allThere) {
      ExternalTool.require(ExternalTool.values());
    } else if (ExternalTool.underCi()) {
      assertThatThrownBy(() -> ExternalTool.require(ExternalTool.values()))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("CI=true");
    } else {
      assertThatThrownBy(() -> ExternalTool.require(ExternalTool.values()))
          .isInstanceOf(TestAbortedException.class)
          .hasMessageStartingWith("skipped: ");
    }
  }

  @Test
  void requiringNothingNeverThrows() {
    ExternalTool.require();
  }
}
