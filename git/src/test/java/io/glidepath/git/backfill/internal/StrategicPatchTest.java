package io.glidepath.git.backfill.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.git.writeback.YamlPath;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class StrategicPatchTest {
  static JsonNode yaml(String s) {
    return Yaml.readTree(s, "test");
  }

  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: prod}
      spec:
        replicas: 3
        paused: false
        template:
          spec:
            containers:
            - name: app
              image: app:1
              env:
              - {name: A, value: a}
              - {name: B, value: b}
            - name: sidecar
              image: envoy:1
      """;

  @Test
  void builtInKindsMergeListItemsByKeyAndDeleteWithPatchDirective() {
    JsonNode live =
        yaml(
            DEPLOYMENT
                .replace("replicas: 3", "replicas: 15")
                .replace("image: app:1", "image: app:2")
                .replace("        - {name: B, value: b}\n", "")
                .replace("  paused: false\n", ""));
    StrategicPatch p = new StrategicPatch("apps", yaml(DEPLOYMENT), live);
    for (FieldDiffer.Change c : FieldDiffer.diff(yaml(DEPLOYMENT), live)) {
      p.add(c.path());
    }
    assertThat(p.tree())
        .isEqualTo(
            yaml(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 15
                  paused: null
                  template:
                    spec:
                      containers:
                      - name: app
                        image: app:2
                        env:
                        - {name: B, $patch: delete}
                """));
  }

  @Test
  void customResourcesGetWholeListsBecauseTheirListsAreReplaced() {
    String rollout =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: trade}
        spec:
          strategy:
            canary:
              steps:
              - setWeight: 10
              - pause: {duration: 2m}
          template:
            spec:
              containers:
              - {name: app, image: app:1}
              - {name: side, image: envoy:1}
        """;
    JsonNode live =
        yaml(rollout.replace("setWeight: 10", "setWeight: 5").replace("app:1", "app:2"));
    StrategicPatch p = new StrategicPatch("argoproj.io", yaml(rollout), live);
    FieldDiffer.diff(yaml(rollout), live).forEach(c -> p.add(c.path()));
    assertThat(p.tree().get("spec"))
        .isEqualTo(
            yaml(
                """
                strategy:
                  canary:
                    steps:
                    - setWeight: 5
                    - pause: {duration: 2m}
                template:
                  spec:
                    containers:
                    - {name: app, image: app:2}
                    - {name: side, image: envoy:1}
                """));
  }

  @Test
  void anEarlierPatchIsExtendedItemByItem() {
    ObjectNode first =
        (ObjectNode)
            yaml(
                """
                kind: Deployment
                spec:
                  replicas: 15
                  template: {spec: {containers: [{name: app, image: app:2}]}}
                """);
    ObjectNode second =
        (ObjectNode)
            yaml(
                """
                kind: Deployment
                spec:
                  template: {spec: {containers: [{name: app, env: [{name: X, value: x}]}, {name: side, image: e}]}}
                """);
    assertThat(StrategicPatch.merge(first, second, "apps"))
        .isEqualTo(
            yaml(
                """
                kind: Deployment
                spec:
                  replicas: 15
                  template:
                    spec:
                      containers:
                      - {name: app, image: app:2, env: [{name: X, value: x}]}
                      - {name: side, image: e}
                """));
    assertThat(
            StrategicPatch.merge(first, second, "argoproj.io").at("/spec/template/spec/containers"))
        .isEqualTo(second.at("/spec/template/spec/containers"));
  }

  @Test
  void aKeyPathThroughYamlPathSyntaxIsAddressable() {
    JsonNode desired =
        yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a.b: x}\n");
    JsonNode live = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a.b: y}\n");
    StrategicPatch p = new StrategicPatch("", desired, live);
    p.add(YamlPath.parse("data.a\\.b"));
    assertThat(p.tree().get("data")).isEqualTo(yaml("a.b: y"));
  }
}
