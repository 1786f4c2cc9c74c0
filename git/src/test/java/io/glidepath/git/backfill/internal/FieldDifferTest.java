package io.glidepath.git.backfill.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.git.backfill.internal.FieldDiffer.Change;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FieldDifferTest {
  static JsonNode yaml(String s) {
    return Yaml.readTree(s, "test");
  }

  static List<String> describe(List<Change> changes) {
    return changes.stream()
        .map(
            c ->
                c.path()
                    + " "
                    + c.desired().map(JsonNode::toString).orElse("-")
                    + " -> "
                    + c.live().map(JsonNode::toString).orElse("-"))
        .toList();
  }

  static final String DESIRED =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: prod, labels: {app: web}}
      spec:
        replicas: 3
        template:
          spec:
            containers:
            - name: app
              image: app:1
              args: [--a, --b]
              ports:
              - containerPort: 8080
            - name: sidecar
              image: envoy:1
      """;

  @Test
  void addressesListItemsByMergeKeyWhateverTheirOrder() {
    JsonNode live =
        yaml(
            DESIRED
                .replace("replicas: 3", "replicas: 15")
                .replace("image: envoy:1", "image: envoy:2"));
    assertThat(describe(FieldDiffer.diff(yaml(DESIRED), live)))
        .containsExactly(
            "spec.replicas 3 -> 15",
            "spec.template.spec.containers[name=sidecar].image \"envoy:1\" -> \"envoy:2\"");
  }

  @Test
  void reportsAddedAndRemovedFieldsAndItemsAtTheirHighestLevel() {
    JsonNode live =
        yaml(
            DESIRED
                .replace(
                    "        image: app:1\n",
                    "        image: app:1\n        resources: {limits: {cpu: 500m}}\n")
                .replace("      - name: sidecar\n        image: envoy:1\n", "")
                .replace("labels: {app: web}", "labels: {}"));
    assertThat(describe(FieldDiffer.diff(yaml(DESIRED), live)))
        .containsExactly(
            "metadata.labels.app \"web\" -> -",
            "spec.template.spec.containers[name=app].resources - -> {\"limits\":{\"cpu\":\"500m\"}}",
            "spec.template.spec.containers[name=sidecar] {\"name\":\"sidecar\",\"image\":\"envoy:1\"} -> -");
  }

  @Test
  void listsWithoutMergeKeyGoByIndexOrAsAWhole() {
    JsonNode sameLength = yaml(DESIRED.replace("[--a, --b]", "[--a, --c]"));
    assertThat(describe(FieldDiffer.diff(yaml(DESIRED), sameLength)))
        .containsExactly("spec.template.spec.containers[name=app].args[1] \"--b\" -> \"--c\"");
    JsonNode longer = yaml(DESIRED.replace("[--a, --b]", "[--a, --b, --c]"));
    assertThat(describe(FieldDiffer.diff(yaml(DESIRED), longer)))
        .containsExactly(
            "spec.template.spec.containers[name=app].args [\"--a\",\"--b\"] -> [\"--a\",\"--b\",\"--c\"]");
  }

  @Test
  void numbersEqualByValueAndIdentityFieldsAreNotChanges() {
    JsonNode live =
        yaml(
            DESIRED
                .replace("replicas: 3", "replicas: 3.0")
                .replace("namespace: prod", "namespace: other"));
    assertThat(FieldDiffer.diff(yaml(DESIRED), live)).isEmpty();
    assertThat(FieldDiffer.diff(yaml(DESIRED), yaml(DESIRED))).isEmpty();
  }
}
