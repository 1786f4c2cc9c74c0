package io.glidepath.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.resource.ResourceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentDiffTest {
  @TempDir Path repo;

  private static final String DEPLOY =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: trade-service, namespace: %s}
      spec:
        replicas: %d
        template:
          spec:
            containers:
              - name: trade-service
                image: registry.example.com/org/trade-service:v1.4.2
                resources: {limits: {cpu: %s, memory: 1Gi}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: db, namespace: %s}
      stringData: {password: %s, user: trade_rw}
      """;

  private RenderRequest env(String name, String content) throws IOException {
    Path dir = repo.resolve("envs").resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("all.yaml"), content);
    return RenderRequest.builder(repo, "envs/" + name).build();
  }

  @Test
  void showsPerResourceAndFieldTheValueInEachEnvironment() throws IOException {
    RenderRequest staging =
        env("staging", DEPLOY.formatted("staging", 2, "2000m", "staging", "stg-Pa55w0rd-x"));
    RenderRequest production =
        env(
            "production",
            DEPLOY.formatted("production", 10, "1000m", "production", "prd-Pa55w0rd-y")
                + "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: trade-service}\nspec: {minAvailable: 60%}\n");
    EnvironmentComparison c =
        EnvironmentDiff.create().compare("staging", staging, "production", production);
    ResourceKey deployment = new ResourceKey("apps", "Deployment", "", "trade-service");
    assertThat(c.onlyInA()).isEmpty();
    assertThat(c.onlyInB())
        .containsExactly(new ResourceKey("policy", "PodDisruptionBudget", "", "trade-service"));
    assertThat(c.differences())
        .filteredOn(d -> d.resource().equals(deployment))
        .extracting(FieldDifference::path)
        .containsExactly(
            "metadata.namespace",
            "spec.replicas",
            "spec.template.spec.containers[name=trade-service].resources.limits.cpu");
    String table = c.toTable();
    assertThat(table)
        .contains("RESOURCE")
        .containsPattern("apps/Deployment/trade-service +spec.replicas +2 +10")
        .containsPattern("Secret/db +data.password +\\+{8} +\\+{10}\n")
        .doesNotContain("stg-Pa55w0rd-x")
        .doesNotContain("prd-Pa55w0rd-y")
        .doesNotContain("trade_rw")
        .contains("policy/PodDisruptionBudget/trade-service  (resource)");
    // equal secret values (user) are not a difference at all
    assertThat(c.differences()).extracting(FieldDifference::path).doesNotContain("data.user");
  }

  @Test
  void identicalEnvironmentsHaveNoDifferences() throws IOException {
    String same = DEPLOY.formatted("prod", 3, "1", "prod", "p");
    EnvironmentComparison c =
        EnvironmentDiff.create().compare("a", env("a", same), "b", env("b", same));
    assertThat(c.isIdentical()).isTrue();
    assertThat(c.toString()).endsWith("(no differences)\n");
    assertThat(List.of(c.differences().size())).containsExactly(0);
  }
}
