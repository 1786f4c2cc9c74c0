package io.glidepath.core.internal.glob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.RenderException;
import org.junit.jupiter.api.Test;

class PathGlobTest {
  @Test
  void aStarStaysInOneSegmentAndTwoStarsCrossThem() {
    assertThat(PathGlob.of("apps/*").matches("apps/web")).isTrue();
    assertThat(PathGlob.of("apps/*").matches("apps/web/prod")).isFalse();
    assertThat(PathGlob.of("apps/**").matches("apps/web/prod")).isTrue();
    assertThat(PathGlob.of("apps/?").matches("apps/a")).isTrue();
    assertThat(PathGlob.of("a?b").matches("a/b")).isFalse();
  }

  @Test
  void classesAlternativesAndEscapesMatchAsJavaNioGlobsDo() {
    assertThat(PathGlob.of("env-[ab]").matches("env-b")).isTrue();
    assertThat(PathGlob.of("env-[!ab]").matches("env-b")).isFalse();
    assertThat(PathGlob.of("env-[^ab]").matches("env-c")).isTrue();
    assertThat(PathGlob.of("v[.]1").matches("v.1")).isTrue(); // '.' in a class is literal
    assertThat(PathGlob.of("v[.]1").matches("vx1")).isFalse();
    assertThat(PathGlob.of("{dev,prod}/app").matches("prod/app")).isTrue();
    assertThat(PathGlob.of("{dev,prod}/app").matches("qa/app")).isFalse();
    assertThat(PathGlob.of("a,b").matches("a,b")).isTrue();
    assertThat(PathGlob.of("a}").matches("a}")).isTrue();
    assertThat(PathGlob.of("a\\*").matches("a*")).isTrue();
    assertThat(PathGlob.of("a\\*").matches("ab")).isFalse();
  }

  @Test
  void anUnclosedClassOrGroupIsRefusedNamingTheGlob() {
    assertThatThrownBy(() -> PathGlob.of("env-[ab"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("\"env-[ab\"");
    assertThatThrownBy(() -> PathGlob.of("{dev,prod"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("\"{dev,prod\"");
  }

  @Test
  void aBacktrackingPatternIsMatchedInLinearTime() {
    // the JDK's glob matcher takes exponential time on this pair; RE2 answers at once
    assertThat(PathGlob.of("*a*a*a*a*a*a*a*a*b").matches("a".repeat(5_000))).isFalse();
  }
}
