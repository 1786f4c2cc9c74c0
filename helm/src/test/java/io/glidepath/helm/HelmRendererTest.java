package io.glidepath.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.PathEscapeException;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.YamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelmRendererTest {
  /** The reference app of the seed, in the examples module. */
  static final Path GITOPS = Path.of("../examples/gitops-configs").toAbsolutePath().normalize();

  static final Path CHARTS = Path.of("src/test/resources").toAbsolutePath();

  private static RenderResult renderTradeService(String envValues) {
    RenderRequest request =
        RenderRequest.builder(GITOPS, "apps/trade-service")
            .valueFiles("values.yaml", envValues)
            .parameter("image.tag", "abc123")
            .namespace("production")
            .build();
    return ManifestRenderer.detect(request.appDir()).render(request);
  }

  private static Resource find(RenderResult result, String kind, String name) {
    return result.resources().stream()
        .filter(r -> r.kind().equals(kind) && r.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + kind + " " + name + " in " + result.resources()));
  }

  @Test
  void lookupReturnsAnEmptyMapAsHelmTemplateDoes(@TempDir Path tmp) throws IOException {
    Path repo = HelmLookupIT.lookupChart(tmp);

    Resource cm =
        HelmRenderer.create()
            .render(RenderRequest.builder(repo, "apps/probe").build())
            .resources()
            .stream()
            .findFirst()
            .orElseThrow();

    assertThat(cm.at("/data/secret").stringValue()).isEqualTo("{}");
    assertThat(cm.at("/data/secrets").stringValue()).isEqualTo("{}");
    assertThat(cm.at("/data/rollout").stringValue()).isEqualTo("{}");
  }

  @Test
  void aTemplateReadsNoFileOutsideItsChartAndResolvesNoHostName(@TempDir Path tmp)
      throws IOException {
    Path chart = Files.createDirectories(tmp.resolve("apps/c/templates"));
    Files.writeString(
        tmp.resolve("apps/c/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    Files.writeString(tmp.resolve("apps/secret.txt"), "TOP-SECRET");
    Files.writeString(
        chart.resolve("cm.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data:
          parent: {{ .Files.Get "../secret.txt" | quote }}
          passwd: {{ .Files.Get "/etc/passwd" | quote }}
          host: {{ getHostByName "localhost" | quote }}
        """);

    Resource cm =
        HelmRenderer.create()
            .render(RenderRequest.builder(tmp, "apps/c").build())
            .resources()
            .stream()
            .findFirst()
            .orElseThrow();

    assertThat(cm.at("/data/parent").stringValue()).isEmpty();
    assertThat(cm.at("/data/passwd").stringValue()).isEmpty();
    assertThat(cm.at("/data/host").stringValue()).isEmpty();
  }

  @Test
  void aChartWithoutTemplatesRendersNothing(@TempDir Path tmp) throws IOException {
    Files.createDirectories(tmp.resolve("apps/empty/templates"));
    Files.writeString(
        tmp.resolve("apps/empty/Chart.yaml"), "apiVersion: v2\nname: empty\nversion: 0.1.0\n");
    Files.writeString(tmp.resolve("apps/empty/values.yaml"), "a: 1\n");

    RenderResult result =
        HelmRenderer.create().render(RenderRequest.builder(tmp, "apps/empty").build());

    assertThat(result.resources().size()).isZero();
  }

  @Test
  void rendersTradeServiceForProduction() {
    RenderResult result = renderTradeService("values-production.yaml");
    assertThat(result.renderer()).isEqualTo("helm");
    assertThat(result.warnings()).isEmpty();
    Resource rollout = find(result, "Rollout", "trade-service");
    assertThat(rollout.at("/spec/replicas").intValue()).isEqualTo(10);
    assertThat(rollout.at("/spec/template/spec/containers/0/image").stringValue())
        .isEqualTo("registry.example.com/org/trade-service:abc123");
    assertThat(rollout.at("/spec/template/spec/containers/0/resources/limits/memory").stringValue())
        .isEqualTo("1Gi");
    assertThat(rollout.namespace()).contains("production");
    assertThat(rollout.origin().source()).isEqualTo("apps/trade-service/templates/rollout.yaml");

    Resource hpa = find(result, "HorizontalPodAutoscaler", "trade-service");
    assertThat(hpa.at("/spec/minReplicas").intValue()).isEqualTo(10);
    assertThat(hpa.at("/spec/maxReplicas").intValue()).isEqualTo(30);
    assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").intValue())
        .isEqualTo(70);
    assertThat(hpa.at("/spec/scaleTargetRef/kind").stringValue()).isEqualTo("Rollout");

    Resource pdb = find(result, "PodDisruptionBudget", "trade-service");
    assertThat(pdb.at("/spec/minAvailable").stringValue()).isEqualTo("60%");

    assertThat(find(result, "Ingress", "trade-service").at("/spec/rules/0/host").stringValue())
        .isEqualTo("trade-service.example.com");
    find(result, "Service", "trade-service-stable");
    find(result, "Service", "trade-service-canary");
    find(result, "VirtualService", "trade-service-vs");
    Resource successRate = find(result, "AnalysisTemplate", "success-rate");
    assertThat(successRate.at("/spec/metrics/0/provider/prometheus/query").stringValue())
        .contains("service=\"{{args.service-name}}\"");
    find(result, "AnalysisTemplate", "latency-check");
  }

  @Test
  void rendersTradeServiceForStagingWithoutHpaOrPdb() {
    RenderResult result = renderTradeService("values-staging.yaml");
    assertThat(find(result, "Rollout", "trade-service").at("/spec/replicas").intValue())
        .isEqualTo(2);
    assertThat(result.resources().stream().map(Resource::kind))
        .doesNotContain("HorizontalPodAutoscaler", "PodDisruptionBudget");
    assertThat(find(result, "Ingress", "trade-service").at("/spec/rules/0/host").stringValue())
        .isEqualTo("trade-service.staging.internal");
  }

  @Test
  void keepsParameterValuesWithCommasWhole() {
    RenderRequest request =
        RenderRequest.builder(CHARTS, "charts/hooks").parameter("message", "a,b").build();
    Resource cm = HelmRenderer.create().render(request).resources().toList().get(0);
    assertThat(cm.at("/data/message").stringValue()).isEqualTo("a,b");
  }

  @Test
  void rendersHooksAfterTheManifestsAsHelmTemplateDoes() {
    RenderRequest request =
        RenderRequest.builder(CHARTS, "charts/hooks").releaseName("demo").build();
    RenderResult result = HelmRenderer.create().render(request);
    assertThat(result.resources().stream().map(Resource::name))
        .containsExactly(
            "demo-config", "demo-cleanup", "demo-smoke-test", "demo-migrate", "demo-notify");
    Resource migrate = find(result, "Job", "demo-migrate");
    assertThat(migrate.annotations()).containsEntry("helm.sh/hook", "pre-install,pre-upgrade");
    assertThat(migrate.origin().source()).isEqualTo("charts/hooks/templates/migrate-job.yaml");
    // a hook whose annotations come from a named template of _helpers.tpl
    Resource notify = find(result, "Job", "demo-notify");
    assertThat(notify.annotations())
        .containsEntry("helm.sh/hook", "post-install,post-upgrade")
        .containsEntry("helm.sh/hook-weight", "5")
        .containsEntry("helm.sh/hook-delete-policy", "hook-succeeded,before-hook-creation")
        // templates see the text as they wrote it
        .containsEntry("note-length", "12");
    // a hook whose annotation comes from the values
    Resource cleanup = find(result, "ConfigMap", "demo-cleanup");
    assertThat(cleanup.annotations()).containsEntry("helm.sh/hook", "post-delete");
    assertThat(cleanup.at("/data/mentions").stringValue())
        .isEqualTo("the text helm.sh/hook stays as written");
    // Helm 3 skips crd-install (an unknown hook type) and says so in its log; Glidepath warns
    assertThat(result.warnings())
        .singleElement()
        .asString()
        .contains("demo-legacy")
        .contains("crd-install");
  }

  @Test
  void leavesTestHooksOutWithSkipTests() {
    RenderRequest request =
        RenderRequest.builder(CHARTS, "charts/hooks").releaseName("demo").skipTests(true).build();
    assertThat(HelmRenderer.create().render(request).resources().stream().map(Resource::name))
        .doesNotContain("demo-smoke-test")
        .contains("demo-migrate");
  }

  @Test
  void readsRenderedScalarsAsKubectlDoes() {
    RenderRequest request = RenderRequest.builder(CHARTS, "charts/hooks").build();
    Resource cm = HelmRenderer.create().render(request).resources().toList().get(0);
    // the template writes `enabled: yes` unquoted: kubectl reads a boolean (and the API server
    // would then refuse it in a ConfigMap); Glidepath must see what kubectl sees
    assertThat(cm.at("/data/enabled").isBoolean()).isTrue();
  }

  @Test
  void returnsHelmErrorsAsTypedErrors() {
    RenderRequest request = RenderRequest.builder(CHARTS, "charts/broken").build();
    assertThatThrownBy(() -> HelmRenderer.create().render(request))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("helm template failed for charts/broken")
        .hasMessageContaining("name is required");
  }

  @Test
  void refusesValueFilesOutsideTheRepository() {
    RenderRequest request =
        RenderRequest.builder(GITOPS, "apps/trade-service")
            .valueFiles("../../../../etc/passwd")
            .build();
    assertThatThrownBy(() -> HelmRenderer.create().render(request))
        .isInstanceOf(PathEscapeException.class);
    RenderRequest url =
        RenderRequest.builder(GITOPS, "apps/trade-service")
            .valueFiles("https://example.com/values.yaml")
            .build();
    assertThatThrownBy(() -> HelmRenderer.create().render(url))
        .isInstanceOf(PathEscapeException.class);
  }

  @Test
  void refusesChartsWithSymlinksLeavingTheRepository(@TempDir Path tmp) throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Path chart = Files.createDirectories(repo.resolve("chart/templates"));
    Files.writeString(
        repo.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "apiVersion: v1\nkind: Secret\n");
    Files.createSymbolicLink(chart.resolve("stolen.yaml"), secret);
    RenderRequest request = RenderRequest.builder(repo, "chart").build();
    assertThatThrownBy(() -> HelmRenderer.create().render(request))
        .isInstanceOf(PathEscapeException.class)
        .hasMessageContaining("chart/templates/stolen.yaml");
  }

  @Test
  void namesTheValueFileOfAYamlError(@TempDir Path tmp) throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Files.createDirectories(repo.resolve("chart/templates"));
    Files.writeString(
        repo.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    Files.writeString(repo.resolve("chart/bad.yaml"), "a: 1\na: 2\n");
    RenderRequest request = RenderRequest.builder(repo, "chart").valueFiles("bad.yaml").build();
    assertThatThrownBy(() -> HelmRenderer.create().render(request))
        .isInstanceOf(YamlException.class)
        .hasMessage("chart/bad.yaml:2:1: duplicate key \"a\"");
  }
}
