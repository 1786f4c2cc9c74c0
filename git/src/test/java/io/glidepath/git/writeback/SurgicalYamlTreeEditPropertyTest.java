package io.glidepath.git.writeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.glidepath.core.yaml.Yaml;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.StringNode;

class SurgicalYamlTreeEditPropertyTest {
  static final YamlPath VALUE =
      YamlPath.parse("spec.template.spec.containers[name=app].env[name=B].value");

  @Test
  void anyStringReadsBackAsItselfAndOnlyItsLineChanges() {
    qt().withExamples(300)
        .forAll(SurgicalYamlTest.text(0, 30))
        .checkAssert(SurgicalYamlTreeEditPropertyTest::readsBackAsItselfAndOnlyItsLineChanges);
  }

  private static void readsBackAsItselfAndOnlyItsLineChanges(String value) {
    String edited =
        SurgicalYaml.setValue(
                SurgicalYamlTreeEditTest.MULTI, "p.yaml", 1, VALUE, StringNode.valueOf(value))
            .text();
    List<String> before = SurgicalYamlTreeEditTest.MULTI.lines().toList();
    List<String> after = edited.lines().toList();
    assertThat(after).hasSameSizeAs(before);
    long changed =
        java.util.stream.IntStream.range(0, before.size())
            .filter(i -> !before.get(i).equals(after.get(i)))
            .count();
    assertThat(changed).isLessThanOrEqualTo(1);
    JsonNode doc = Yaml.readDocuments(edited, "p.yaml").get(1).content();
    assertThat(doc.at("/spec/template/spec/containers/1/env/1/value"))
        .isEqualTo(StringNode.valueOf(value));
  }

  @Test
  void anyAddedEnvironmentVariableReadsBackAsWritten() {
    qt().withExamples(100)
        .forAll(SurgicalYamlTest.text(1, 20), integers().all())
        .checkAssert(SurgicalYamlTreeEditPropertyTest::addedVariableReadsBackAsWritten);
  }

  private static void addedVariableReadsBackAsWritten(String name, int number) {
    JsonNode item =
        tools.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("name", "X" + name)
            .set("value", IntNode.valueOf(number));
    YamlPath path =
        new YamlPath(
            List.of(
                new YamlPath.Key("spec"),
                new YamlPath.Key("template"),
                new YamlPath.Key("spec"),
                new YamlPath.Key("containers"),
                new YamlPath.Select("name", "app"),
                new YamlPath.Key("env"),
                new YamlPath.Select("name", "X" + name)));
    String edited =
        SurgicalYaml.setValue(SurgicalYamlTreeEditTest.MULTI, "p.yaml", 1, path, item).text();
    assertThat(edited).startsWith(SurgicalYamlTreeEditTest.MULTI);
    JsonNode doc = Yaml.readDocuments(edited, "p.yaml").get(1).content();
    assertThat(doc.at("/spec/template/spec/containers/1/env/2")).isEqualTo(item);
  }
}
