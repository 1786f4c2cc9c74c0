package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class HealthCommandTest {
  private static final String LIVE =
      """
      apiVersion: v1
      kind: List
      items:
      - apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, generation: 1}
        spec: {paused: true}
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
      - apiVersion: backup.example.com/v1
        kind: Backup
        metadata: {name: nightly, namespace: shop}
        status: {phase: Failed}
      - apiVersion: cilium.io/v2
        kind: CiliumIdentity
        metadata: {name: '1234'}
        status:
          conditions: [{type: Ready, status: 'True'}]
      """;

  private static final String CM =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: argocd-cm, namespace: argocd}
      data:
        url: https://argocd.example.com
        resource.customizations.health.backup.example.com_Backup: |
          hs = {status = "Healthy", message = ""}
          if obj.status ~= nil and obj.status.phase == "Failed" then
            hs.status = "Degraded"
            hs.message = "backup failed"
          end
          return hs
        resource.exclusions: |
          - apiGroups: [cilium.io]
            kinds: [CiliumIdentity]
      """;

  @Test
  void printsEachObjectsHealthAndTheCheckThatAnswered(@TempDir Path dir) throws Exception {
    Path live = Files.writeString(dir.resolve("live.yaml"), LIVE);
    Path cm = Files.writeString(dir.resolve("argocd-cm.yaml"), CM);

    RenderCommandTest.Run run =
        RenderCommandTest.run("health", live.toString(), "--argocd-cm", cm.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "apps\tDeployment\tshop\tweb\tSuspended\tbuilt-in apps/Deployment\tDeployment is paused")
        .contains("-\tConfigMap\tshop\tsettings\t-\tnone\t")
        .contains(
            "backup.example.com\tBackup\tshop\tnightly\tDegraded\tlua"
                + " resource.customizations.health.backup.example.com_Backup\tbackup failed")
        .contains("cilium.io\tCiliumIdentity\t-\t1234\t-\texcluded");
  }

  @Test
  void withoutAnArgocdCmCustomKindsGetTheGenericCheckOrNothing(@TempDir Path dir) throws Exception {
    Path live = Files.writeString(dir.resolve("live.yaml"), LIVE);

    RenderCommandTest.Run run = RenderCommandTest.run("health", live.toString(), "-o", "json");

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode rows = Yaml.mapper().readTree(run.out());
    assertThat(rows).hasSize(4);
    assertThat(rows.get(2).path("status").isNull()).isTrue();
    assertThat(rows.get(2).at("/check/type").asString()).isEqualTo("none");
    assertThat(rows.get(3).path("status").asString()).isEqualTo("Healthy");
    assertThat(rows.get(3).at("/check/type").asString()).isEqualTo("generic");
  }

  @Test
  void jsonRowsCarryEveryFieldAndTheClusterDecidesClusterScopedExclusions(@TempDir Path dir)
      throws Exception {
    Path live =
        Files.writeString(
            dir.resolve("live.yaml"),
            LIVE
                + """
                - apiVersion: backup.example.com/v1
                  kind: Backup
                  metadata:
                    name: weekly
                    namespace: shop
                    deletionTimestamp: '2026-03-01T10:00:00Z'
                    finalizers: [backup.example.com/upload]
                """);
    Path cm =
        Files.writeString(
            dir.resolve("argocd-cm.yaml"),
            CM.replace(
                    "kinds: [CiliumIdentity]",
                    "kinds: [CiliumIdentity]\n      clusters: [https://prod.example.com]")
                .replace(
                    "hs = {status = \"Healthy\", message = \"\"}",
                    "if obj.metadata.deletionTimestamp ~= nil then\n"
                        + "      return {status = \"Progressing\", message = \"uploading before deletion\"}\n"
                        + "    end\n"
                        + "    hs = {status = \"Healthy\", message = \"\"}"));

    RenderCommandTest.Run here =
        RenderCommandTest.run(
            "health", live.toString(), "--argocd-cm", cm.toString(), "-o", "json");
    assertThat(here.code()).as(here.err()).isZero();
    JsonNode rows = Yaml.mapper().readTree(here.out());
    assertThat(rows).hasSize(5);
    JsonNode configMap = rows.get(1);
    assertThat(configMap.path("group").asString()).isEmpty();
    assertThat(configMap.path("kind").asString()).isEqualTo("ConfigMap");
    assertThat(configMap.path("namespace").asString()).isEqualTo("shop");
    assertThat(configMap.path("name").asString()).isEqualTo("settings");
    assertThat(configMap.path("status").isNull()).isTrue();
    assertThat(configMap.path("message").isNull()).isTrue();
    assertThat(configMap.at("/check/type").asString()).isEqualTo("none");
    // the exclusion names another cluster: the generic check answers here
    assertThat(rows.get(3).at("/check/type").asString()).isEqualTo("generic");
    JsonNode deleting = rows.get(4);
    assertThat(deleting.path("status").asString()).isEqualTo("Progressing");
    assertThat(deleting.path("message").asString()).isEqualTo("uploading before deletion");
    assertThat(deleting.at("/check/type").asString()).isEqualTo("lua");
    assertThat(deleting.at("/check/name").asString())
        .isEqualTo("resource.customizations.health.backup.example.com_Backup");

    RenderCommandTest.Run prod =
        RenderCommandTest.run(
            "health",
            live.toString(),
            "--argocd-cm",
            cm.toString(),
            "--cluster",
            "https://prod.example.com",
            "-o",
            "json");
    assertThat(prod.code()).as(prod.err()).isZero();
    assertThat(Yaml.mapper().readTree(prod.out()).get(3).at("/check/type").asString())
        .isEqualTo("excluded");
  }

  @Test
  void readsLiveObjectsWithARepeatedKeyAsKubectlDoesTheLastValueWins(@TempDir Path dir)
      throws Exception {
    Path live =
        Files.writeString(
            dir.resolve("live.yaml"),
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, generation: 1}
            spec:
              paused: false
              paused: true
            """);

    RenderCommandTest.Run run = RenderCommandTest.run("health", live.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Suspended").contains("Deployment is paused");
  }

  @Test
  void exitsTwoOnBadInput(@TempDir Path dir) throws Exception {
    Path live = Files.writeString(dir.resolve("live.yaml"), LIVE);
    Path bad =
        Files.writeString(dir.resolve("argocd-cm.yaml"), CM.replace("return hs", "return hs end"));

    RenderCommandTest.Run run =
        RenderCommandTest.run("health", live.toString(), "--argocd-cm", bad.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("resource.customizations.health.backup.example.com_Backup")
        .contains("syntax");

    RenderCommandTest.Run missing =
        RenderCommandTest.run("health", dir.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    RenderCommandTest.Run format = RenderCommandTest.run("health", live.toString(), "-o", "xml");
    assertThat(format.code()).isEqualTo(2);
  }
}
