package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.cli.RenderCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  static final String ROLLOUT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: "web:1"}]}
        strategy:
          canary:
            steps:
              - setWeight: 50
              - analysis: {templates: [{templateName: success}]}
      """;

  static final String TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success}
      spec:
        metrics:
          - name: ok
            provider: {web: {url: "http://web/healthz"}}
      """;

  static final String CLUSTER_TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: ClusterAnalysisTemplate
      metadata: {name: shared}
      spec:
        metrics:
          - name: up
            provider: {prometheus: {address: "http://prom:9090", query: up}}
      """;

  static final String RUN =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisRun
      metadata: {name: smoke}
      spec:
        metrics:
          - name: ok
            provider: {web: {url: "http://web/healthz"}}
      """;

  static final String EXPERIMENT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Experiment
      metadata: {name: compare}
      spec:
        duration: 5m
        templates:
          - name: baseline
            selector: {matchLabels: {app: web}}
            template:
              metadata: {labels: {app: web}}
              spec: {containers: [{name: web, image: "web:1"}]}
      """;

  static final String APPLICATION =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata: {name: web, namespace: argocd}
      spec:
        project: default
        source: {repoURL: "https://example.com/repo.git", path: web, targetRevision: main}
        destination: {server: "https://kubernetes.default.svc", namespace: web}
      """;

  static final String PROJECT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AppProject
      metadata: {name: shop, namespace: argocd}
      spec:
        sourceRepos: ["*"]
        destinations: [{server: "*", namespace: "*"}]
      """;

  static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec: {selector: {app: web}}
      """;

  private static Path write(Path dir, String name, String... documents) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("---\n", documents));
  }

  @Test
  void everyKindLoadsAndTheCommandSaysOkPerDocument(@TempDir Path dir) throws Exception {
    Path rollouts = write(dir, "rollouts.yaml", ROLLOUT, TEMPLATE, CLUSTER_TEMPLATE, RUN);
    Path more = write(dir, "more.yaml", EXPERIMENT, APPLICATION, PROJECT, SERVICE);
    Run run = RenderCommandTest.run("validate", rollouts.toString(), more.toString());
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains(rollouts + ":1: Rollout web: OK")
        .contains(rollouts + ":16: AnalysisTemplate success: OK")
        .contains("ClusterAnalysisTemplate shared: OK")
        .contains("AnalysisRun smoke: OK")
        .contains(more + ":1: Experiment compare: OK")
        .contains("Application web: OK")
        .contains("AppProject shop: OK")
        .contains("Service web: skipped (not an Argo CD or Argo Rollouts kind)")
        .contains("8 document(s): 7 OK, 0 refused, 1 skipped");
  }

  @Test
  void aRolloutsFieldThatIsRefusedIsPrintedWithFileLineAndReason(@TempDir Path dir)
      throws Exception {
    Path f =
        write(
            dir,
            "web.yaml",
            ROLLOUT.replace("replicas: 2", "replicas: 2\n  restartAt: 'soon'"),
            TEMPLATE.replace(
                "{url: \"http://web/healthz\"}", "{url: \"http://x\", method: DELETE}"));
    Run run = RenderCommandTest.run("validate", f.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains(f + ":1: Rollout web: REFUSED")
        .contains(f + ":6:3 spec.restartAt: must be an RFC 3339 time")
        .contains("AnalysisTemplate success: REFUSED")
        .contains(f + ":23:41 spec.metrics[0].provider.web.method: must be one of");
  }

  @Test
  void anApplicationFieldThatIsRefusedIsPrintedAtItsLineInTheFile(@TempDir Path dir)
      throws Exception {
    Path f =
        write(
            dir,
            "apps.yaml",
            SERVICE,
            APPLICATION.replace("project: default", "project: default\n  bogus: 1"));
    Run run = RenderCommandTest.run("validate", f.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains(f + ":6: Application web: REFUSED")
        .contains(f + ":11:3 spec.bogus: unknown field");
  }

  @Test
  void anUnknownAppProjectFieldIsRefusedAndUnenforcedOnesAreNoted(@TempDir Path dir)
      throws Exception {
    Path f =
        write(
            dir,
            "project.yaml",
            PROJECT.replace("sourceRepos:", "description: shop apps\n  sourceRepos:"));
    Run ok = RenderCommandTest.run("validate", f.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out())
        .contains("AppProject shop: OK")
        .contains("note: " + f + ":5 spec.description: accepted, not enforced");
    Path bad =
        write(dir, "bad.yaml", PROJECT.replace("sourceRepos:", "sourceRepo: [x]\n  sourceRepos:"));
    Run refused = RenderCommandTest.run("validate", bad.toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out()).contains(bad + ":5 spec.sourceRepo: unknown field");
  }

  @Test
  void unreadableInputExitsTwoAndTheOtherFilesAreStillChecked(@TempDir Path dir) throws Exception {
    Path good = write(dir, "good.yaml", TEMPLATE);
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "kind: [unclosed\n");
    Path missing = dir.resolve("missing.yaml");
    Run run =
        RenderCommandTest.run("validate", good.toString(), broken.toString(), missing.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out())
        .contains("AnalysisTemplate success: OK")
        .contains("UNREADABLE: not valid YAML")
        .contains(missing + ": UNREADABLE: no such file")
        .contains("2 file(s) unreadable");
  }

  @Test
  void aRolloutMayNameATemplateOfAnotherFile(@TempDir Path dir) throws Exception {
    Path rollout = write(dir, "rollout.yaml", ROLLOUT);
    Path template = write(dir, "template.yaml", TEMPLATE);
    assertThat(RenderCommandTest.run("validate", rollout.toString(), template.toString()).code())
        .isZero();
    Run alone = RenderCommandTest.run("validate", rollout.toString());
    assertThat(alone.code()).isEqualTo(1);
    assertThat(alone.out()).contains("names template 'success', which is not supplied");
  }

  @Test
  void metricsOfEveryProviderTheCommandLineRunsAreHonouredAndPluginsRefused(@TempDir Path dir)
      throws Exception {
    Path f =
        write(
            dir,
            "providers.yaml",
            TEMPLATE.replace(
                "{web: {url: \"http://web/healthz\"}}",
                "{job: {spec: {template: {spec: {containers: [{name: t, image: busybox}],"
                    + " restartPolicy: Never}}}}}"),
            TEMPLATE
                .replace("name: success", "name: dd")
                .replace(
                    "{web: {url: \"http://web/healthz\"}}",
                    "{datadog: {apiVersion: v2, query: 'avg:errors{*}'}}"),
            TEMPLATE
                .replace("name: success", "name: cw")
                .replace(
                    "{web: {url: \"http://web/healthz\"}}",
                    "{cloudWatch: {metricDataQueries: [{id: q, expression: 'SUM(x)'}]}}"),
            TEMPLATE
                .replace("name: success", "name: plugged")
                .replace(
                    "{web: {url: \"http://web/healthz\"}}",
                    "{plugin: {argoproj-labs/sample: {query: up}}}"));
    Run run = RenderCommandTest.run("validate", f.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("AnalysisTemplate success: OK")
        .contains("AnalysisTemplate dd: OK")
        .contains("AnalysisTemplate cw: OK")
        .contains("AnalysisTemplate plugged: REFUSED")
        .contains("spec.metrics[0].provider.plugin")
        .contains("4 document(s): 3 OK, 1 refused, 0 skipped");
  }
}
