package io.glidepath.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.resource.InvalidResourceException;
import io.glidepath.core.resource.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class YamlReaderTest {

  private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n";

  @Test
  void readsMultiDocumentStreamsSkippingEmptyDocuments() {
    String text =
        "---\n"
            + CM.formatted("a")
            + "---\n---\n# only a comment\n---\n"
            + CM.formatted("b")
            + "...\n";
    List<Resource> resources = Yaml.readResources(text, "all.yaml");
    assertThat(resources).extracting(Resource::name).containsExactly("a", "b");
    assertThat(resources.get(0).origin().line()).isEqualTo(2);
    assertThat(resources.get(1).origin().line()).isEqualTo(10);
    assertThat(resources.get(1).origin().documentIndex()).isEqualTo(3);
    assertThat(resources.get(1).origin().source()).isEqualTo("all.yaml");
  }

  @Test
  void expandsKindListIntoItsItems() {
    String text =
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n"
            + "    name: s1\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: d1\n";
    List<Resource> resources = Yaml.readResources(text, "list.yaml");
    assertThat(resources)
        .extracting(r -> r.key().toString())
        .containsExactly("Service:/s1", "apps/Deployment:/d1");
    assertThat(resources.get(1).origin().line()).isEqualTo(8);
  }

  @Test
  void supportsAnchorsAliasesAndMergeKeys() {
    String text =
        "base: &base\n  a: 1\n  b: 2\nother: &other\n  c: 3\n"
            + "merged:\n  <<: [*base, *other]\n  b: 20\nlist: [*base, *base]\n";
    JsonNode tree = Yaml.readTree(text, "m.yaml");
    assertThat(tree.get("merged")).isEqualTo(Yaml.mapper().readTree("{\"b\":20,\"a\":1,\"c\":3}"));
    assertThat(tree.get("list").size()).isEqualTo(2);
  }

  @Test
  void anUnquotedPlaceholderIsAMappingKeyRefusedAtItsLine() {
    // kubectl: "yaml: invalid map key"; an unquoted {{...}} is a flow mapping used as a key
    String text = "metadata:\n  annotations:\n    inject: {{args.enabled}}\n";
    assertThatThrownBy(() -> Yaml.readTree(text, "job.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("a mapping key must be a scalar")
        .hasMessageContaining("needs quotes")
        .satisfies(
            e -> {
              assertThat(((YamlException) e).origin().source()).isEqualTo("job.yaml");
              assertThat(((YamlException) e).origin().line()).isEqualTo(3);
            });
  }

  @Test
  void letsTheFirstMergedMappingWin() {
    JsonNode tree = Yaml.readTree("x: &x {k: 1}\ny: &y {k: 2}\nz:\n  <<: [*x, *y]\n", "m.yaml");
    assertThat(tree.at("/z/k").intValue()).isEqualTo(1);
  }

  @Test
  void rejectsDuplicateKeysNamingTheLine() {
    assertThatThrownBy(() -> Yaml.readTree("a: 1\nb:\n  c: 1\n  c: 2\n", "dup.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessage("dup.yaml:4:3: duplicate key \"c\"")
        .satisfies(e -> assertThat(((YamlException) e).origin().line()).isEqualTo(4));
  }

  @Test
  void aReaderForKustomizationsKeepsTheLastValueOfARepeatedKey() {
    YamlReader lastWins = Yaml.reader().withDuplicateKeys(YamlReader.DuplicateKeys.LAST_WINS);
    JsonNode tree = lastWins.readTree("a: 1\nb:\n  c: first\n  c: second\na: 2\n", "k.yaml");
    assertThat(tree.get("a").asInt()).isEqualTo(2);
    assertThat(tree.get("b").get("c").asString()).isEqualTo("second");
    assertThat(tree.propertyNames()).containsExactly("b", "a");
    assertThat(lastWins.limits()).isEqualTo(Yaml.reader().limits());
    assertThat(Yaml.reader().duplicateKeys()).isEqualTo(YamlReader.DuplicateKeys.REFUSE);
  }

  @Test
  void aReaderForPatchesKeepsTheFirstValueOfARepeatedKey() {
    YamlReader firstWins = Yaml.reader().withDuplicateKeys(YamlReader.DuplicateKeys.FIRST_WINS);
    JsonNode tree = firstWins.readTree("a: 1\nb: 2\na: 3\n", "p.yaml");
    assertThat(tree.get("a").asInt()).isEqualTo(1);
    assertThat(tree.get("b").asInt()).isEqualTo(2);
  }

  @Test
  void reportsSyntaxErrorsWithFileLineAndColumn() {
    assertThatThrownBy(() -> Yaml.readTree("a: [1, 2\nb: 3\n", "broken.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageStartingWith("broken.yaml:");
  }

  @Test
  void refusesMoreThanFiftyAliases() {
    StringBuilder sb = new StringBuilder("a: &a [1]\nl:\n");
    for (int i = 0; i < 51; i++) {
      sb.append("- *a\n");
    }
    assertThatThrownBy(() -> Yaml.readTree(sb.toString(), "aliases.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("too many aliases")
        .hasMessageContaining("50");
  }

  @Test
  void stopsABillionLaughsDocumentFastWithAClearError() {
    // 25 levels of two aliases each: 50 aliases, but 2^25 nodes once expanded.
    StringBuilder sb = new StringBuilder("l0: &l0 [lol]\n");
    for (int i = 1; i <= 25; i++) {
      sb.append("l")
          .append(i)
          .append(": &l")
          .append(i)
          .append(" [*l")
          .append(i - 1)
          .append(", *l")
          .append(i - 1)
          .append("]\n");
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> Yaml.readTree(sb.toString(), "bomb.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("billion laughs");
    // Generous bound; the point is that it ends instead of exhausting memory.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void boundsNestingDepth() {
    String deep = "a: ".repeat(0) + "[".repeat(150) + "]".repeat(150) + "\n";
    assertThatThrownBy(() -> Yaml.readTree("x: " + deep, "deep.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("nesting deeper than 100");
  }

  @Test
  void refusesInputsOverTenMegabytes() {
    String big = "a: \"" + "x".repeat(10 * 1024 * 1024) + "\"\n";
    assertThatThrownBy(() -> Yaml.readTree(big, "big.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("big.yaml")
        .hasMessageContaining("more than the limit of 10485760");
  }

  @Test
  void acceptsSmallerLimitsPerReader() {
    YamlReader reader = new YamlReader(new YamlLimits(1024, 0, 5, 100));
    assertThatThrownBy(() -> reader.readTree("a: &a [1]\nb: *a\n", "t.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("too many aliases");
  }

  @Test
  void rejectsDocumentsThatAreNotKubernetesObjects() {
    assertThatThrownBy(() -> Yaml.readResources("kind: ConfigMap\nmetadata: {name: a}\n", "x.yaml"))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessageContaining("x.yaml:1:1")
        .hasMessageContaining("no apiVersion");
    assertThatThrownBy(() -> Yaml.readResources("apiVersion: v1\nmetadata: {name: a}\n", "x.yaml"))
        .hasMessageContaining("no kind");
    assertThatThrownBy(
            () -> Yaml.readResources("apiVersion: v1\nkind: Pod\nmetadata: {}\n", "x.yaml"))
        .hasMessageContaining("Pod has no metadata.name");
    assertThatThrownBy(() -> Yaml.readResources("- a\n- b\n", "x.yaml"))
        .hasMessageContaining("not a mapping");
  }

  @Test
  void acceptsGenerateNameInsteadOfName() {
    List<Resource> r =
        Yaml.readResources(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\n", "j.yaml");
    assertThat(r.get(0).name()).isEmpty();
    assertThat(r.get(0).group()).isEqualTo("batch");
  }

  @Test
  void readsJsonAsWell() {
    List<Resource> r =
        Yaml.readResources(
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"}}", "s.json");
    assertThat(r.get(0).kind()).isEqualTo("Secret");
  }
}
