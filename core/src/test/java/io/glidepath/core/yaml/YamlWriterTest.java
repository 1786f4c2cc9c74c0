package io.glidepath.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
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

  @Property(tries = 1000)
  void readingWhatWasWrittenGivesTheSameTree(@ForAll("trees") JsonNode tree) {
    assertThat(Yaml.readTree(Yaml.write(tree), "roundtrip.yaml")).isEqualTo(tree);
  }

  @Property(tries = 100)
  void readingWrittenResourcesGivesTheSameResources(@ForAll("trees") JsonNode data) {
    ObjectNode body = F.objectNode();
    body.put("apiVersion", "v1");
    body.put("kind", "ConfigMap");
    body.putObject("metadata").put("name", "cm");
    body.set("data", data);
    Resource r = Resource.of(body);
    List<Resource> back = Yaml.readResources(Yaml.write(ResourceSet.of(r)), "r.yaml");
    assertThat(back).containsExactly(r);
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return Arbitraries.lazyOf(() -> object(3));
  }

  private Arbitrary<JsonNode> value(int depth) {
    if (depth == 0) {
      return scalar();
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalar()),
        net.jqwik.api.Tuple.of(1, object(depth - 1)),
        net.jqwik.api.Tuple.of(1, array(depth - 1)));
  }

  private Arbitrary<JsonNode> object(int depth) {
    return Arbitraries.maps(tricky(), Arbitraries.lazy(() -> value(depth)))
        .ofMaxSize(5)
        .map(
            m -> {
              ObjectNode o = F.objectNode();
              m.forEach(o::set);
              return o;
            });
  }

  private Arbitrary<JsonNode> array(int depth) {
    return Arbitraries.lazy(() -> value(depth))
        .list()
        .ofMaxSize(4)
        .map(
            l -> {
              ArrayNode a = F.arrayNode();
              l.forEach(a::add);
              return a;
            });
  }

  private Arbitrary<JsonNode> scalar() {
    return Arbitraries.oneOf(
        tricky().map(F::stringNode),
        Arbitraries.integers().map(F::numberNode),
        Arbitraries.longs()
            .map(l -> l == (int) (long) l ? F.numberNode((int) (long) l) : F.numberNode(l)),
        Arbitraries.doubles().map(F::numberNode),
        Arbitraries.of(true, false).map(F::booleanNode),
        Arbitraries.just(F.nullNode()));
  }

  /** Strings that YAML 1.1 would read as something else unless quoted, and ordinary ones. */
  private Arbitrary<String> tricky() {
    return Arbitraries.oneOf(
        Arbitraries.of(
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
        Arbitraries.strings().ofMaxLength(12));
  }
}
