package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KyamlScalarsTest {
  @Test
  void theFastCheckAgreesWithTheTokenRuleOnRandomText() {
    // the rule as a regular expression (the former implementation): a YAML 1.1-only boolean or a
    // date as a whole token of letters, digits and _ . - /
    java.util.regex.Pattern rule =
        java.util.regex.Pattern.compile(
            "(?<![\\w.\\-/])(?:[yYnN]|[yY]es|YES|[nN]o|NO|[oO]n|ON|[oO]ff|OFF"
                + "|\\d{4}-\\d{1,2}-\\d{1,2})(?![\\w.\\-/])");
    String[] parts = {
      "y",
      "Yes",
      "NO",
      "off",
      "On",
      "x",
      "yes-",
      "/no",
      "2024-01-02",
      "2024-1-2",
      "2024-123-1",
      "20240-1-1",
      "1-2-3",
      " ",
      ": ",
      "\n",
      "-",
      ".",
      "_",
      "é",
      "ON.",
      "12",
      "no1",
      "\"on\""
    };
    java.util.Random random = new java.util.Random(16);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = random.nextInt(6); k >= 0; k--) {
        sb.append(parts[random.nextInt(parts.length)]);
      }
      String s = sb.toString();
      assertThat(KyamlScalars.mayContain(s)).as(s).isEqualTo(rule.matcher(s).find());
    }
  }

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
