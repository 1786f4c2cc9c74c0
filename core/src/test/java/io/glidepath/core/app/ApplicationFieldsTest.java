package io.glidepath.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.FileParameter;
import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Argo CD Application fields beyond the seed's: accepted, kept, or refused by name. */
class ApplicationFieldsTest {
  private static final Path ALL = Path.of("src/test/resources/app/argocd-app-all-fields.yaml");
  private static final Path KUSTOMIZE = Path.of("src/test/resources/app/argocd-app-kustomize.yaml");

  private static final String HEAD =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: demo
      spec:
        destination:
          server: https://kubernetes.default.svc
          namespace: demo
      """;

  /** An application whose spec.source has {@code sourceBody} (indented under source:). */
  private static Application withSource(String sourceBody) {
    return Application.parse(
        HEAD
            + "  source:\n    repoURL: https://git.example.com/r.git\n    path: app\n"
            + sourceBody.indent(4),
        "bad-app.yaml");
  }

  private static Application withSpec(String specBody) {
    return Application.parse(
        HEAD
            + "  source:\n    repoURL: https://git.example.com/r.git\n    path: app\n"
            + specBody.indent(2),
        "bad-app.yaml");
  }

  @Test
  void loadsARealWorldApplicationWithEveryHelmAndPolicyField() {
    Application app = Application.read(ALL);
    assertThat(app.revisionHistoryLimit()).isEqualTo(3);
    assertThat(app.info())
        .containsExactly(
            new Info("Runbook", "https://wiki.example.com/payments/runbook"),
            new Info("Owner", "payments-team"));
    HelmSource helm = app.source().helm().orElseThrow();
    assertThat(helm.version()).contains("v3");
    assertThat(helm.passCredentials()).isFalse();
    assertThat(helm.namespace()).contains("payments-templating");
    assertThat(helm.kubeVersion()).contains("1.29.3");
    assertThat(helm.apiVersions()).containsExactly("monitoring.coreos.com/v1/ServiceMonitor");
    assertThat(helm.skipCrds()).isTrue();
    assertThat(helm.skipTests()).isTrue();
    assertThat(helm.skipSchemaValidation()).isFalse();
    assertThat(helm.ignoreMissingValueFiles()).isTrue();
    assertThat(helm.values()).hasValueSatisfying(v -> assertThat(v).contains("replicaCount: 4"));
    assertThat(helm.fileParameters())
        .containsExactly(new FileParameter("tls.certificate", "certs/tls.crt"));
    assertThat(helm.parameters()).contains(new Parameter("podAnnotations.build", "0042", true));
    // valuesObject wins over values, as in Argo CD
    assertThat(helm.inlineValues().get("replicaCount").orElseThrow().intValue()).isEqualTo(6);
    assertThat(helm.inlineValues().get("ingress")).isEmpty();
    assertThat(helm.inlineValues().get("resources.limits.memory").orElseThrow().stringValue())
        .isEqualTo("1Gi");
    ManagedNamespaceMetadata metadata = app.syncPolicy().managedNamespaceMetadata().orElseThrow();
    assertThat(metadata.labels()).isEqualTo(Map.of("istio-injection", "enabled"));
    assertThat(metadata.annotations()).isEqualTo(Map.of("owner", "payments-team"));
  }

  @Test
  void renderRequestCarriesEveryHelmField() {
    RenderRequest r = Application.read(ALL).renderRequest(Path.of("/repo"));
    assertThat(r.valueFiles()).containsExactly("values.yaml", "values-production.yaml");
    assertThat(r.inlineValues().get("replicaCount").orElseThrow().intValue()).isEqualTo(6);
    assertThat(r.fileParameters())
        .containsExactly(new FileParameter("tls.certificate", "certs/tls.crt"));
    assertThat(r.ignoreMissingValueFiles()).isTrue();
    assertThat(r.skipCrds()).isTrue();
    assertThat(r.namespace()).contains("payments-templating");
    assertThat(r.kubeVersion()).contains("1.29.3");
    assertThat(r.apiVersions()).containsExactly("monitoring.coreos.com/v1/ServiceMonitor");
    assertThat(r.releaseName()).isEqualTo("payments");
  }

  @Test
  void inlineValuesStringAloneReachesTheRenderRequest() {
    Application app = withSource("helm:\n  values: |\n    replicaCount: 4\n");
    RenderRequest r = app.renderRequest(Path.of("/repo"));
    assertThat(r.inlineValues().get("replicaCount").orElseThrow().intValue()).isEqualTo(4);
    assertThat(r.namespace()).contains("demo");
  }

  @Test
  void loadsKustomizeOverrides() {
    Application app = Application.read(KUSTOMIZE);
    KustomizeOptions k = app.source().kustomize().orElseThrow();
    assertThat(k.namePrefix()).isEqualTo("prod-");
    assertThat(k.nameSuffix()).isEqualTo("-v2");
    assertThat(k.namespace()).isEqualTo("web-prod");
    assertThat(k.images()).hasSize(2).first().isEqualTo("nginx=registry.example.com/nginx:1.27.2");
    assertThat(k.commonLabels()).isEqualTo(Map.of("app.kubernetes.io/part-of", "shop"));
    assertThat(k.commonAnnotations()).isEqualTo(Map.of("owner", "web-team"));
    assertThat(k.forceCommonLabels()).isTrue();
    assertThat(k.forceCommonAnnotations()).isFalse();
    assertThat(k.replicas())
        .containsExactly(
            new KustomizeOptions.Replica("web", 3), new KustomizeOptions.Replica("worker", 2));
    assertThat(k.version()).contains("v5.5.0");
    assertThat(app.renderRequest(Path.of("/repo")).kustomize()).isEqualTo(k);
    assertThat(app.revisionHistoryLimit()).isEqualTo(Application.DEFAULT_REVISION_HISTORY_LIMIT);
  }

  @Test
  void acceptsAnEmptyJsonnetBlock() {
    Application app = withSource("directory:\n  recurse: true\n  jsonnet:\n    libs: []\n");
    assertThat(app.source().directory().orElseThrow().recurse()).isTrue();
  }

  private static void refused(Runnable read, String path, String problem) {
    assertThatThrownBy(read::run)
        .isInstanceOfSatisfying(
            ApplicationException.class, e -> assertThat(e.path()).isEqualTo(path))
        .hasMessageMatching(
            "bad-app\\.yaml:\\d+:\\d+: " + java.util.regex.Pattern.quote(path) + ": (?s).*")
        .hasMessageContaining(problem);
  }

  @Test
  void refusesHelmVersionsOtherThanV3NamingFileLineAndField() {
    assertThatThrownBy(() -> withSource("helm:\n  version: v2\n"))
        .isInstanceOf(ApplicationException.class)
        .hasMessage(
            "bad-app.yaml:13:7: spec.source.helm.version: must be v3 (Glidepath renders with"
                + " Helm 3), but was \"v2\"");
  }

  @Test
  void namesTheLineOfABadFieldInAFile(@org.junit.jupiter.api.io.TempDir Path dir)
      throws java.io.IOException {
    Path file = dir.resolve("app.yaml");
    java.nio.file.Files.writeString(
        file,
        java.nio.file.Files.readString(ALL)
            .replace("      skipTests: true\n", "      skipTests: true\n      skipTest: true\n"));
    assertThatThrownBy(() -> Application.read(file))
        .isInstanceOfSatisfying(
            ApplicationException.class,
            e -> {
              assertThat(e.path()).isEqualTo("spec.source.helm.skipTest");
              assertThat(e.origin().line()).isEqualTo(35);
              assertThat(e.origin().column()).isEqualTo(7);
            });
  }

  @Test
  void refusesInlineValuesThatAreNotAMapping() {
    refused(
        () -> withSource("helm:\n  values: |\n    - a\n    - b\n"),
        "spec.source.helm.values",
        "map");
    refused(() -> withSource("helm:\n  values: 'a: [unclosed'\n"), "spec.source.helm.values", "");
    refused(
        () -> withSource("helm:\n  valuesObject: [1, 2]\n"),
        "spec.source.helm.valuesObject",
        "must be a mapping");
  }

  @Test
  void refusesFileParametersWithoutAPath() {
    refused(
        () -> withSource("helm:\n  fileParameters:\n    - name: cert\n"),
        "spec.source.helm.fileParameters[0].path",
        "is required");
  }

  @Test
  void refusesBadRevisionHistoryLimits() {
    refused(
        () -> withSpec("revisionHistoryLimit: -1\n"),
        "spec.revisionHistoryLimit",
        "must be 0 or more");
    refused(
        () -> withSpec("revisionHistoryLimit: ten\n"),
        "spec.revisionHistoryLimit",
        "must be an integer");
  }

  @Test
  void refusesInfoEntriesWithoutAName() {
    refused(() -> withSpec("info:\n  - value: x\n"), "spec.info[0].name", "is required");
  }

  @Test
  void refusesManagedNamespaceMetadataWithUnknownFields() {
    refused(
        () -> withSpec("syncPolicy:\n  managedNamespaceMetadata:\n    label: {a: b}\n"),
        "spec.syncPolicy.managedNamespaceMetadata.label",
        "unknown field");
  }

  @Test
  void refusesKustomizeFieldsItDoesNotApplyByName() {
    refused(
        () -> withSource("kustomize:\n  patches:\n    - patch: '[]'\n"),
        "spec.source.kustomize.patches",
        "not supported");
    refused(
        () -> withSource("kustomize:\n  components: [../c]\n"),
        "spec.source.kustomize.components",
        "not supported");
    refused(
        () -> withSource("kustomize:\n  replicas:\n    - name: web\n      count: -2\n"),
        "spec.source.kustomize.replicas[0].count",
        "must be 0 or more");
    // unset or empty, they ask for nothing and load
    assertThat(withSource("kustomize:\n  components: []\n  labelWithoutSelector: false\n"))
        .isNotNull();
  }

  @Test
  void refusesJsonnetAndPluginsSayingWhy() {
    refused(
        () -> withSource("directory:\n  jsonnet:\n    tlas:\n      - name: a\n        value: b\n"),
        "spec.source.directory.jsonnet",
        "Jsonnet is not supported");
    refused(
        () -> withSource("plugin:\n  name: cdk8s\n"),
        "spec.source.plugin",
        "config management plugins are not supported");
  }

  @Test
  void refusesASourceThatNamesTwoToolsAsArgoCdDoes() {
    refused(
        () -> withSource("helm:\n  releaseName: web\nkustomize:\n  namePrefix: a-\n"),
        "spec.source.helm",
        "multiple application sources defined: Kustomize,Helm");
    // an empty block names its tool too (a nil block in Argo CD names none)
    refused(
        () -> withSource("helm: {}\ndirectory: {}\n"),
        "spec.source.directory",
        "multiple application sources defined: Helm,Directory");
    assertThat(withSource("helm: null\ndirectory: {recurse: true}\n").source().explicitTypes())
        .containsExactly("directory");
  }

  private static final String MULTI =
      HEAD
          + """
            sources:
              - repoURL: https://charts.example.com/stable
                chart: ingress-nginx
                targetRevision: ^4.11
                helm:
                  valueFiles: [$values/env/prod/nginx.yaml]
              - repoURL: https://git.example.com/org/values.git
                targetRevision: main
                ref: values
              - repoURL: https://git.example.com/org/extras.git
                path: extras
                name: extras
          """;

  @Test
  void readsMultipleSourcesWithRefsAndNames() {
    Application app = Application.parse(MULTI, "multi.yaml");
    assertThat(app.hasMultipleSources()).isTrue();
    assertThat(app.sources()).hasSize(3);
    assertThat(app.source()).isEqualTo(app.sources().get(0));
    ApplicationSource chart = app.sources().get(0);
    assertThat(chart.isChart()).isTrue();
    assertThat(chart.chart()).contains("ingress-nginx");
    assertThat(chart.targetRevision()).isEqualTo("^4.11");
    ApplicationSource values = app.sources().get(1);
    assertThat(values.ref()).contains("values");
    assertThat(values.isRefOnly()).isTrue();
    assertThat(app.sources().get(2).name()).contains("extras");
    assertThat(app.sources().get(2).isRefOnly()).isFalse();
    assertThat(
            Application.parse(HEAD + "  source:\n    repoURL: https://g/r.git\n", "one.yaml")
                .allSources())
        .hasSize(1);
  }

  @Test
  void refusesMultipleSourcesArgoCdWouldMisread() {
    assertThatThrownBy(
            () ->
                Application.parse(
                    MULTI + "  source:\n    repoURL: https://git.example.com/r.git\n", "both.yaml"))
        .isInstanceOfSatisfying(
            ApplicationException.class, e -> assertThat(e.path()).isEqualTo("spec.source"))
        .hasMessageContaining("must not be set together with spec.sources");
    assertThatThrownBy(
            () -> Application.parse(MULTI.replace("ref: values", "ref: vals"), "unknown-ref.yaml"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("$values")
        .hasMessageContaining("no source has ref: values");
    assertThatThrownBy(
            () -> Application.parse(MULTI.replace("name: extras", "ref: values"), "twice.yaml"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("ref \"values\" is used twice");
    assertThatThrownBy(
            () ->
                Application.parse(
                    HEAD + "  source:\n    repoURL: https://g/r.git\n    ref: values\n", "r.yaml"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("only for sources of spec.sources");
    assertThatThrownBy(
            () ->
                Application.parse(
                    HEAD
                        + "  source:\n    repoURL: https://c.example.com\n    chart: x\n"
                        + "    path: charts/x\n",
                    "chartpath.yaml"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("must not be set with chart");
    assertThatThrownBy(() -> Application.parse(HEAD + "  sources: []\n", "empty.yaml"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("at least one source");
  }

  @Test
  void javaBuiltApplicationKeepsTheNewFields() {
    Application app =
        Application.builder("demo")
            .source(
                ApplicationSource.of("https://git.example.com/r.git", "main", "app")
                    .withHelm(HelmSource.ofValueFiles("values.yaml").withValues("a: 1\n")))
            .destination(ApplicationDestination.inCluster("demo"))
            .syncPolicy(
                new SyncPolicy(
                    Optional.empty(),
                    SyncOptions.of("CreateNamespace=true"),
                    Optional.empty(),
                    Optional.of(new ManagedNamespaceMetadata(Map.of("a", "b"), Map.of()))))
            .revisionHistoryLimit(2)
            .info("Owner", "sre")
            .build();
    assertThat(app.revisionHistoryLimit()).isEqualTo(2);
    assertThat(app.info()).containsExactly(new Info("Owner", "sre"));
    assertThat(app.renderRequest(Path.of("/r")).inlineValues().get("a")).isPresent();
    assertThat(List.of(app.syncPolicy().managedNamespaceMetadata().orElseThrow().labels()))
        .containsExactly(Map.of("a", "b"));
  }

  @Test
  void loadsAnApplicationExportedFromAClusterIgnoringWhatTheServerAdded() {
    Application app =
        Application.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: demo
              namespace: argocd
              uid: 0b6f4d2e-9a57-4b61-8d0c-3b0d8c1f2a11
              resourceVersion: "123456"
              generation: 7
              creationTimestamp: "2026-01-01T00:00:00Z"
              managedFields: [{manager: argocd-server, operation: Update}]
              ownerReferences:
                - {apiVersion: argoproj.io/v1alpha1, kind: ApplicationSet, name: apps, uid: x}
            operation:
              sync: {revision: main}
            spec:
              source: {repoURL: https://git.example.com/r.git, path: app}
              destination: {server: https://kubernetes.default.svc, namespace: demo}
            status:
              sync: {status: Synced}
            """,
            "exported.yaml");
    assertThat(app.name()).isEqualTo("demo");
    refused(
        () ->
            Application.parse(
                HEAD.replace("name: demo", "name: demo\n  uuid: typo")
                    + "  source: {repoURL: https://git.example.com/r.git}\n",
                "bad-app.yaml"),
        "metadata.uuid",
        "unknown field");
  }

  @Test
  void automatedEnabledFalseTurnsAutomatedSyncOff() {
    Application off = withSpec("syncPolicy:\n  automated:\n    enabled: false\n    prune: true\n");
    assertThat(off.syncPolicy().isAutomated()).isFalse();
    Application on = withSpec("syncPolicy:\n  automated:\n    enabled: true\n    prune: true\n");
    assertThat(on.syncPolicy().automated()).contains(new Automated(true, false, false));
  }

  @Test
  void refusesRetryRefreshItCannotHonour() {
    refused(
        () -> withSpec("syncPolicy:\n  retry:\n    limit: 2\n    refresh: true\n"),
        "spec.syncPolicy.retry.refresh",
        "not supported");
    assertThat(withSpec("syncPolicy:\n  retry:\n    refresh: false\n").syncPolicy().retry())
        .isPresent();
  }

  @Test
  void refusesValuesOfTheWrongTypeNamingEachField() {
    refused(
        () -> withSource("helm:\n  passCredentials: maybe\n"),
        "spec.source.helm.passCredentials",
        "must be true or false");
    refused(
        () -> withSource("helm:\n  apiVersions: monitoring.coreos.com/v1\n"),
        "spec.source.helm.apiVersions",
        "must be a list");
    refused(
        () -> withSource("helm:\n  skipCrds: [true]\n"),
        "spec.source.helm.skipCrds",
        "must be true or false");
    refused(
        () -> withSource("helm:\n  fileParameters:\n    - name: a\n      path: b\n      file: c\n"),
        "spec.source.helm.fileParameters[0].file",
        "unknown field");
    refused(
        () -> withSource("kustomize:\n  images: nginx:1.27\n"),
        "spec.source.kustomize.images",
        "must be a list");
    refused(
        () -> withSource("kustomize:\n  commonLabels: [a, b]\n"),
        "spec.source.kustomize.commonLabels",
        "must be a mapping");
    refused(
        () -> withSource("kustomize:\n  commonLabels:\n    tier: {a: b}\n"),
        "spec.source.kustomize.commonLabels.tier",
        "must be a string");
    refused(
        () -> withSource("kustomize:\n  replicas:\n    - name: web\n      count: three\n"),
        "spec.source.kustomize.replicas[0].count",
        "must be an integer");
    refused(
        () -> withSource("kustomize:\n  nameprefix: x-\n"),
        "spec.source.kustomize.nameprefix",
        "unknown field");
    refused(
        () -> withSpec("syncPolicy:\n  managedNamespaceMetadata:\n    labels: [a]\n"),
        "spec.syncPolicy.managedNamespaceMetadata.labels",
        "must be a mapping");
  }

  @Test
  void helmOptionsPrintNoValues() {
    HelmSource helm =
        withSource(
                "helm:\n  values: 'password: hunter2'\n"
                    + "  valuesObject: {token: s3cret}\n"
                    + "  parameters: [{name: db.password, value: opensesame}]\n")
            .source()
            .helm()
            .orElseThrow();
    assertThat(helm.toString())
        .contains("db.password", "token")
        .doesNotContain("hunter2", "s3cret", "opensesame");
  }

  @Test
  void aParameterPrintsItsNameButNotItsValue() {
    Parameter p = new Parameter("db.password", "opensesame", true);
    assertThat(p.toString()).contains("db.password", "forceString").doesNotContain("opensesame");
    assertThat(List.of(p).toString()).doesNotContain("opensesame");
  }
}
