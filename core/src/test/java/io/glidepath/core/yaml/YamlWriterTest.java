package io.glidepath.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class YamlWriterTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void writesReadableBlockYaml() {
    JsonNode tree =
        Yaml.mapper()
            .readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},"
                    + "\"data\":{\"enabled\":\"yes\",\"mode\":\"0644\",\"script\":\"echo a\\necho b\\n\","
                    + "\"empty\":\"\",\"list\":[]}}");
    assertThat(Yaml.write(tree))
        .isEqualTo(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: c
            data:
              enabled: 'yes'
              mode: '0644'
              script: |
                echo a
                echo b
              empty: ''
              list: []
            """);
  }

  @Test
  void separatesDocumentsWithDashes() {
    Resource a =
        Yaml.readResources("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", "a").get(0);
    Resource b =
        Yaml.readResources("apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n", "b").get(0);
    String text = Yaml.write(ResourceSet.of(a, b));
    assertThat(text).contains("\n---\n");
    assertThat(Yaml.readResources(text, "x")).containsExactly(a, b);
  }

  @Test
  void keepsLineBreaksYamlReadersSplitOnInsideQuotes() {
    ObjectNode tree = F.objectNode();
    tree.putArray("y").addArray().addObject().put("\u0085key", "yes").put("{x}", 0);
    tree.put("ls", "a\u2028b\u2029c\r\nd");
    assertThat(Yaml.readTree(Yaml.write(tree), "breaks.yaml")).isEqualTo(tree);
    ObjectNode bom = F.objectNode().put("\uFEFF!", 0);
    assertThat(Yaml.readTree(Yaml.write(bom), "bom.yaml")).isEqualTo(bom);
    assertThat(Yaml.readTree(Yaml.write(tree), "breaks.yaml")).isEqualTo(tree);
  }

  @Test
  void readingWhatWasWrittenGivesTheSameTree() {
    qt().withExamples(1000)
        .forAll(trees())
        .checkAssert(
            tree -> assertThat(Yaml.readTree(Yaml.write(tree), "roundtrip.yaml")).isEqualTo(tree));
  }

  @Test
  void readingWrittenResourcesGivesTheSameResources() {
    qt().withExamples(100).forAll(trees()).checkAssert(YamlWriterTest::writtenResourcesReadBack);
  }

  private static void writtenResourcesReadBack(JsonNode data) {
    ObjectNode body = F.objectNode();
    body.put("apiVersion", "v1");
    body.put("kind", "ConfigMap");
    body.putObject("metadata").put("name", "cm");
    body.set("data", data);
    Resource r = Resource.of(body);
    List<Resource> back = Yaml.readResources(Yaml.write(ResourceSet.of(r)), "r.yaml");
    assertThat(back).containsExactly(r);
  }

  static Gen<JsonNode> trees() {
    return object(3);
  }

  private static Gen<JsonNode> value(int depth) {
    if (depth == 0) {
      return scalar();
    }
    return Generate.frequency(
        Pair.of(6, scalar()), Pair.of(1, object(depth - 1)), Pair.of(1, array(depth - 1)));
  }

  private static Gen<JsonNode> object(int depth) {
    Gen<JsonNode> value = value(depth);
    return lists()
        .of(tricky().zip(value, Pair::of))
        .ofSizeBetween(0, 5)
        .map(
            entries -> {
              ObjectNode o = F.objectNode();
              entries.forEach(e -> o.set(e._1, e._2));
              return o;
            });
  }

  private static Gen<JsonNode> array(int depth) {
    return lists()
        .of(value(depth))
        .ofSizeBetween(0, 4)
        .map(
            l -> {
              ArrayNode a = F.arrayNode();
              l.forEach(a::add);
              return a;
            });
  }

  private static Gen<JsonNode> scalar() {
    return Generate.oneOf(
        tricky().map(t -> (JsonNode) F.stringNode(t)),
        integers().all().map(i -> F.numberNode(i)),
        longs()
            .all()
            .map(l -> l == (int) (long) l ? F.numberNode((int) (long) l) : F.numberNode(l)),
        // JSON and YAML as kubectl reads it hold no NaN or infinity
        doubles().any().map(d -> F.numberNode(Double.isFinite(d) ? d : 0.5)),
        booleans().all().map(b -> F.booleanNode(b)),
        Generate.constant(F.nullNode()));
  }

  /** Up to {@code max} characters of any kind but lone surrogates, ASCII more often. */
  static Gen<String> text(int max) {
    Gen<Integer> codePoint =
        Generate.frequency(
            Pair.of(6, integers().between(0x20, 0x7E)),
            Pair.of(1, integers().between(0, 0x1F)),
            Pair.of(2, integers().between(0x7F, 0xD7FF)),
            Pair.of(1, integers().between(0xE000, 0xFFFD)),
            Pair.of(1, integers().between(0x10000, 0x10FFFF)));
    return lists()
        .of(codePoint)
        .ofSizeBetween(0, max)
        .map(
            cps -> {
              StringBuilder b = new StringBuilder();
              cps.forEach(b::appendCodePoint);
              return b.toString();
            });
  }

  /** Strings that YAML 1.1 would read as something else unless quoted, and ordinary ones. */
  private static Gen<String> tricky() {
    return Generate.oneOf(
        arbitrary()
            .pick(
                "yes",
                "No",
                "on",
                "OFF",
                "y",
                "n",
                "~",
                "null",
                "0644",
                "0x1F",
                "1_000",
                "1e3",
                ".inf",
                ".nan",
                "",
                " ",
                "- a",
                "a: b",
                "#x",
                "a #b",
                "@x",
                "`x",
                "'q'",
                "\"dq\"",
                "multi\nline\n",
                "trailing \n",
                "tab\tx",
                "2026-11-25",
                "<<",
                "&a",
                "*a",
                "!tag",
                "%x",
                "{x}",
                "[x]",
                "ünïcödé",
                "emoji 😀"),
        text(12));
  }
}
