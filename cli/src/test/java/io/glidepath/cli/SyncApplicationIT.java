package io.glidepath.cli;

import static io.glidepath.cli.RenderCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.cli.RenderCommandTest.Run;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import io.glidepath.testkit.helm.ChartRepositoryServer;
import io.glidepath.testkit.oci.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glidepath sync --app FILE --embedded} without {@code --repo}: an Application whose chart
 * comes from a Helm repository or an OCI registry, or with several sources, fetched, rendered and
 * synced as the controller does.
 */
class SyncApplicationIT {
  @TempDir Path dir;
  private LocalGitServer git;
  private ChartRepositoryServer charts;
  private OciRegistry registry;

  @BeforeEach
  void start() throws IOException {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
    charts = ChartRepositoryServer.builder().basicAuth("ci", "chart-s3cret").start();
    charts.addChart(chart("web", "2.3.4"));
    charts.addChart(chart("web", "3.0.0"));
    Files.createDirectories(dir.resolve("config/prod"));
    Files.createDirectories(dir.resolve("config/extras"));
    Files.writeString(dir.resolve("config/prod/web.yaml"), "replicas: 5\n");
    Files.writeString(
        dir.resolve("config/extras/quota.yaml"),
        "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: shop-quota\n"
            + "spec:\n  hard:\n    pods: \"20\"\n");
    git.seed("config", dir.resolve("config"), "config");
  }

  @AfterEach
  void stop() {
    charts.close();
    if (git != null) {
      git.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /**
   * A chart with a ConfigMap saying its version and {@code replicas}, and a pre-upgrade hook Job (a
   * migration) of weight -1.
   */
  private Path chart(String name, String version) throws IOException {
    Path chart = dir.resolve("charts-src/" + name + "-" + version);
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"),
        "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    Files.writeString(chart.resolve("values.yaml"), "replicas: 1\n");
    Files.writeString(
        chart.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
            + name
            + "\ndata:\n  replicas: {{ .Values.replicas | quote }}\n"
            + "  version: {{ .Chart.Version | quote }}\n");
    Files.writeString(
        chart.resolve("templates/migrate.yaml"),
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{ .Release.Name }}-migrate
          annotations:
            helm.sh/hook: pre-install,pre-upgrade
            helm.sh/hook-weight: "-1"
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: migrate
                  image: example.org/migrate:{{ .Chart.Version }}
        """);
    return chart;
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private Path chartSecret() throws IOException {
    return write(
        "repos.yaml",
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: charts
          namespace: argocd
          labels: {argocd.argoproj.io/secret-type: repository}
        stringData:
          url: %s
          username: ci
          password: chart-s3cret
        """
            .formatted(charts.url()));
  }

  private Path multiSourceApp() throws IOException {
    return write(
        "multi.yaml",
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web, namespace: argocd}
        spec:
          sources:
            - repoURL: %s
              chart: web
              targetRevision: ">=2.0.0 <3"
              helm:
                valueFiles: [$values/prod/web.yaml]
            - repoURL: %s
              targetRevision: main
              ref: values
            - repoURL: %s
              targetRevision: main
              path: extras
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
          syncPolicy:
            automated: {}
            syncOptions: [CreateNamespace=true]
        """
            .formatted(charts.url(), git.url("config"), git.url("config")));
  }

  private static Run sync(Path app, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "sync";
    args[1] = "--app";
    args[2] = app.toString();
    args[3] = "--embedded";
    System.arraycopy(more, 0, args, 4, more.length);
    return run(args);
  }

  @Test
  void syncsAChartFromAHelmRepositoryRunningItsPreUpgradeHookFirst() throws IOException {
    Path app =
        write(
            "app.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web, namespace: argocd}
            spec:
              source: {repoURL: %s, chart: web, targetRevision: ^2}
              destination: {server: "https://kubernetes.default.svc", namespace: shop}
              syncPolicy:
                automated: {}
                syncOptions: [CreateNamespace=true]
            """
                .formatted(charts.url()));

    Run without = sync(app);
    assertThat(without.code()).isEqualTo(2);
    assertThat(without.err()).contains("needs credentials").contains("web");

    Run r = sync(app, "--repo-credentials", chartSecret().toString());

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.err()).contains("source " + charts.url() + " web at 2.3.4: 2 resources");
    assertThat(r.out()).contains("rendered 2 resources at 2.3.4", "synced 2.3.4");
    // the hook Job, a PreSync hook, is applied and completes before the ConfigMap
    assertThat(r.out()).containsPattern("(?s)Job:shop/web-migrate.*ConfigMap:shop/web");
    assertThat(r.out()).contains("PreSync").doesNotContain("SYNC_FAILED");
    assertThat(without.err() + r.out() + r.err()).doesNotContain("chart-s3cret");
  }

  @Test
  void syncsAnOciChartFromTheRealRegistry() throws IOException {
    ExternalTool.require(ExternalTool.DOCKER_REGISTRY);
    registry = OciRegistry.builder().basicAuth().start();
    for (String v : new String[] {"1.2.0", "1.9.1"}) {
      registry.pushChart("charts/web", v, ChartRepositoryServer.pack(chart("web", v)));
    }
    Path app =
        write(
            "oci-app.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: edge, namespace: argocd}
            spec:
              source:
                repoURL: %s/charts
                chart: web
                targetRevision: 1.9.1
                helm:
                  valuesObject: {replicas: 3}
              destination: {server: "https://kubernetes.default.svc", namespace: edge}
              syncPolicy:
                automated: {}
                syncOptions: [CreateNamespace=true]
            """
                .formatted(registry.url()));
    Path secret =
        write(
            "registry.yaml",
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: registry
              namespace: argocd
              labels: {argocd.argoproj.io/secret-type: repository}
            stringData:
              type: helm
              url: %s/charts
              insecureOCIForceHttp: "true"
              username: %s
              password: %s
            """
                .formatted(registry.url(), OciRegistry.USER, OciRegistry.PASSWORD));

    Run r = sync(app, "--repo-credentials", secret.toString());

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.err()).contains("source " + registry.url() + "/charts web at 1.9.1: 2 resources");
    assertThat(r.out())
        .contains("rendered 2 resources at 1.9.1", "Job:edge/edge-migrate", "ConfigMap:edge/web");
    assertThat(r.out()).doesNotContain("SYNC_FAILED");
    assertThat(r.out() + r.err()).doesNotContain(OciRegistry.PASSWORD);
  }

  @Test
  void syncsEverySourceOfAMultiSourceApplicationWithValuesFromARefSource() throws IOException {
    Path app = multiSourceApp();

    Run r = sync(app, "--repo-credentials", chartSecret().toString());

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    String head = git.head("config", "main");
    assertThat(r.err())
        .contains("sources[0] " + charts.url() + " web at 2.3.4: 2 resources rendered by helm")
        .contains("sources[1] " + git.url("config") + " at " + head + ": ref values")
        .contains("sources[2] " + git.url("config") + " extras at " + head + ": 1 resources");
    String at = "2.3.4," + head.substring(0, 7) + "," + head.substring(0, 7);
    assertThat(r.out())
        .contains("rendered 3 resources at " + at)
        .contains("ConfigMap:shop/web", "ResourceQuota:shop/shop-quota", "Job:shop/web-migrate")
        .doesNotContain("SYNC_FAILED");
  }

  @Test
  void refusesRepoForSeveralSourcesOrAChartAndGitCredentialsWithoutRepo() throws IOException {
    Path multi = multiSourceApp();
    Run withRepo = sync(multi, "--repo", git.url("config"));
    assertThat(withRepo.code()).isEqualTo(2);
    assertThat(withRepo.err()).contains("has spec.sources", "leave --repo out");

    Path chartApp =
        write(
            "chart-app.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web, namespace: argocd}
            spec:
              source: {repoURL: %s, chart: web, targetRevision: 2.3.4}
              destination: {server: "https://kubernetes.default.svc", namespace: shop}
            """
                .formatted(charts.url()));
    Run chartWithRepo = sync(chartApp, "--repo", git.url("config"));
    assertThat(chartWithRepo.code()).isEqualTo(2);
    assertThat(chartWithRepo.err()).contains("has a chart source");

    Run tokenWithoutRepo = sync(multi, "--token-env", "HOME");
    assertThat(tokenWithoutRepo.code()).isEqualTo(2);
    assertThat(tokenWithoutRepo.err()).contains("--repo-credentials");
  }
}
