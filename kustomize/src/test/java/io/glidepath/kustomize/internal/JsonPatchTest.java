package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class JsonPatchTest {
  private static final ObjectNode DOC =
      (ObjectNode) Yaml.readTree("a: {b: 1, c: [p, q]}\n\"s/l\": {\"t~\": 2}\n", "doc");

  private static ObjectNode apply(String ops) {
    return JsonPatch.apply(DOC, Yaml.readTree(ops, "ops"));
  }

  @Test
  void addsToMapsAndListsIncludingTheEnd() {
    ObjectNode out =
        apply(
            "[{op: add, path: /a/d, value: 3}, {op: add, path: /a/c/1, value: m},"
                + " {op: add, path: /a/c/-, value: z}]");
    assertThat(out.at("/a/d").asInt()).isEqualTo(3);
    assertThat(out.at("/a/c").toString()).isEqualTo("[\"p\",\"m\",\"q\",\"z\"]");
    assertThat(DOC.at("/a/c")).hasSize(2);
  }

  @Test
  void removeReplaceMoveCopyAndTest() {
    ObjectNode out =
        apply(
            "[{op: test, path: /a/b, value: 1}, {op: replace, path: /a/b, value: 5},"
                + " {op: copy, from: /a/c/0, path: /a/first}, {op: move, from: /a/c, path: /moved},"
                + " {op: remove, path: /s~1l/t~0}]");
    assertThat(out.at("/a/b").asInt()).isEqualTo(5);
    assertThat(out.at("/a/first").asString()).isEqualTo("p");
    assertThat(out.at("/a").has("c")).isFalse();
    assertThat(out.at("/moved")).hasSize(2);
    assertThat(out.path("s/l").isEmpty()).isTrue();
  }

  @Test
  void testComparesNumbersByValue() {
    JsonNode ops = Yaml.readTree("[{op: test, path: /a/b, value: 1.0}]", "ops");
    assertThat(JsonPatch.apply(DOC, ops)).isEqualTo(DOC);
  }

  @Test
  void failingOperationsNameTheirIndexAndPath() {
    assertThatThrownBy(() -> apply("[{op: add, path: /a/b, value: 1}, {op: remove, path: /zz}]"))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("operation 1")
        .hasMessageContaining("/zz");
    assertThatThrownBy(() -> apply("[{op: test, path: /a/b, value: 2}]"))
        .hasMessageContaining("test failed");
    assertThatThrownBy(() -> apply("[{op: replace, path: /nope, value: 2}]"))
        .hasMessageContaining("/nope");
    assertThatThrownBy(() -> apply("[{op: add, path: /a/c/7, value: 2}]"))
        .hasMessageContaining("out of bounds");
    assertThatThrownBy(() -> apply("[{op: frobnicate, path: /a}]"))
        .hasMessageContaining("frobnicate");
    assertThatThrownBy(() -> apply("{op: add}")).hasMessageContaining("list of operations");
  }

  @Test
  void addingAFieldThenRemovingItGivesTheOriginal() {
    qt().withExamples(100)
        .forAll(StrategicMergeTest.alpha(1, 10), strings().allPossible().ofLengthBetween(0, 20))
        .checkAssert(JsonPatchTest::addThenRemoveGivesTheOriginal);
  }

  private static void addThenRemoveGivesTheOriginal(String key, String value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ArrayNode ops = f.arrayNode();
    ops.addObject().put("op", "add").put("path", "/a/" + key).put("value", value);
    ops.addObject().put("op", "remove").put("path", "/a/" + key);
    if (DOC.path("a").has(key)) {
      return; // "add" replaces an existing field, so "remove" would not restore it
    }
    assertThat(JsonPatch.apply(DOC, ops)).isEqualTo(DOC);
  }
}
