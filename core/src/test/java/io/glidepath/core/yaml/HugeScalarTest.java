package io.glidepath.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.project.Project;
import io.glidepath.core.time.GoDuration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Huge numbers end fast and mean what go-yaml makes of them; errors about them quote a short prefix
 * (issue 15, items 10 and 11). The timeouts guard termination, they are not speed targets.
 */
class HugeScalarTest {
  private static final String MILLION_DIGITS = "9".repeat(1_500_000);

  @Test
  @Timeout(60)
  void anIntegerBeyondAFloatsRangeIsAStringAsGoYamlKeepsIt() {
    assertThat(Yaml.readTree("v: " + MILLION_DIGITS + "\n", "big.yaml").get("v").isString())
        .isTrue();
    // past uint64, go-yaml falls back to ParseFloat: a float while one holds it, else a string
    assertThat(Yaml.readTree("v: 18446744073709551616\n", "big.yaml").get("v").isDouble()).isTrue();
    assertThat(Yaml.readTree("v: 18446744073709551615\n", "big.yaml").get("v").isBigInteger())
        .isTrue();
    assertThat(Yaml.readTree("v: 1e400\n", "big.yaml").get("v").isString()).isTrue();
  }

  @Test
  @Timeout(60)
  void leadingZerosDoNotCountAgainstTheBound() {
    // a leading 0 makes it octal, as in go-yaml v2
    String octalOne = "0".repeat(100_000) + "1";
    assertThat(Yaml.readTree("v: " + octalOne + "\n", "z.yaml").get("v").intValue()).isEqualTo(1);
  }

  @Test
  @Timeout(60)
  void anErrorAboutAHugeNumberQuotesOnlyItsStart() {
    assertThatThrownBy(() -> Yaml.readTree("v: !!float " + MILLION_DIGITS + "e999\n", "f.yaml"))
        .isInstanceOf(YamlException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    assertThatThrownBy(() -> GoDuration.parse(MILLION_DIGITS + "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void aDurationBeyondGosRangeIsAnErrorNotAnArithmeticException() {
    assertThatThrownBy(() -> GoDuration.parse("99999999999999999999h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than Go's largest duration");
    assertThatThrownBy(() -> GoDuration.parse("99999999999999999999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than Go's largest duration");
    assertThat(GoDuration.parse("2562047h")).isEqualTo(Duration.ofHours(2562047));
  }

  @Test
  void aSyncWindowDurationBeyondGosRangeNamesTheField() {
    String project =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: p}
        spec:
          syncWindows:
          - {kind: deny, schedule: '* * * * *', duration: 99999999999999999999h, applications: ['*']}
        """;

    assertThatThrownBy(() -> Project.parse(project, "p.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("syncWindows")
        .hasMessageContaining("longer than Go's largest duration");
  }
}
