package io.glidepath.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {
  private static final DriftDetector DEFAULT = DriftDetector.of(DiffOptions.ofDefaults());

  private static Resource yaml(String text) {
    return Yaml.readResources(text, "test.yaml").get(0);
  }

  private static final String DEPLOY =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: prod}
      spec:
        replicas: 3
        template:
          spec:
            containers:
              - name: app
                image: app:1
                args: ["--a"]
                resources: {limits: {cpu: 1, memory: 1Gi}}
                ports: [{containerPort: 8080}]
              - name: side
                image: side:1
      """;

  @Test
  void quantitiesNumbersEmptyMapsAndDefaultProtocolAreEqual() {
    Resource live =
        yaml(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: prod, labels: {}}
            spec:
              replicas: 3.0
              template:
                spec:
                  containers:
                    - name: side
                      image: side:1
                      env: []
                    - name: app
                      image: app:1
                      args: ["--a"]
                      resources: {limits: {cpu: 1000m, memory: 1024Mi}}
                      ports: [{containerPort: 8080, protocol: TCP}]
            """);
    ResourceDrift drift = DEFAULT.compare(yaml(DEPLOY), live);
    assertThat(drift.status()).isEqualTo(DriftStatus.SYNCED);
  }

  @Test
  void differentQuantityIsDriftAndPatchShowsDesiredSpelling() {
    Resource live = yaml(DEPLOY.replace("cpu: 1,", "cpu: 1500m,"));
    ResourceDrift drift = DEFAULT.compare(yaml(DEPLOY), live);
    assertThat(drift.patch())
        .extracting(PatchOperation::toString)
        .containsExactly(
            "{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/resources/limits/cpu\",\"value\":1}");
  }

  @Test
  void fieldRemovedFromGitIsDriftThroughLastAppliedConfiguration() {
    String previous =
        Yaml.toJson(
            Yaml.readTree(DEPLOY.replace("replicas: 3", "replicas: 3\n  paused: true"), "x"));
    Resource live =
        yaml(DEPLOY.replace(
                "replicas: 3", "replicas: 3\n  paused: true\n  revisionHistoryLimit: 10"))
            .withAnnotation("kubectl.kubernetes.io/last-applied-configuration", previous);
    ResourceDrift drift = DEFAULT.compare(yaml(DEPLOY), live);
    assertThat(drift.patch()).containsExactly(PatchOperation.remove("/spec/paused"));
  }

  @Test
  void liveOnlyFieldWithoutOwnershipInformationIsNotDrift() {
    Resource live = yaml(DEPLOY.replace("replicas: 3", "replicas: 3\n  paused: true"));
    assertThat(DEFAULT.compare(yaml(DEPLOY), live).status()).isEqualTo(DriftStatus.SYNCED);
  }

  private static final String MANAGED =
      """
        managedFields:
          - manager: glidepath
            operation: Apply
            fieldsV1:
              f:spec:
                f:paused: {}
                f:template:
                  f:spec:
                    f:containers:
                      k:{"name":"app"}:
                        f:args: {}
          - manager: %s
            operation: Update
            fieldsV1:
              f:spec:
                f:replicas: {}
      """;

  private static Resource managedLive(String otherManager, int replicas) {
    return yaml(
        DEPLOY
            .replace(
                "metadata: {name: web, namespace: prod}",
                "metadata:\n  name: web\n  namespace: prod\n" + MANAGED.formatted(otherManager))
            .replace("replicas: 3", "replicas: " + replicas + "\n  paused: true"));
  }

  @Test
  void fieldOwnedByAControllerInsteadOfUsIsNotDrift() {
    ResourceDrift drift = DEFAULT.compare(yaml(DEPLOY), managedLive("kube-controller-manager", 7));
    // replicas: HPA's; paused: ours and gone from Git, so drift
    assertThat(drift.patch()).containsExactly(PatchOperation.remove("/spec/paused"));
  }

  @Test
  void fieldTakenOverByAManualEditIsStillDrift() {
    ResourceDrift drift = DEFAULT.compare(yaml(DEPLOY), managedLive("kubectl-edit", 7));
    assertThat(drift.patch()).extracting(PatchOperation::path).contains("/spec/replicas");
  }

  @Test
  void managedFieldsManagersRuleIgnoresThatManagersFields() {
    DriftDetector detector =
        DriftDetector.of(
            DiffOptions.builder()
                .ignoreDifference(
                    IgnoreDifference.of("apps", "Deployment")
                        .withManagedFieldsManagers("kubectl-edit"))
                .build());
    assertThat(detector.compare(yaml(DEPLOY), managedLive("kubectl-edit", 7)).patch())
        .extracting(PatchOperation::path)
        .containsExactly("/spec/paused");
  }

  @Test
  void jsonPointerAndJqRulesIgnoreOnlyTheirScope() {
    Resource live =
        yaml(
            DEPLOY.replace("replicas: 3", "replicas: 5").replace("image: side:1", "image: side:2"));
    IgnoreDifference replicas =
        IgnoreDifference.of("apps", "Deployment").withJsonPointers("/spec/replicas");
    IgnoreDifference sideImage =
        IgnoreDifference.of("apps", "Deployment")
            .withName("web")
            .withNamespace("prod")
            .withJqPathExpressions(
                ".spec.template.spec.containers[] | select(.name == \"side\") | .image");
    IgnoreDifference otherNamespace =
        IgnoreDifference.of("apps", "Deployment").withNamespace("staging").withJsonPointers("");
    DriftDetector detector =
        DriftDetector.of(
            DiffOptions.builder()
                .ignoreDifference(replicas)
                .ignoreDifference(sideImage)
                .ignoreDifference(otherNamespace)
                .build());
    assertThat(detector.compare(yaml(DEPLOY), live).status()).isEqualTo(DriftStatus.SYNCED);
    DriftDetector onlyReplicas =
        DriftDetector.of(DiffOptions.builder().ignoreDifference(replicas).build());
    assertThat(onlyReplicas.compare(yaml(DEPLOY), live).patch())
        .extracting(PatchOperation::path)
        .containsExactly("/spec/template/spec/containers/1/image");
  }

  @Test
  void unsupportedJqIsRejectedWithItsPosition() {
    assertThatThrownBy(
            () -> IgnoreDifference.of("apps", "Deployment").withJqPathExpressions(".spec | keys"))
        .isInstanceOf(IgnoreRuleException.class)
        .hasMessageContaining("position 8")
        .satisfies(e -> assertThat(((IgnoreRuleException) e).position()).isEqualTo(8));
    assertThatThrownBy(() -> IgnoreDifference.of("", "Service").withJqPathExpressions("..a"))
        .hasMessageContaining("recursive descent");
    assertThatThrownBy(
            () ->
                IgnoreDifference.of("", "Service")
                    .withJqPathExpressions(".a[] | select(.x == 1 and .y == 2)"))
        .isInstanceOf(IgnoreRuleException.class);
  }

  @Test
  void jqNamesNumbersAndBlanksAreAsciiAsInGojq() {
    // gojq, Argo CD's jq: a bare name is [A-Za-z_][A-Za-z0-9_]*, an index ASCII digits, a blank
    // tab, newline, carriage return or space; other letters only in a quoted key
    IgnoreDifference deploy = IgnoreDifference.of("apps", "Deployment");
    assertThatThrownBy(() -> deploy.withJqPathExpressions(".metadata.labels.\u00f1ame"))
        .isInstanceOf(IgnoreRuleException.class);
    assertThatThrownBy(() -> deploy.withJqPathExpressions(".spec.a\u0663"))
        .isInstanceOf(IgnoreRuleException.class);
    assertThatThrownBy(() -> deploy.withJqPathExpressions(".spec.template.spec.containers[\u0661]"))
        .isInstanceOf(IgnoreRuleException.class);
    assertThatThrownBy(() -> deploy.withJqPathExpressions(".spec |\u00a0.replicas"))
        .isInstanceOf(IgnoreRuleException.class);
    assertThatThrownBy(() -> deploy.withJqPathExpressions(".spec |\u000b.replicas"))
        .isInstanceOf(IgnoreRuleException.class);
    assertThat(deploy.withJqPathExpressions(".metadata.labels.\"\u00f1ame\"")).isNotNull();
    assertThat(deploy.withJqPathExpressions(".spec\t|\r\n.replicas")).isNotNull();
    assertThat(deploy.withJqPathExpressions(".spec.a_9.B0[10]")).isNotNull();
  }

  @Test
  void jqAcceptsQuotedKeysIndexesAndNotEqual() {
    Resource desired =
        yaml(
            DEPLOY.replace(
                "metadata: {name: web, namespace: prod}",
                "metadata: {name: web, namespace: prod, annotations: {a.io/x: '1'}}"));
    Resource live =
        yaml(
            DEPLOY
                .replace(
                    "metadata: {name: web, namespace: prod}",
                    "metadata: {name: web, namespace: prod, annotations: {a.io/x: '2'}}")
                .replace("image: app:1", "image: app:2"));
    DriftDetector detector =
        DriftDetector.of(
            DiffOptions.builder()
                .ignoreDifference(
                    IgnoreDifference.of("apps", "*")
                        .withJqPathExpressions(
                            ".metadata.annotations[\"a.io/x\"]",
                            ".spec.template.spec.containers[] | select(.name != \"side\") | .image"))
                .build());
    assertThat(detector.compare(desired, live).status()).isEqualTo(DriftStatus.SYNCED);
  }

  @Test
  void secretStringDataEqualsBase64Data() {
    Resource desired =
        yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {user: admin}\n");
    Resource live =
        yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {user: YWRtaW4=}\n");
    assertThat(DEFAULT.compare(desired, live).status()).isEqualTo(DriftStatus.SYNCED);
  }

  @Test
  void unifiedDiffLooksLikeKubectlDiff() {
    Resource live = yaml(DEPLOY.replace("replicas: 3", "replicas: 5"));
    String diff = DEFAULT.compare(yaml(DEPLOY), live).unifiedDiff();
    assertThat(diff)
        .startsWith(
            "--- live/apps.v1.Deployment.prod.web\n+++ desired/apps.v1.Deployment.prod.web\n@@ -")
        .contains("\n-  replicas: 5\n+  replicas: 3\n");
  }

  @Test
  void missingAndExtraneousAreReportedPerKey() {
    Resource other = yaml(DEPLOY.replace("name: web", "name: old"));
    DriftReport report =
        DEFAULT.detect(
            io.glidepath.core.resource.ResourceSet.of(yaml(DEPLOY)),
            io.glidepath.core.resource.ResourceSet.of(other));
    assertThat(report.resources())
        .extracting(ResourceDrift::status)
        .containsExactly(DriftStatus.MISSING, DriftStatus.EXTRANEOUS);
    assertThat(report.isInSync()).isFalse();
    assertThat(report.toString())
        .isEqualTo("2 resources: 0 synced, 0 modified, 1 missing, 1 extraneous");
  }

  @Test
  void hooksAreReportedApartAndNeverExtraneous() {
    Resource hook =
        yaml(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations: {argocd.argoproj.io/hook: PreSync}\n");
    Resource oldHook =
        yaml(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: old\n  annotations: {argocd.argoproj.io/hook: PostSync}\n");
    DriftReport report =
        DEFAULT.detect(
            io.glidepath.core.resource.ResourceSet.of(yaml(DEPLOY), hook),
            io.glidepath.core.resource.ResourceSet.of(yaml(DEPLOY), oldHook));
    assertThat(report.isInSync()).isTrue();
    assertThat(report.hooks()).extracting(ResourceDrift::key).containsExactly(hook.key());
    assertThat(report.hooks().get(0).status()).isEqualTo(DriftStatus.MISSING);
    assertThat(report.resources()).hasSize(1);
  }
}
