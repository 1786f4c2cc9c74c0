package io.glidepath.cli;

import static io.glidepath.cli.RenderCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.cli.RenderCommandTest.Run;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import io.glidepath.testkit.helm.ChartRepositoryServer;
import io.glidepath.testkit.oci.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code glidepath render --application}: any Application rendered as the controller does. */
class RenderApplicationIT {
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
    Files.createDirectories(dir.resolve("values/prod"));
    Files.writeString(dir.resolve("values/prod/web.yaml"), "replicas: 5\n");
    git.seed("values", dir.resolve("values"), "values");
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
   * A chart whose one ConfigMap, in the release namespace, says its version and {@code replicas}.
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
            + "\n  namespace: {{ .Release.Namespace }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n"
            + "  version: {{ .Chart.Version | quote }}\n");
    return chart;
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private Path multiSourceApp(String constraint) throws IOException {
    return write(
        "app.yaml",
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web, namespace: argocd}
        spec:
          sources:
            - repoURL: %s
              chart: web
              targetRevision: "%s"
              helm:
                valueFiles: [$values/prod/web.yaml]
            - repoURL: %s
              targetRevision: main
              ref: values
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
        """
            .formatted(charts.url(), constraint, git.url("values")));
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

  @Test
  void rendersAMultiSourceApplicationWithAChartFromARepository() throws IOException {
    Path app = multiSourceApp(">=2.0.0 <3");
    Path secrets = chartSecret();

    Run without = run("render", "--application", app.toString());
    assertThat(without.code()).isEqualTo(2);
    assertThat(without.err()).contains("needs credentials").contains("web");

    Run r =
        run(
            "render",
            "--application",
            app.toString(),
            "--repo-credentials",
            secrets.toString(),
            "-o",
            "summary");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("ConfigMap:shop/web")
        .contains("sources[0] " + charts.url() + " web at 2.3.4: 1 resources rendered by helm")
        .contains("sources[1] " + git.url("values") + " at " + git.head("values", "main"))
        .contains("ref values, not rendered")
        .endsWith("1 resources\n");
    Run yaml =
        run("render", "--application", app.toString(), "--repo-credentials", secrets.toString());
    assertThat(Yaml.readResources(yaml.out(), "out"))
        .singleElement()
        .satisfies(cm -> assertThat(cm.body().at("/data/replicas").stringValue()).isEqualTo("5"));
    assertThat(r.out() + r.err() + yaml.out() + yaml.err() + without.err())
        .doesNotContain("chart-s3cret");
  }

  @Test
  void rendersAGitSourceWithCredentialsFromARepoCredsTemplate() throws IOException {
    Files.createDirectories(dir.resolve("config/apps/web"));
    Files.writeString(
        dir.resolve("config/apps/web/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  tier: gold\n");
    git.seed("config", dir.resolve("config"), "config");
    git.requireHttpToken("deploy-bot", "git-t0ken");
    String repo = git.httpUrl("config");
    Path app =
        write(
            "git-app.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: settings, namespace: argocd}
            spec:
              source: {repoURL: %s, targetRevision: main, path: apps/web}
              destination: {server: "https://kubernetes.default.svc", namespace: team-a}
            """
                .formatted(repo));
    // a credential template for every repository under the server, as Argo CD matches them
    Path creds =
        write(
            "creds.yaml",
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: git-server
              namespace: argocd
              labels: {argocd.argoproj.io/secret-type: repo-creds}
            stringData:
              url: %s
              username: deploy-bot
              password: git-t0ken
            """
                .formatted(repo.substring(0, repo.lastIndexOf('/'))));

    Run without = run("render", "--application", app.toString());
    assertThat(without.code()).isEqualTo(2);
    assertThat(without.err()).startsWith("error: ").contains(repo);

    Run r =
        run(
            "render",
            "--application",
            app.toString(),
            "--repo-credentials",
            creds.toString(),
            "-o",
            "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode list = Yaml.mapper().readTree(r.out());
    assertThat(list.path("items").size()).isEqualTo(1);
    // as Argo CD's repo server renders it: the destination namespace is set when applying
    assertThat(list.path("items").get(0).at("/metadata/namespace").isMissingNode()).isTrue();
    assertThat(list.path("items").get(0).at("/data/tier").stringValue()).isEqualTo("gold");
    Run summary =
        run(
            "render",
            "--application",
            app.toString(),
            "--repo-credentials",
            creds.toString(),
            "-o",
            "summary");
    assertThat(summary.out())
        .contains(
            "source "
                + repo
                + " apps/web at "
                + git.head("config", "main")
                + ": 1 resources rendered by directory");
    assertThat(without.err() + r.out() + r.err() + summary.out()).doesNotContain("git-t0ken");
  }

  @Test
  void rendersAnOciChartFromTheRealRegistry() throws IOException {
    ExternalTool.require(ExternalTool.DOCKER_REGISTRY);
    registry = OciRegistry.builder().basicAuth().start();
    for (String v : new String[] {"1.2.0", "1.9.1", "2.0.0"}) {
      registry.pushChart("charts/ingress", v, ChartRepositoryServer.pack(chart("ingress", v)));
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
                chart: ingress
                targetRevision: ^1
                helm:
                  valuesObject: {replicas: 3}
              destination: {server: "https://kubernetes.default.svc", namespace: edge}
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
              enableOCI: "true"
              insecureOCIForceHttp: "true"
              username: %s
              password: %s
            """
                .formatted(registry.url(), OciRegistry.USER, OciRegistry.PASSWORD));

    Run r =
        run(
            "render",
            "--application",
            app.toString(),
            "--repo-credentials",
            secret.toString(),
            "-o",
            "summary");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("ConfigMap:edge/ingress")
        .contains(
            "source " + registry.url() + "/charts ingress at 1.9.1: 1 resources rendered by helm");
    Run yaml =
        run("render", "--application", app.toString(), "--repo-credentials", secret.toString());
    assertThat(Yaml.readResources(yaml.out(), "out"))
        .singleElement()
        .satisfies(
            cm ->
                assertThat(cm.body().at("/data"))
                    .hasToString("{\"replicas\":\"3\",\"version\":\"1.9.1\"}"));
    assertThat(r.out() + r.err() + yaml.err()).doesNotContain(OciRegistry.PASSWORD);
  }

  @Test
  void aCacheDirKeepsChartsAndClonesForTheNextRunEvenWithoutTheRepository() throws IOException {
    Path app = multiSourceApp("2.3.4");
    Path secrets = chartSecret();
    Path cache = dir.resolve("cache");
    String[] args = {
      "render",
      "--application",
      app.toString(),
      "--repo-credentials",
      secrets.toString(),
      "--cache-dir",
      cache.toString()
    };

    Run first = run(args);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(cache.resolve("charts")).isDirectory();
    charts.close();

    Run second = run(args);
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
  }

  @Test
  void aVersionNothingSatisfiesExitsTwoNamingTheSource() throws IOException {
    Path app = multiSourceApp("^7");
    Run r =
        run(
            "render",
            "--application",
            app.toString(),
            "--repo-credentials",
            chartSecret().toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains(charts.url() + " web ^7").contains("2.3.4");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anApplicationItCannotReadExitsTwoNamingTheFieldOrTheFile() throws IOException {
    Path bad =
        write(
            "bad.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web}
            spec:
              sources:
                - repoURL: https://charts.example.org
                  chart: web
                  targetRevision: 1.0.0
                  helm: {valueFiles: [$missing/values.yaml]}
              destination: {namespace: shop}
            """);
    Run r = run("render", "--application", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains("bad.yaml").contains("$missing");

    Run missing = run("render", "--application", dir.resolve("nowhere.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: ").contains("nowhere.yaml");
  }

  @Test
  void refusesOptionsThatDoNotCombine() throws IOException {
    Path app = multiSourceApp("2.3.4");
    Map<String, String[]> cases =
        Map.of(
            "give APP_PATH or --application, not both",
            new String[] {"render", "x", "--application", app.toString()},
            "--values, --set, --namespace do not combine with --application",
            new String[] {
              "render",
              "--application",
              app.toString(),
              "-f",
              "v.yaml",
              "--set",
              "a=b",
              "--namespace",
              "n"
            },
            "--enable-helm does not combine with --application",
            new String[] {"render", "--application", app.toString(), "--enable-helm"},
            "--repo-credentials needs --application",
            new String[] {"render", "x", "--repo-credentials", app.toString()},
            // a cache of Git clones serves remote Kustomize bases too
            "--cache-dir needs --application or --allow-remote-base",
            new String[] {"render", "x", "--cache-dir", dir.toString()},
            "Missing required parameter: 'APP_PATH' (or --application FILE)",
            new String[] {"render", "-o", "summary"});
    cases.forEach(
        (message, args) -> {
          Run r = run(args);
          assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
          assertThat(r.err()).contains(message).contains("Usage: glidepath render");
          assertThat(r.out()).isEmpty();
        });
  }
}
