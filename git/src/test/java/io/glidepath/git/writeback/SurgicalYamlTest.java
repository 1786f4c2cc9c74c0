package io.glidepath.git.writeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class SurgicalYamlTest {
  static String seedValues() throws IOException {
    try (InputStream in =
        SurgicalYamlTest.class.getResourceAsStream("/seed/trade-service/values.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @SuppressWarnings("unchecked")
  static Object read(String yaml, String... path) {
    Object node = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    for (String p : path) {
      node = ((Map<String, Object>) node).get(p);
    }
    return node;
  }

  @Test
  void fillsTheSeedImageTagChangingOnlyThatLine() throws IOException {
    String before = seedValues();

    YamlEditResult r = SurgicalYaml.set(before, "values.yaml", "image.tag", "3f9c2ab");

    assertThat(r.changed()).isTrue();
    assertThat(r.previous()).contains("");
    assertThat(r.text())
        .isEqualTo(before.replace("  tag: \"\"            #", "  tag: \"3f9c2ab\"            #"));
    assertThat(read(r.text(), "image", "tag")).isEqualTo("3f9c2ab");
  }

  @Test
  void settingTheSameValueAgainChangesNothing() throws IOException {
    String once = SurgicalYaml.set(seedValues(), "v", "image.tag", "3f9c2ab").text();

    YamlEditResult again = SurgicalYaml.set(once, "v", "image.tag", "3f9c2ab");

    assertThat(again.changed()).isFalse();
    assertThat(again.text()).isSameAs(once);
    assertThat(SurgicalYaml.set("a: b\n", "v", "a", "b").changed()).isFalse();
    assertThat(SurgicalYaml.set("a: 3\n", "v", "a", "3").changed()).isFalse();
  }

  @Test
  void quotesPlainValuesThatYaml11WouldReadAsAnotherType() {
    for (String v :
        new String[] {
          "yes",
          "on",
          "0644",
          "1e3",
          "1234567",
          "1.0",
          "~",
          "null",
          "2026-01-01",
          "1:20",
          "",
          "a: b",
          "x #y",
          "-",
          "[a]",
          "*ref",
          "true",
          "a\u2028b",
          "\u0085",
          "tab\there"
        }) {
      String out = SurgicalYaml.set("tag: abc\n", "v", "tag", v).text();
      assertThat(out).as(v).startsWith("tag: \"");
      assertThat(read(out, "tag")).as(v).isEqualTo(v);
    }
    assertThat(SurgicalYaml.set("tag: abc\n", "v", "tag", "v1.2-rc_3").text())
        .isEqualTo("tag: v1.2-rc_3\n");
    assertThat(SurgicalYaml.set("tag: abc\n", "v", "tag", "sha256:ab12").text())
        .isEqualTo("tag: sha256:ab12\n");
  }

  @Test
  void keepsTheQuotingStyleOfTheOldValue() {
    assertThat(SurgicalYaml.set("a: 'x'  # c\n", "v", "a", "it's").text())
        .isEqualTo("a: 'it''s'  # c\n");
    assertThat(SurgicalYaml.set("a: \"x\"\n", "v", "a", "say \"hi\"\\").text())
        .isEqualTo("a: \"say \\\"hi\\\"\\\\\"\n");
    assertThat(SurgicalYaml.set("a: 'x'\n", "v", "a", "two\nlines").text())
        .isEqualTo("a: \"two\\nlines\"\n");
  }

  @Test
  void keepsTheTypeOfAPlainNumberOrBoolean() {
    assertThat(SurgicalYaml.set("replicaCount: 3 # n\n", "v", "replicaCount", "5").text())
        .isEqualTo("replicaCount: 5 # n\n");
    assertThat(SurgicalYaml.set("enabled: true\n", "v", "enabled", "false").text())
        .isEqualTo("enabled: false\n");
    assertThat(SurgicalYaml.set("port: 8080\n", "v", "port", "0644").text())
        .isEqualTo("port: \"0644\"\n");
  }

  @Test
  void editsListItemsByIndexAndBySelector() {
    String kustomization =
        "resources:\n- ../../base\nimages:\n  - name: other\n    newTag: v1\n"
            + "  - name: trade-service # the app\n    newName: registry.example.com/org/trade-service\n"
            + "    newTag: old\n";
    YamlEditResult r =
        SurgicalYaml.set(
            kustomization, "kustomization.yaml", "images[name=trade-service].newTag", "abc123");
    assertThat(r.text()).isEqualTo(kustomization.replace("newTag: old", "newTag: abc123"));

    String list = "a:\n  b:\n    - c: 1\n    - c: 2\n";
    assertThat(SurgicalYaml.set(list, "v", "a.b[1].c", "7").text())
        .isEqualTo("a:\n  b:\n    - c: 1\n    - c: 7\n");
    assertThat(SurgicalYaml.set("x: [a, b]\n", "v", "x[1]", "c,d").text())
        .isEqualTo("x: [a, \"c,d\"]\n");
  }

  @Test
  void addsAMissingKeyAtTheIndentationOfItsSiblings() throws IOException {
    String before = seedValues();
    YamlEditResult r = SurgicalYaml.set(before, "v", "image.digest", "sha256:ab");
    assertThat(r.added()).isTrue();
    assertThat(r.text())
        .isEqualTo(
            before.replace(
                "  pullPolicy: IfNotPresent\n",
                "  pullPolicy: IfNotPresent\n  digest: sha256:ab\n"));

    String nested = SurgicalYaml.set("a: 1\n# end\n", "v", "b.c.d", "yes").text();
    assertThat(nested).isEqualTo("a: 1\nb:\n  c:\n    d: \"yes\"\n# end\n");
    assertThat(SurgicalYaml.set("a: 1", "v", "b", "x").text()).isEqualTo("a: 1\nb: x");
    assertThat(SurgicalYaml.set("tag:\n", "v", "tag", "x").text()).isEqualTo("tag: x\n");
  }

  @Test
  void refusesInvalidYamlAndUnsupportedEditsWithoutChangingAnything() {
    assertThatThrownBy(() -> SurgicalYaml.set("a: [1, 2\nb: 3\n", "bad.yaml", "a", "x"))
        .isInstanceOfSatisfying(
            YamlEditException.class,
            e -> {
              assertThat(e.source()).isEqualTo("bad.yaml");
              assertThat(e.getMessage()).contains("not valid YAML");
            });
    assertThatThrownBy(() -> SurgicalYaml.set("a: 1\na: 2\n", "v", "a", "x"))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> SurgicalYaml.set("a: {b: 1}\n", "v", "a.c", "x"))
        .hasMessageContaining("not a block mapping");
    assertThatThrownBy(() -> SurgicalYaml.set("a: [1]\n", "v", "a[3]", "x"))
        .hasMessageContaining("adding list items is not supported");
    assertThatThrownBy(() -> SurgicalYaml.set("a: &x 1\nb: *x\n", "v", "a", "2"))
        .hasMessageContaining("anchored");
    assertThatThrownBy(() -> SurgicalYaml.set("a: 1\n---\nb: 2\n", "v", "a", "2"))
        .hasMessageContaining("2 YAML documents");
    assertThatThrownBy(() -> SurgicalYaml.set("a:\n  b: 1\n", "v", "a", "2"))
        .hasMessageContaining("mapping, not a scalar");
    assertThatThrownBy(() -> SurgicalYaml.set("a: |\n  text\n", "v", "a", "2"))
        .hasMessageContaining("block scalar");
  }

  @Test
  void keepsNonAsciiTextAroundTheEdit() {
    String yaml = "# 交易服务 🚀\nname: 旧\ntag: old\n";
    assertThat(SurgicalYaml.set(yaml, "v", "tag", "新").text())
        .isEqualTo("# 交易服务 🚀\nname: 旧\ntag: 新\n");
  }

  /**
   * Text of {@code min} to {@code max} code points: mostly printable ASCII (YAML's indicators and
   * quotes among them), with control characters, the rest of the Basic Multilingual Plane and
   * supplementary characters; never a lone surrogate, which no file can hold.
   */
  static Gen<String> text(int min, int max) {
    Gen<Integer> codePoint =
        Generate.frequency(
            Pair.of(6, integers().between(0x20, 0x7E)),
            Pair.of(1, integers().between(0, 0x1F)),
            Pair.of(2, integers().between(0x7F, 0xD7FF)),
            Pair.of(1, integers().between(0xE000, 0xFFFD)),
            Pair.of(1, integers().between(0x10000, 0x10FFFF)));
    return lists()
        .of(codePoint)
        .ofSizeBetween(min, max)
        .map(
            cps -> {
              StringBuilder b = new StringBuilder();
              cps.forEach(b::appendCodePoint);
              return b.toString();
            });
  }

  @Test
  void anyValueReadsBackAndOnlyTheScalarChanges() throws IOException {
    String before = seedValues();
    qt().withExamples(1000)
        .forAll(text(0, 20))
        .checkAssert(value -> readsBackAndOnlyTheScalarChanges(before, value));
  }

  private static void readsBackAndOnlyTheScalarChanges(String before, String value) {
    String after = SurgicalYaml.set(before, "values.yaml", "image.tag", value).text();

    assertThat(read(after, "image", "tag")).isEqualTo(value);
    int start = before.indexOf("\"\"            #");
    assertThat(after).startsWith(before.substring(0, start));
    assertThat(after).endsWith(before.substring(start + 2));
  }

  @Test
  void pathSyntaxCoversKeysIndexesSelectorsAndEscapes() {
    assertThat(YamlPath.parse("images[name=trade-service].newTag").segments())
        .containsExactly(
            new YamlPath.Key("images"),
            new YamlPath.Select("name", "trade-service"),
            new YamlPath.Key("newTag"));
    assertThat(YamlPath.parse("a.b[0].c").segments())
        .containsExactly(
            new YamlPath.Key("a"),
            new YamlPath.Key("b"),
            new YamlPath.Index(0),
            new YamlPath.Key("c"));
    assertThat(YamlPath.parse("metadata.annotations.example\\.com/owner").segments())
        .containsExactly(
            new YamlPath.Key("metadata"),
            new YamlPath.Key("annotations"),
            new YamlPath.Key("example.com/owner"));
    assertThat(YamlPath.parse("a.b[0].c")).hasToString("a.b[0].c");
    for (String bad : new String[] {"", "a..b", "a.", "a[", "a[x]", "a[0]b", "a\\"}) {
      assertThatThrownBy(() -> YamlPath.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
