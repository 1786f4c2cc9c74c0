package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KyamlScalarsTest {
  @Test
  void yaml11OnlyBooleansAreQuotedEverywhere() {
    assertThat(KyamlScalars.quoteYaml11Booleans("a: yes\non: [no, off, true]\nc: 'y'\n"))
        .isEqualTo("a: \"yes\"\n\"on\": [\"no\", \"off\", true]\nc: 'y'\n");
  }

  @Test
  void explicitTagsAndOtherWordsStay() {
    String text = "a: !!bool yes\nb: yesterday\nc: nothing # no\n";
    assertThat(KyamlScalars.quoteYaml11Booleans(text)).isEqualTo(text);
  }

  @Test
  void timestampsBecomeGoRfc3339Text() {
    assertThat(KyamlScalars.timestamp("2024-1-2")).isEqualTo("2024-01-02T00:00:00Z");
    assertThat(KyamlScalars.timestamp("2001-12-14t21:59:43.10-05:00"))
        .isEqualTo("2001-12-14T21:59:43.1-05:00");
    assertThat(KyamlScalars.timestamp("2001-12-14 21:59:43.10"))
        .isEqualTo("2001-12-14T21:59:43.1Z");
    assertThat(KyamlScalars.timestamp("2002-12-14T01:02:03+00:00"))
        .isEqualTo("2002-12-14T01:02:03Z");
    assertThat(KyamlScalars.timestamp("2024-13-01")).isNull();
    assertThat(KyamlScalars.timestamp("v2024-01-01")).isNull();
  }

  @Test
  void positionsAfterAstralCharactersAreKept() {
    assertThat(KyamlScalars.quoteYaml11Booleans("a: \"😀\"\nb: on\n"))
        .isEqualTo("a: \"😀\"\nb: \"on\"\n");
  }

  @Test
  void invalidYamlIsLeftForTheReaderToReport() {
    String bad = "a: [yes\n";
    assertThat(KyamlScalars.quoteYaml11Booleans(bad)).isEqualTo(bad);
  }
}
