package io.glidepath.core.internal.glob;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
  @Test
  void aGlobIsCompiledOnceAndMatchesAsArgoCdDoes() {
    Glob g = Glob.of("team-*.example.{com,org}");

    assertThat(Glob.of("team-*.example.{com,org}")).isSameAs(g);
    assertThat(g.matches("team-a/b.example.org")).isTrue(); // '*' crosses '/'
    assertThat(g.matches("team-a.example.net")).isFalse();
    assertThat(Glob.of("v?").matches("v1")).isTrue();
    assertThat(Glob.of("v?").matches("v10")).isFalse();
  }

  @Test
  void aLiteralAndTheStarMatchAsTheirPatternsWould() {
    assertThat(Glob.of("apps.example.com").matches("apps.example.com")).isTrue();
    assertThat(Glob.of("apps.example.com").matches("appsXexample.com")).isFalse();
    assertThat(Glob.of("apps").matches("apps2")).isFalse();
    assertThat(Glob.of("").matches("")).isTrue();
    assertThat(Glob.of("").matches("a")).isFalse();
    assertThat(Glob.of("*").matches("")).isTrue();
    assertThat(Glob.of("*").matches("line\nbreak/and more")).isTrue();
    assertThat(Glob.of("a,b").matches("a,b")).isTrue(); // a comma outside braces is literal
    assertThat(Glob.of("a,b").matches("a")).isFalse();
    assertThat(Glob.of("a\\*").matches("a*")).isTrue();
    assertThat(Glob.of("a\\*").matches("ab")).isFalse();
  }

  @Test
  void theCacheStaysBoundedWhateverTheNumberOfGlobs() {
    for (int i = 0; i < Glob.CACHE_LIMIT * 3; i++) {
      assertThat(Glob.of("app-" + i + "-*").matches("app-" + i + "-x")).isTrue();
    }

    assertThat(Glob.cached()).isLessThanOrEqualTo(Glob.CACHE_LIMIT);
  }

  @Test
  void anUnclosedClassIsLiteralAndAnUnclosedGroupEndsAtTheEnd() {
    assertThat(Glob.of("env-[ab").matches("env-[ab")).isTrue();
    assertThat(Glob.of("env-[!ab]").matches("env-c")).isTrue();
    assertThat(Glob.of("env-[!ab]").matches("env-a")).isFalse();
    assertThat(Glob.of("{dev,prod").matches("prod")).isTrue();
    assertThat(Glob.of("a}").matches("a}")).isTrue();
  }
}
