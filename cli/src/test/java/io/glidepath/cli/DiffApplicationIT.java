package io.glidepath.cli;

import static io.glidepath.cli.RenderCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.cli.RenderCommandTest.Run;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glidepath diff --application} on a multi-source Application: every source rendered and
 * combined as the controller does, not only the first.
 */
class DiffApplicationIT {
  @TempDir Path dir;
  private LocalGitServer git;
  private Path app;

  @BeforeEach
  void start() throws IOException {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
    Path content = dir.resolve("content");
    Files.createDirectories(content.resolve("apps/web"));
    Files.createDirectories(content.resolve("apps/jobs"));
    Files.createDirectories(content.resolve("charts/shop/templates"));
    Files.createDirectories(content.resolve("env"));
    Files.writeString(content.resolve("apps/web/cm.yaml"), configMap("web", "LEVEL", "info"));
    Files.writeString(content.resolve("apps/jobs/cm.yaml"), configMap("jobs", "LEVEL", "debug"));
    Files.writeString(
        content.resolve("charts/shop/Chart.yaml"), "apiVersion: v2\nname: shop\nversion: 1.0.0\n");
    Files.writeString(content.resolve("charts/shop/values.yaml"), "tier: dev\n");
    Files.writeString(
        content.resolve("charts/shop/templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n  namespace: shop\ndata:\n"
            + "  TIER: {{ .Values.tier | quote }}\n");
    Files.writeString(content.resolve("env/prod.yaml"), "tier: prod\n");
    git.seed("configs", content, "first");
    app = dir.resolve("app.yaml");
    Files.writeString(
        app,
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: shop, namespace: argocd}
        spec:
          sources:
            - {repoURL: "%1$s", targetRevision: main, path: apps/web}
            - {repoURL: "%1$s", targetRevision: main, path: apps/jobs}
            - repoURL: "%1$s"
              targetRevision: main
              path: charts/shop
              helm: {valueFiles: [$values/env/prod.yaml]}
            - {repoURL: "%1$s", targetRevision: main, ref: values}
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
        """
            .formatted(git.url("configs")));
  }

  @AfterEach
  void stop() {
    if (git != null) {
      git.close();
    }
  }

  private static String configMap(String name, String key, String value) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\n  namespace: shop\ndata:\n  "
        + key
        + ": "
        + value
        + "\n";
  }

  private Path live(String... objects) throws IOException {
    Path file = dir.resolve("live.yaml");
    Files.writeString(file, String.join("---\n", objects));
    return file;
  }

  @Test
  void comparesTheUnionOfEverySource() throws IOException {
    Path all =
        live(
            configMap("web", "LEVEL", "info"),
            configMap("jobs", "LEVEL", "debug"),
            configMap("shop", "TIER", "prod"));
    Run inSync = run("diff", "--application", app.toString(), "--live", all.toString());
    assertThat(inSync.code()).as(inSync.err()).isZero();

    // the live objects of the first source only: the second source's ConfigMap and the Helm
    // source's (with its $ref value) are missing
    Path firstOnly = live(configMap("web", "LEVEL", "info"));
    Run drift = run("diff", "--application", app.toString(), "--live", firstOnly.toString());
    assertThat(drift.code()).as(drift.err()).isEqualTo(1);
    assertThat(drift.out()).contains("jobs").contains("TIER: prod").doesNotContain("name: web");
  }

  @Test
  void refusesAppPathForAMultiSourceApplication() throws IOException {
    Path all = live(configMap("web", "LEVEL", "info"));
    Path checkout = dir.resolve("content/apps/web");
    Run r =
        run("diff", checkout.toString(), "--application", app.toString(), "--live", all.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("has spec.sources (4 sources").contains("leave APP_PATH out");
  }
}
