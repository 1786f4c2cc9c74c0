package io.glidepath.git.writeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.StringNode;

class SurgicalYamlTreeEditTest {
  static final String MULTI =
      """
      # the service
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        ports:
        - port: 80
      ---
      # the deployment
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web   # keep me
      spec:
        replicas: 3 # scaled by hand in incidents
        template:
          spec:
            containers:
            - name: sidecar
              image: "envoy:1.0"
            - name: app
              image: registry/app:1.0  # pinned
              env:
              - name: A
                value: "yes"
              - name: B
                value: b
      """;

  static JsonNode yaml(String s) {
    return Yaml.readTree(s, "test");
  }

  @Test
  void replacesAScalarInTheSecondDocumentKeepingEveryOtherByte() {
    YamlEditResult r =
        SurgicalYaml.setValue(
            MULTI, "web.yaml", 1, YamlPath.parse("spec.replicas"), IntNode.valueOf(15));
    assertThat(r.text()).isEqualTo(MULTI.replace("replicas: 3 #", "replicas: 15 #"));
    assertThat(r.previous()).contains("3");
  }

  @Test
  void addressesAContainerByItsNameAndKeepsQuotingAndComments() {
    String t =
        SurgicalYaml.setValue(
                MULTI,
                "web.yaml",
                1,
                YamlPath.parse("spec.template.spec.containers[name=app].image"),
                StringNode.valueOf("registry/app:1.1"))
            .text();
    assertThat(t).isEqualTo(MULTI.replace("app:1.0  # pinned", "app:1.1  # pinned"));
    String sidecar =
        SurgicalYaml.setValue(
                MULTI,
                "web.yaml",
                1,
                YamlPath.parse("spec.template.spec.containers[name=sidecar].image"),
                StringNode.valueOf("envoy:1.1"))
            .text();
    assertThat(sidecar).isEqualTo(MULTI.replace("\"envoy:1.0\"", "\"envoy:1.1\""));
  }

  @Test
  void quotesAStringThatYaml11WouldReadAsABoolean() {
    String t =
        SurgicalYaml.setValue(
                MULTI,
                "web.yaml",
                1,
                YamlPath.parse("spec.template.spec.containers[name=app].env[name=B].value"),
                StringNode.valueOf("on"))
            .text();
    assertThat(t).contains("value: \"on\"");
  }

  @Test
  void addsAMissingMapWithIndentedBlockLines() {
    JsonNode limits = yaml("limits:\n  cpu: 500m\n  memory: 1Gi\n");
    String t =
        SurgicalYaml.setValue(
                MULTI,
                "web.yaml",
                1,
                YamlPath.parse("spec.template.spec.containers[name=app].resources"),
                limits)
            .text();
    assertThat(t)
        .isEqualTo(
            MULTI.replace(
                "          value: b\n",
                "          value: b\n"
                    + "        resources:\n"
                    + "          limits:\n"
                    + "            cpu: 500m\n"
                    + "            memory: 1Gi\n"));
  }

  @Test
  void appendsAListItemSelectedByMergeKey() {
    JsonNode item = yaml("name: C\nvalue: \"0644\"\n");
    String t =
        SurgicalYaml.setValue(
                MULTI,
                "web.yaml",
                1,
                YamlPath.parse("spec.template.spec.containers[name=app].env[name=C]"),
                item)
            .text();
    assertThat(t)
        .isEqualTo(
            MULTI.replace(
                "          value: b\n",
                "          value: b\n" + "        - name: C\n" + "          value: \"0644\"\n"));
  }

  @Test
  void replacesAListAsAWhole() {
    JsonNode args = JsonNodeFactory.instance.arrayNode().add("--a").add(2);
    String t =
        SurgicalYaml.setValue(
                MULTI, "web.yaml", 0, YamlPath.parse("spec.ports[port=80]"), yaml("port: 8080\n"))
            .text();
    assertThat(t).contains("ports:\n  - port: 8080\n---");
    String added =
        SurgicalYaml.setValue(MULTI, "web.yaml", 0, YamlPath.parse("spec.args"), args).text();
    assertThat(added).contains("  - port: 80\n  args:\n    - \"--a\"\n    - 2\n---");
  }

  @Test
  void removesAKeyAndAListItemWithTheirLines() {
    String t =
        SurgicalYaml.remove(
                MULTI,
                "web.yaml",
                1,
                YamlPath.parse("spec.template.spec.containers[name=app].env[name=A]"))
            .text();
    assertThat(t).isEqualTo(MULTI.replace("        - name: A\n          value: \"yes\"\n", ""));
    String noImage =
        SurgicalYaml.remove(
                MULTI,
                "web.yaml",
                1,
                YamlPath.parse("spec.template.spec.containers[name=app].image"))
            .text();
    assertThat(noImage).isEqualTo(MULTI.replace("        image: registry/app:1.0  # pinned\n", ""));
  }

  @Test
  void unchangedWhenTheValueIsAlreadySet() {
    YamlEditResult r =
        SurgicalYaml.setValue(
            MULTI, "web.yaml", 1, YamlPath.parse("spec.replicas"), IntNode.valueOf(3));
    assertThat(r.changed()).isFalse();
    assertThat(r.text()).isSameAs(MULTI);
  }

  @Test
  void refusesToRemoveTheOnlyEntryOfAList() {
    assertThatThrownBy(
            () -> SurgicalYaml.remove(MULTI, "web.yaml", 0, YamlPath.parse("spec.ports[port=80]")))
        .isInstanceOf(YamlEditException.class)
        .hasMessageContaining("only entry");
  }

  @Test
  void refusesEditsInsideFlowCollectionsAndMissingDocuments() {
    String flow = "spec:\n  selector: {app: web}\n";
    assertThatThrownBy(
            () ->
                SurgicalYaml.setValue(
                    flow,
                    "f.yaml",
                    0,
                    YamlPath.parse("spec.selector.tier"),
                    StringNode.valueOf("x")))
        .isInstanceOf(YamlEditException.class)
        .hasMessageContaining("flow");
    assertThatThrownBy(
            () ->
                SurgicalYaml.setValue(
                    flow, "f.yaml", 3, YamlPath.parse("spec.x"), StringNode.valueOf("x")))
        .isInstanceOf(YamlEditException.class)
        .hasMessageContaining("no document 3");
  }

  @Test
  void listsAPatchInAKustomizationWithOrWithoutAPatchesKey() {
    String kust = "# overlay\nresources:\n- ../../base\n";
    JsonNode entry = yaml("path: fix.yaml\n");
    String added =
        SurgicalYaml.setValue(
                kust,
                "kustomization.yaml",
                0,
                YamlPath.parse("patches"),
                JsonNodeFactory.instance.arrayNode().add(entry))
            .text();
    assertThat(added).isEqualTo(kust + "patches:\n  - path: fix.yaml\n");
    String appended =
        SurgicalYaml.setValue(added, "kustomization.yaml", 0, YamlPath.parse("patches[1]"), entry)
            .text();
    assertThat(appended).isEqualTo(added + "  - path: fix.yaml\n");
  }

  @Test
  void refusesAnchoredTargets() {
    String anchored = "base: &b\n  cpu: 1\nother: *b\n";
    assertThatThrownBy(
            () ->
                SurgicalYaml.setValue(
                    anchored, "a.yaml", 0, YamlPath.parse("base.cpu"), IntNode.valueOf(2)))
        .isInstanceOf(YamlEditException.class)
        .hasMessageContaining("anchored");
  }
}
