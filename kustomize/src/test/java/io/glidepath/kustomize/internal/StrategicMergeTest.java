package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import io.glidepath.core.yaml.Yaml;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class StrategicMergeTest {
  private static ObjectNode yaml(String text) {
    return (ObjectNode) Yaml.readTree(text, "test");
  }

  private static ObjectNode merge(String original, String patch) {
    return StrategicMerge.apply(yaml(original), yaml(patch), true);
  }

  private static final String POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
        - name: a
          image: a:1
          env: [{name: X, value: x}, {name: Y, value: y}]
          ports: [{containerPort: 80}]
          volumeMounts: [{name: v, mountPath: /v}]
        - name: b
          image: b:1
        volumes: [{name: v, emptyDir: {}}]
      """;

  @Test
  void containersMergeByNameWithPatchElementsFirst() {
    ObjectNode out =
        merge(
            POD,
            """
            spec:
              containers:
              - name: c
                image: c:1
              - name: b
                image: b:2
            """);
    JsonNode containers = out.at("/spec/containers");
    assertThat(containers).hasSize(3);
    assertThat(containers.get(0).path("name").asString()).isEqualTo("c");
    assertThat(containers.get(1).path("image").asString()).isEqualTo("b:2");
    assertThat(containers.get(2).path("name").asString()).isEqualTo("a");
    assertThat(containers.get(2).path("env")).hasSize(2);
  }

  @Test
  void envPortsAndMountsMergeByTheirKeys() {
    ObjectNode out =
        merge(
            POD,
            """
            spec:
              containers:
              - name: a
                env: [{name: Y, value: changed}]
                ports: [{containerPort: 443}]
                volumeMounts: [{name: other, mountPath: /v, readOnly: true}]
            """);
    JsonNode a = out.at("/spec/containers/0");
    assertThat(a.at("/env/0/value").asString()).isEqualTo("changed");
    assertThat(a.at("/env/1/name").asString()).isEqualTo("X");
    assertThat(a.path("ports")).hasSize(2);
    assertThat(a.path("volumeMounts")).hasSize(1);
    assertThat(a.at("/volumeMounts/0/name").asString()).isEqualTo("other");
  }

  @Test
  void patchDeleteRemovesAListElementAndNullRemovesAField() {
    ObjectNode out =
        merge(
            POD,
            """
            metadata: {name: null}
            spec:
              containers:
              - name: b
                $patch: delete
            """);
    assertThat(out.at("/spec/containers")).hasSize(1);
    assertThat(out.path("metadata").has("name")).isFalse();
  }

  @Test
  void patchReplaceReplacesAMapAndAList() {
    ObjectNode out =
        merge(
            POD,
            """
            spec:
              volumes:
              - $patch: replace
              - name: w
                secret: {secretName: s}
              containers:
              - name: a
                $patch: replace
                image: only
            """);
    assertThat(out.at("/spec/volumes")).hasSize(1);
    assertThat(out.at("/spec/volumes/0/name").asString()).isEqualTo("w");
    assertThat(out.at("/spec/containers/0").size()).isEqualTo(2);
    assertThat(out.at("/spec/containers/0/image").asString()).isEqualTo("only");
  }

  @Test
  void setElementOrderOrdersTheListAndIsDropped() {
    ObjectNode out =
        merge(
            POD,
            """
            spec:
              $setElementOrder/containers: [{name: b}, {name: a}]
              containers:
              - name: a
                image: a:2
            """);
    assertThat(out.at("/spec/containers/0/name").asString()).isEqualTo("b");
    assertThat(out.at("/spec/containers/1/image").asString()).isEqualTo("a:2");
    assertThat(out.path("spec").has("$setElementOrder/containers")).isFalse();
  }

  @Test
  void deleteFromPrimitiveListAndFinalizersMerge() {
    ObjectNode out =
        merge(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s\n  finalizers: [a, b]\n",
            "metadata:\n  finalizers: [c]\n  $deleteFromPrimitiveList/finalizers: [a]\n");
    assertThat(out.at("/metadata/finalizers").toString()).isEqualTo("[\"c\",\"b\"]");
  }

  @Test
  void servicePortsMergeByPort() {
    ObjectNode out =
        merge(
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80,"
                + " targetPort: 8080}, {port: 90}]\n",
            "spec:\n  ports: [{port: 80, targetPort: 9090}]\n");
    assertThat(out.at("/spec/ports")).hasSize(2);
    assertThat(out.at("/spec/ports/0/targetPort").asInt()).isEqualTo(9090);
  }

  @Test
  void customResourceListsAreReplacedAsKustomizeDoes() {
    ObjectNode out =
        StrategicMerge.apply(
            yaml(
                "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  items:"
                    + " [{name: a}, {name: b}]\n"),
            yaml("spec:\n  items: [{name: c}]\n"),
            false);
    assertThat(out.at("/spec/items")).hasSize(1);
  }

  @Test
  void deleteAtTheTopDeletesTheObject() {
    assertThat(merge(POD, "$patch: delete\n")).isNull();
  }

  @Test
  void unknownDirectiveIsAPatchError() {
    assertThatThrownBy(() -> merge(POD, "spec:\n  $patch: explode\n"))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("explode");
  }

  private static final List<Character> ALPHA =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
          .chars()
          .mapToObj(c -> (char) c)
          .toList();

  static Gen<String> alpha(int min, int max) {
    return lists()
        .of(arbitrary().pick(ALPHA))
        .ofSizeBetween(min, max)
        .map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()));
  }

  @Test
  void applyingAMapPatchTwiceGivesWhatApplyingItOnceGives() {
    qt().withExamples(100)
        .forAll(alpha(1, 8), alpha(0, 8))
        .checkAssert(StrategicMergeTest::twiceGivesWhatOnceGives);
  }

  private static void twiceGivesWhatOnceGives(String key, String value) {
    ObjectNode patch = yaml("metadata:\n  labels: {}\n");
    patch.withObjectProperty("metadata").withObjectProperty("labels").put(key, value);
    ObjectNode once = StrategicMerge.apply(yaml(POD), patch, true);
    ObjectNode twice = StrategicMerge.apply(once, patch, true);
    assertThat(twice).isEqualTo(once);
  }
}
