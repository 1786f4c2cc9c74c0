package io.glidepath.rollout.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.RecordedProvider;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.internal.Analyses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgoRolloutsTest {
  static final String TEMPLATE =
      "  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image:"
          + " \"web:1\"}]}}\n";

  static final String ROLLOUT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 2
      %s  strategy:
          canary:
            steps:
              - setWeight: 50
              - analysis: {templates: [{templateName: success}]}
      """
          .formatted(TEMPLATE);

  static final String SUCCESS =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success, namespace: shop}
      spec:
        metrics:
          - name: ok
            provider: {web: {url: "http://web/healthz"}}
      """;

  static final String EVERY_KIND =
      ROLLOUT
          + "---\n"
          + SUCCESS
          + """
          ---
          apiVersion: argoproj.io/v1alpha1
          kind: ClusterAnalysisTemplate
          metadata: {name: shared}
          spec:
            metrics:
              - name: up
                provider: {prometheus: {address: "http://prom:9090", query: "up"}}
          ---
          apiVersion: argoproj.io/v1alpha1
          kind: AnalysisRun
          metadata: {generateName: smoke-}
          spec:
            args: [{name: url, value: "http://web"}]
            metrics:
              - name: ok
                provider: {web: {url: "{{args.url}}/healthz"}}
          ---
          apiVersion: argoproj.io/v1alpha1
          kind: Experiment
          metadata: {name: compare}
          spec:
            duration: 5m
            templates:
              - name: baseline
                selector: {matchLabels: {app: web}}
                template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1"}]}}
            analyses: [{name: check, templateName: success}]
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: web}
          spec: {selector: {app: web}}
          """;

  @Test
  void readsEveryArgoRolloutsKindAndReturnsTheOthersAsTheyAre() {
    List<ArgoDocument> docs = ArgoRollouts.ofDefaults().parseAll(EVERY_KIND, "all.yaml");
    assertThat(docs)
        .extracting(ArgoDocument::kind, ArgoDocument::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Rollout", "web"),
            org.assertj.core.groups.Tuple.tuple("AnalysisTemplate", "success"),
            org.assertj.core.groups.Tuple.tuple("ClusterAnalysisTemplate", "shared"),
            org.assertj.core.groups.Tuple.tuple("AnalysisRun", "smoke-"),
            org.assertj.core.groups.Tuple.tuple("Experiment", "compare"),
            org.assertj.core.groups.Tuple.tuple("Service", "web"));
    assertThat(docs.get(0)).isInstanceOf(ArgoDocument.Rollout.class);
    CanaryPlan plan = (CanaryPlan) ((ArgoDocument.Rollout) docs.get(0)).spec();
    assertThat(plan.namespace()).isEqualTo("shop");
    assertThat(plan.templates()).containsKey("success");
    assertThat(((ArgoDocument.Run) docs.get(3)).run().template().args()).hasSize(1);
    assertThat(((ArgoDocument.Experiment) docs.get(4)).experiment().duration())
        .contains(java.time.Duration.ofMinutes(5));
    assertThat(docs.get(5)).isInstanceOf(ArgoDocument.Other.class);
  }

  @Test
  void refusesEveryBadFieldOfADocumentWithItsFileLineAndPath() {
    String yaml =
        ROLLOUT
                .replace("replicas: 2", "replicas: two\n  restartAt: 'tomorrow'")
                .replace("- setWeight: 50", "- setWeight: 50\n          setWeigth: 3")
            + "status: {phase: Healthy}\n";
    List<CheckedDocument> checked = ArgoRollouts.ofDefaults().checkText(yaml, "web.yaml");
    assertThat(checked).hasSize(1);
    assertThat(checked.get(0).refusals())
        .extracting(r -> r.at().toString(), Refusal::path)
        .contains(
            org.assertj.core.groups.Tuple.tuple("web.yaml:5:3", "spec.replicas"),
            org.assertj.core.groups.Tuple.tuple("web.yaml:6:3", "spec.restartAt"),
            org.assertj.core.groups.Tuple.tuple("web.yaml:11:11", "spec.strategy.canary.steps[0]"));
    assertThat(checked.get(0).refusals().get(0).reason())
        .isEqualTo("must be a whole number, but was 'two'");
  }

  @Test
  void aMetricWhoseProviderIsNotRegisteredIsRefusedAtLoadNotAtTheFirstMeasurement() {
    String job =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: smoke}
        spec:
          metrics:
            - name: run-job
              provider:
                job: {spec: {template: {spec: {containers: [{name: t, image: busybox}]}}}}
        """;
    CheckedDocument c = ArgoRollouts.ofDefaults().checkText(job, "smoke.yaml").get(0);
    assertThat(c.refusals())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("spec.metrics[0].provider.job");
              assertThat(r.at().line()).isEqualTo(8);
              assertThat(r.reason()).contains("no metric provider is registered for type 'job'");
            });
    ArgoRollouts withJob =
        ArgoRollouts.builder()
            .providers(MetricProviders.of(RecordedProvider.fromJson("{}").servingType("job")))
            .build();
    assertThat(withJob.checkText(job, "smoke.yaml").get(0).isRefused()).isFalse();
  }

  @Test
  void aRolloutNamingARefusedTemplateSaysSo() {
    String yaml =
        ROLLOUT
            + "---\n"
            + SUCCESS.replace(
                "{web: {url: \"http://web/healthz\"}}",
                "{web: {url: \"http://web/healthz\", method: DELETE}}");
    List<CheckedDocument> checked = ArgoRollouts.ofDefaults().checkText(yaml, "web.yaml");
    assertThat(checked.get(1).refusals())
        .extracting(Refusal::path)
        .containsExactly("spec.metrics[0].provider.web.method");
    assertThat(checked.get(0).refusals())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("spec.strategy.canary.steps[1].analysis.templates");
              assertThat(r.reason()).contains("'success', which is refused (web.yaml:");
            });
  }

  static final String OTHER =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: other, namespace: shop}
      spec:
        args: [{name: url, value: "http://web"}]
        metrics:
          - name: %s
            provider: {web: {url: "{{args.url}}/ready"}}
      """;

  private static List<Refusal> refusalsOfTwoTemplates(String rolloutChange, String other) {
    String yaml =
        ROLLOUT.replace("{templates: [{templateName: success}]}", rolloutChange)
            + "---\n"
            + SUCCESS
            + "---\n"
            + other;
    return ArgoRollouts.ofDefaults().checkText(yaml, "web.yaml").get(0).refusals();
  }

  @Test
  void templatesOfOneAnalysisAreFlattenedAsArgoDoesAtLoad() {
    String two = "{templates: [{templateName: success}, {templateName: other}]}";
    // distinct metrics: fine
    assertThat(refusalsOfTwoTemplates(two, OTHER.formatted("ready"))).isEmpty();
    // the same metric name in both: Argo's flatten error, at load
    assertThat(refusalsOfTwoTemplates(two, OTHER.formatted("ok")))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("spec.strategy.canary.steps[1].analysis.templates");
              assertThat(r.reason()).isEqualTo("two metrics have the same name 'ok'");
            });
  }

  @Test
  void aDryRunRuleThatMatchesNoMetricIsRefusedAtLoad() {
    String rule =
        "{templates: [{templateName: success}], dryRun: [{metricName: latency}],"
            + " measurementRetention: [{metricName: ok, limit: 5}]}";
    assertThat(refusalsOfTwoTemplates(rule, OTHER.formatted("ready")))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("spec.strategy.canary.steps[1].analysis.dryRun");
              assertThat(r.reason()).startsWith("dryRun[0]: Rule didn't match any metric name(s)");
            });
  }

  @Test
  void oneTemplatesArgumentValueServesAnotherTemplatesArgument() {
    String needsUrl =
        SUCCESS
            .replace("name: success", "name: needs-url")
            .replace("spec:\n", "spec:\n  args: [{name: url}]\n")
            .replace("name: ok", "name: up");
    String two = "{templates: [{templateName: needs-url}, {templateName: other}]}";
    // needs-url declares url without a value; other declares it with one: flattened, it has one
    assertThat(refusalsOfTwoTemplates(two, OTHER.formatted("ready") + "---\n" + needsUrl))
        .isEmpty();
    // alone, needs-url leaves url without a value
    assertThat(
            refusalsOfTwoTemplates(
                "{templates: [{templateName: needs-url}]}",
                OTHER.formatted("ready") + "---\n" + needsUrl))
        .extracting(Refusal::path)
        .containsExactly("spec.strategy.canary.steps[1].analysis.args");
  }

  @Test
  void templatesInOtherFilesOfTheSameCallAreUsed(@TempDir Path dir) throws Exception {
    Path rollout = Files.writeString(dir.resolve("rollout.yaml"), ROLLOUT);
    Path templates = Files.writeString(dir.resolve("templates.yaml"), SUCCESS);
    RolloutSpec spec = ArgoRollouts.ofDefaults().rollout(rollout, templates);
    assertThat(spec.templates()).containsOnlyKeys("success");
    assertThatThrownBy(() -> ArgoRollouts.ofDefaults().rollout(rollout))
        .isInstanceOf(DocumentRefusedException.class)
        .hasMessageContaining(
            "spec.strategy.canary.steps[1].analysis.templates: names template 'success', which is"
                + " not supplied");
  }

  @Test
  void clusterScopeSelectsTheClusterAnalysisTemplateOfThatName() {
    String yaml =
        ROLLOUT.replace("{templateName: success}", "{templateName: success, clusterScope: true}")
            + "---\n"
            + SUCCESS
            + "---\n"
            + SUCCESS
                .replace("kind: AnalysisTemplate", "kind: ClusterAnalysisTemplate")
                .replace(", namespace: shop", "")
                .replace("name: ok", "name: cluster-ok");
    CanaryPlan plan =
        (CanaryPlan)
            ((ArgoDocument.Rollout) ArgoRollouts.ofDefaults().parseAll(yaml, "web.yaml").get(0))
                .spec();
    AnalysisTemplate merged =
        Analyses.merged(
            plan,
            ((io.glidepath.rollout.CanaryStep.Analysis) plan.steps().get(1)).analysis(),
            Map.of(),
            io.glidepath.analysis.ArgumentResolver.NONE);
    assertThat(merged.metrics()).extracting(m -> m.name()).containsExactly("cluster-ok");
  }

  @Test
  void blueGreenHasTheSameFromRolloutFormsAsCanary(@TempDir Path dir) throws Exception {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
        %s  strategy:
            blueGreen:
              activeService: web
              prePromotionAnalysis: {templates: [{templateName: success}]}
        """
            .formatted(TEMPLATE);
    AnalysisTemplate success =
        AnalysisTemplate.parse(SUCCESS.replace(", namespace: shop", ""), "s");
    Resource resource = Yaml.readResources(yaml, "bg.yaml").get(0);
    assertThat(BlueGreenPlan.fromRollout(resource, List.of(success)).activeService())
        .isEqualTo("web");
    Path file = Files.writeString(dir.resolve("bg.yaml"), yaml);
    Path templates =
        Files.writeString(dir.resolve("t.yaml"), SUCCESS.replace(", namespace: shop", ""));
    assertThat(BlueGreenPlan.fromFiles(file, List.of(templates)).templates())
        .containsKey("success");
    assertThat(BlueGreenPlan.fromRollout(file, success).prePromotionAnalysis()).isPresent();
  }

  @Test
  void anUnreadableFileIsAYamlErrorNotARefusal(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "kind: [Rollout\n");
    assertThatThrownBy(() -> ArgoRollouts.ofDefaults().check(List.of(broken)))
        .isInstanceOf(io.glidepath.core.yaml.YamlException.class);
    assertThatThrownBy(() -> ArgoRollouts.ofDefaults().check(List.of(dir.resolve("none.yaml"))))
        .isInstanceOf(io.glidepath.core.yaml.YamlException.class)
        .hasMessageContaining("no such file");
  }
}
