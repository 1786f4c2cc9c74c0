package io.glidepath.helm.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VersionConstraintTest {
  private static boolean ok(String constraint, String version) {
    return VersionConstraint.parse(constraint).test(ChartVersion.parse(version));
  }

  @Test
  void caretKeepsTheMajorOrForZeroTheMinor() {
    assertThat(ok("^1.2", "1.2.0")).isTrue();
    assertThat(ok("^1.2", "1.9.7")).isTrue();
    assertThat(ok("^1.2", "2.0.0")).isFalse();
    assertThat(ok("^1.2", "1.1.9")).isFalse();
    assertThat(ok("^1", "1.0.0")).isTrue();
    assertThat(ok("^0.3.1", "0.3.9")).isTrue();
    assertThat(ok("^0.3.1", "0.4.0")).isFalse();
    assertThat(ok("^0.0.3", "0.0.4")).isFalse();
    assertThat(ok("^0.0", "0.0.9")).isTrue();
    assertThat(ok("^0.0", "0.1.0")).isFalse();
  }

  @Test
  void tildeKeepsTheMinor() {
    assertThat(ok("~1.2.3", "1.2.9")).isTrue();
    assertThat(ok("~1.2.3", "1.3.0")).isFalse();
    assertThat(ok("~1", "1.9.0")).isTrue();
    assertThat(ok("~>2.0", "2.0.5")).isTrue();
  }

  @Test
  void rangesWildcardsAndComparisons() {
    assertThat(ok(">=1.0 <2", "1.5.0")).isTrue();
    assertThat(ok(">=1.0 <2", "2.0.0")).isFalse();
    assertThat(ok(">=1.0, <2", "0.9.0")).isFalse();
    assertThat(ok("1.2.x", "1.2.7")).isTrue();
    assertThat(ok("1.2.x", "1.3.0")).isFalse();
    assertThat(ok("1.2", "1.2.7")).isTrue(); // a missing part is a wildcard
    assertThat(ok("*", "7.0.1")).isTrue();
    assertThat(ok("", "0.0.1")).isTrue();
    assertThat(ok("1.2 - 1.4.5", "1.4.5")).isTrue();
    assertThat(ok("1.2 - 1.4.5", "1.4.6")).isFalse();
    assertThat(ok(">11", "11.9.0")).isFalse(); // Masterminds: >11 means 12 and up
    assertThat(ok(">11", "12.0.0")).isTrue();
    assertThat(ok("<=1.2", "1.2.9")).isTrue();
    assertThat(ok("<=1.2", "1.3.0")).isFalse();
    assertThat(ok("!=1.2.3", "1.2.3")).isFalse();
    assertThat(ok("!=1.2.x", "1.2.5")).isFalse();
    assertThat(ok("!=1.2.x", "1.3.0")).isTrue();
    assertThat(ok("1.0.0", "v1.0.0+build.7")).isTrue();
    assertThat(ok("^1 || ^3", "3.1.0")).isTrue();
    assertThat(ok("^1 || ^3", "2.1.0")).isFalse();
  }

  @Test
  void preReleasesOnlyMatchConstraintsThatNameOne() {
    assertThat(ok("^1", "1.5.0-rc.1")).isFalse();
    assertThat(ok(">=1.5.0-0", "1.5.0-rc.1")).isTrue();
    assertThat(ok("*", "1.0.0-beta")).isFalse();
  }

  @Test
  void picksTheHighestSatisfyingVersion() {
    List<ChartVersion> versions =
        Stream.of("4.10.0", "4.11.2", "4.11.10", "5.0.0", "4.12.0-rc.1", "3.0.0")
            .map(ChartVersion::parse)
            .toList();
    assertThat(VersionConstraint.parse("^4.11").highest(versions))
        .map(ChartVersion::text)
        .contains("4.11.10");
    assertThat(VersionConstraint.parse(">=6").highest(versions)).isEmpty();
  }

  @Test
  void ordersVersionsBySemVerPrecedence() {
    assertThat(ChartVersion.parse("1.0.0-alpha").compareTo(ChartVersion.parse("1.0.0-alpha.1")))
        .isNegative();
    assertThat(ChartVersion.parse("1.0.0-alpha.beta").compareTo(ChartVersion.parse("1.0.0-beta")))
        .isNegative();
    assertThat(ChartVersion.parse("1.0.0-beta.2").compareTo(ChartVersion.parse("1.0.0-beta.11")))
        .isNegative();
    assertThat(ChartVersion.parse("1.0.0-rc.1").compareTo(ChartVersion.parse("1.0.0")))
        .isNegative();
    assertThat(ChartVersion.isExact("1.2.3")).isTrue();
    assertThat(ChartVersion.isExact("1.2")).isFalse();
    assertThat(ChartVersion.isExact("^1.2.3")).isFalse();
  }

  @Test
  void refusesWhatIsNotAConstraint() {
    assertThatThrownBy(() -> VersionConstraint.parse("latest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latest");
    assertThatThrownBy(() -> VersionConstraint.parse(">=1.0<2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VersionConstraint.parse("^1 ||"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
