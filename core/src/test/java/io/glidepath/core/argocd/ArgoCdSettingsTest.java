package io.glidepath.core.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.diff.IgnoreDifference;
import io.glidepath.core.health.HealthScript;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgoCdSettingsTest {
  private static Resource cm(String data) {
    return Yaml.readResources(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: argocd}\ndata:\n"
                + data,
            "argocd-cm.yaml")
        .get(0);
  }

  @Test
  void healthKeysBecomeScriptsWithTheirGroupKindAndOpenLibs() {
    ArgoCdSettings s =
        ArgoCdSettings.of(
            cm(
                """
                  resource.customizations.health.cert-manager.io_Certificate: "return {status='Healthy'}"
                  resource.customizations.useOpenLibs.cert-manager.io_Certificate: "true"
                  resource.customizations.health.Service: "return {status='Healthy'}"
                  resource.customizations.health.*.upbound.io_*: "return {status='Healthy'}"
                """));
    assertThat(s.healthScripts())
        .extracting(
            HealthScript::key, HealthScript::group, HealthScript::kind, HealthScript::useOpenLibs)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "resource.customizations.health.cert-manager.io_Certificate",
                "cert-manager.io",
                "Certificate",
                true),
            org.assertj.core.groups.Tuple.tuple(
                "resource.customizations.health.Service", "", "Service", false),
            org.assertj.core.groups.Tuple.tuple(
                "resource.customizations.health.*.upbound.io_*", "*.upbound.io", "*", false));
  }

  @Test
  void splitKeysWinOverTheNestedForm() {
    ArgoCdSettings s =
        ArgoCdSettings.of(
            cm(
                """
                  resource.customizations: |
                    apps/Deployment:
                      health.lua: return {status = "Degraded"}
                      ignoreDifferences: |
                        jsonPointers: [/spec/replicas]
                    example.com/Thing:
                      health.lua: return {status = "Suspended"}
                  resource.customizations.health.apps_Deployment: return {status = "Healthy"}
                """));
    assertThat(s.healthScripts())
        .extracting(HealthScript::kind, HealthScript::source)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Deployment", "return {status = \"Healthy\"}"),
            org.assertj.core.groups.Tuple.tuple("Thing", "return {status = \"Suspended\"}"));
    assertThat(s.ignoreDifferences())
        .singleElement()
        .satisfies(r -> assertThat(r.jsonPointers()).containsExactly("/spec/replicas"));
  }

  @Test
  void ignoreDifferencesKeysBecomeSystemWideRules() {
    ArgoCdSettings s =
        ArgoCdSettings.of(
            cm(
                """
                  resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration: |
                    jqPathExpressions:
                    - '.webhooks[]?.clientConfig.caBundle'
                  resource.customizations.ignoreDifferences.all: |
                    managedFieldsManagers:
                    - kube-controller-manager
                  resource.customizations.ignoreDifferences.*.crossplane.io_*: |
                    jsonPointers:
                    - /spec/forProvider/tags
                """));
    List<IgnoreDifference> rules = s.ignoreDifferences();
    assertThat(rules).hasSize(3);
    IgnoreDifference all =
        rules.stream().filter(r -> r.group().equals("*")).findFirst().orElseThrow();
    assertThat(all.managedFieldsManagers()).containsExactly("kube-controller-manager");
    assertThat(all.appliesTo(new ResourceKey("apps", "Deployment", "ns", "d"))).isTrue();
    IgnoreDifference crossplane =
        rules.stream().filter(r -> r.group().equals("*.crossplane.io")).findFirst().orElseThrow();
    assertThat(crossplane.appliesTo(new ResourceKey("s3.crossplane.io", "Bucket", "", "b")))
        .isTrue();
    assertThat(crossplane.appliesTo(new ResourceKey("apps", "Deployment", "", "b"))).isFalse();
  }

  @Test
  void exclusionsAndInclusionsFilterKindsAsArgoCdDoes() {
    ArgoCdSettings s =
        ArgoCdSettings.of(
            cm(
                """
                  resource.exclusions: |
                    - apiGroups: ["cilium.io"]
                      kinds: ["CiliumIdentity"]
                      clusters: ["*"]
                  resource.inclusions: |
                    - apiGroups: ["*"]
                      kinds: ["*"]
                      clusters: ["https://kubernetes.default.svc"]
                """));
    ResourceFilter f = s.resourceFilter();
    String here = "https://kubernetes.default.svc";
    assertThat(f.isExcluded("cilium.io", "CiliumIdentity", here)).isTrue();
    assertThat(f.isExcluded("apps", "Deployment", here)).isFalse();
    assertThat(f.isExcluded("apps", "Deployment", "https://other")).isTrue();
    assertThat(f.isExcluded("", "Event", here)).isTrue();
    assertThat(ResourceFilter.NONE.isExcluded("apps", "Deployment", here)).isFalse();
  }

  @Test
  void keysThatChangeNothingAreReportedAndOthersRefused() {
    ArgoCdSettings s =
        ArgoCdSettings.of(
            cm(
                """
                  url: https://argocd.example.com
                  resource.customizations.actions.apps_Deployment: "discovery.lua: ''"
                """));
    assertThat(s.notHonoured())
        .containsKeys("url", "resource.customizations.actions.apps_Deployment");
    Resource bad = cm("  resource.customizations.knownTypeFields.apps_Deployment: \"[]\"\n");
    assertThatThrownBy(() -> ArgoCdSettings.of(bad))
        .isInstanceOf(ArgoCdSettingsException.class)
        .hasMessageContaining("argocd-cm.yaml")
        .hasMessageContaining("resource.customizations.knownTypeFields.apps_Deployment");
    assertThat(ArgoCdSettings.of(bad, ArgoCdSettings.Unsupported.REPORT).notHonoured())
        .containsKey("resource.customizations.knownTypeFields.apps_Deployment");
  }

  @Test
  void badValuesAreTypedErrorsNamingTheKey() {
    assertThatThrownBy(
            () ->
                ArgoCdSettings.of(
                    cm("  resource.customizations.useOpenLibs.apps_Deployment: maybe\n")))
        .isInstanceOfSatisfying(
            ArgoCdSettingsException.class,
            e ->
                assertThat(e.key())
                    .isEqualTo("resource.customizations.useOpenLibs.apps_Deployment"));
    assertThatThrownBy(() -> ArgoCdSettings.of(cm("  resource.customizations.health.a_b_c: x\n")))
        .isInstanceOf(ArgoCdSettingsException.class)
        .hasMessageContaining("group kind should be in format");
    assertThatThrownBy(
            () -> ArgoCdSettings.of(cm("  resource.exclusions: |\n    - apiGroup: [x]\n")))
        .isInstanceOf(ArgoCdSettingsException.class)
        .hasMessageContaining("unknown field apiGroup");
    assertThatThrownBy(
            () ->
                ArgoCdSettings.of(
                    cm(
                        "  resource.customizations.ignoreDifferences.apps_Deployment: |\n    jqPathExpressions: ['..']\n")))
        .isInstanceOf(ArgoCdSettingsException.class)
        .hasMessageContaining("ignoreDifferences.apps_Deployment");
  }

  @Test
  void aFileWithSeveralObjectsIsReadForItsArgocdCm(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("argocd.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: argocd-rbac-cm}
        data: {policy.csv: ""}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: argocd-cm}
        data:
          resource.customizations.health.example.com_Thing: "return {status='Healthy'}"
        """);
    assertThat(ArgoCdSettings.read(file).healthScripts()).hasSize(1);
    Files.writeString(file, "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n");
    assertThatThrownBy(() -> ArgoCdSettings.read(file))
        .isInstanceOf(ArgoCdSettingsException.class)
        .hasMessageContaining("no ConfigMap");
  }
}
