package io.glidepath.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.render.PathEscapeException;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm fields of an Argo CD Application change the render as they do in Argo CD. */
class HelmSourceOptionsTest {
  @TempDir static Path repo;

  @BeforeAll
  static void chart() throws IOException {
    Path chart = Files.createDirectories(repo.resolve("apps/demo/templates"));
    Files.writeString(
        repo.resolve("apps/demo/Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    Files.writeString(
        repo.resolve("apps/demo/values.yaml"),
        "layer: chart\nfromFile: chart\ninline: chart\nforced: chart\ncert: none\n");
    Files.writeString(
        chart.resolve("cm.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-cfg
          namespace: {{ .Release.Namespace }}
        data:
          layer: {{ .Values.layer | quote }}
          fromFile: {{ .Values.fromFile | quote }}
          inline: {{ .Values.inline | quote }}
          forced: {{ .Values.forced | quote }}
          cert: {{ .Values.cert | quote }}
          kube: {{ .Capabilities.KubeVersion.Version | quote }}
        """);
    Files.createDirectories(repo.resolve("apps/demo/crds"));
    Files.writeString(
        repo.resolve("apps/demo/crds/widgets.yaml"),
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema: {type: object}
        """);
    Files.writeString(
        repo.resolve("apps/demo/values-env.yaml"), "layer: file\nfromFile: file\ninline: file\n");
    Files.createDirectories(repo.resolve("apps/demo/certs"));
    Files.writeString(repo.resolve("apps/demo/certs/tls.crt"), "-----BEGIN CERT-----\nabc,=\n");
  }

  private static Application app(String helm) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: demo
        spec:
          source:
            repoURL: https://git.example.com/org/gitops-configs.git
            path: apps/demo
            helm:
        %s
          destination:
            server: https://kubernetes.default.svc
            namespace: production
        """
            .formatted(helm.indent(6).stripTrailing());
    return Application.parse(yaml, "demo-app.yaml");
  }

  private static RenderResult render(String helm) {
    Application app = app(helm);
    return HelmRenderer.create().render(app.renderRequest(repo));
  }

  private static Resource configMap(RenderResult r) {
    return r.resources().stream()
        .filter(x -> x.kind().equals("ConfigMap"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap in " + r.resources()));
  }

  private static String data(RenderResult r, String key) {
    return configMap(r).at("/data/" + key).stringValue();
  }

  @Test
  void appliesValueFilesThenInlineValuesThenParametersThenFileParameters() {
    RenderResult r =
        render(
            """
            valueFiles: [values-env.yaml]
            values: |
              layer: inline
              inline: inline
            parameters:
              - name: layer
                value: param
              - name: forced
                value: "0123"
                forceString: true
              - name: forced
                value: "9"
            fileParameters:
              - name: cert
                path: certs/tls.crt
            """);
    assertThat(data(r, "fromFile")).isEqualTo("file");
    assertThat(data(r, "inline")).isEqualTo("inline");
    assertThat(data(r, "layer")).isEqualTo("param");
    // --set-string comes after --set in Helm, whatever the list order
    assertThat(data(r, "forced")).isEqualTo("0123");
    assertThat(data(r, "cert")).isEqualTo("-----BEGIN CERT-----\nabc,=\n");
  }

  @Test
  void inlineValuesAloneChangeTheRender() {
    assertThat(data(render("values: 'inline: mine'"), "inline")).isEqualTo("mine");
  }

  @Test
  void valuesObjectWinsOverValues() {
    RenderResult r =
        render(
            """
            values: |
              inline: from-string
              layer: from-string
            valuesObject:
              inline: from-object
            """);
    assertThat(data(r, "inline")).isEqualTo("from-object");
    // Argo CD uses valuesObject instead of values, not merged with it
    assertThat(data(r, "layer")).isEqualTo("chart");
  }

  @Test
  void fileParametersWinOverParameters() {
    RenderResult r =
        render(
            """
            parameters: [{name: cert, value: from-set}]
            fileParameters: [{name: cert, path: certs/tls.crt}]
            """);
    assertThat(data(r, "cert")).startsWith("-----BEGIN CERT-----");
  }

  @Test
  void refusesFileParametersOutsideTheRepository() {
    assertThatThrownBy(() -> render("fileParameters: [{name: cert, path: ../../../../etc/passwd}]"))
        .isInstanceOf(PathEscapeException.class);
  }

  @Test
  void skipsMissingValueFilesOnlyWhenAskedTo() {
    RenderResult r =
        render(
            """
            valueFiles: [values-missing.yaml, values-env.yaml]
            ignoreMissingValueFiles: true
            """);
    assertThat(data(r, "layer")).isEqualTo("file");
    assertThatThrownBy(() -> render("valueFiles: [values-missing.yaml, values-env.yaml]"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("values-missing.yaml")
        .hasMessageContaining("not found");
  }

  @Test
  void rendersTheChartsCrdsUnlessSkipCrds() {
    RenderResult with = render("releaseName: demo");
    assertThat(with.resources().stream().map(Resource::kind))
        .contains("CustomResourceDefinition", "ConfigMap");
    RenderResult without = render("skipCrds: true");
    assertThat(without.resources().stream().map(Resource::kind)).containsExactly("ConfigMap");
  }

  @Test
  void templatesWithTheHelmNamespaceAndKubeVersion() {
    RenderResult r =
        render(
            """
            namespace: templating-ns
            kubeVersion: "1.29.3"
            """);
    assertThat(configMap(r).namespace()).contains("templating-ns");
    assertThat(data(r, "kube")).isEqualTo("v1.29.3");
    assertThat(configMap(render("releaseName: demo")).namespace()).contains("production");
  }

  @Test
  void warnsThatApiVersionsAreNotApplied() {
    RenderResult r = render("apiVersions: [monitoring.coreos.com/v1/ServiceMonitor]");
    assertThat(r.warnings())
        .anySatisfy(
            w -> assertThat(w).contains("apiVersions").contains("monitoring.coreos.com/v1"));
    assertThat(render("releaseName: demo").warnings()).isEmpty();
  }

  @Test
  void warnsThatKustomizeOverridesDoNotApplyToACharts() {
    RenderResult r =
        HelmRenderer.create()
            .render(
                io.glidepath.core.render.RenderRequest.builder(repo, "apps/demo")
                    .kustomize(
                        io.glidepath.core.render.KustomizeOptions.NONE.withNamePrefix("prod-"))
                    .build());
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("spec.source.kustomize"));
  }

  @Test
  void skipSchemaValidationRendersValuesTheChartsSchemaRefuses(@TempDir Path tmp)
      throws IOException {
    Path chart = Files.createDirectories(tmp.resolve("apps/strict/templates"));
    Files.writeString(
        tmp.resolve("apps/strict/Chart.yaml"), "apiVersion: v2\nname: strict\nversion: 0.1.0\n");
    Files.writeString(tmp.resolve("apps/strict/values.yaml"), "replicas: 1\n");
    Files.writeString(
        tmp.resolve("apps/strict/values.schema.json"),
        "{\"type\": \"object\", \"properties\": {\"replicas\": {\"type\": \"integer\"}}}");
    Files.writeString(
        chart.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\n"
            + "data:\n  replicas: {{ .Values.replicas | quote }}\n");
    io.glidepath.core.render.RenderRequest.Builder request =
        io.glidepath.core.render.RenderRequest.builder(tmp, "apps/strict")
            .parameter(new io.glidepath.core.render.Parameter("replicas", "many", true));

    assertThatThrownBy(() -> HelmRenderer.create().render(request.build()))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("replicas");
    RenderResult r = HelmRenderer.create().render(request.skipSchemaValidation(true).build());
    assertThat(configMap(r).at("/data/replicas").stringValue()).isEqualTo("many");
    assertThat(Files.exists(tmp.resolve("apps/strict/values.schema.json")))
        .as("the chart in the checkout is left as it was")
        .isTrue();
  }
}
