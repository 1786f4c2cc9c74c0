package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.AnalysisTemplate.MeasurementRetention;
import io.glidepath.analysis.provider.MetricProviders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Argo Rollouts' analysis decision tests ({@code utils/analysis/helpers_test.go} and {@code
 * factory_test.go}) translated case by case: each test names the Go test and case it mirrors. They
 * agree, except where a comment marked <b>DIFFERS</b> says why (the deliberate #4479 fix is in
 * {@link Issue4479}).
 */
class ArgoHelpersParityTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Metric metric(String name, String successCondition) {
    return Metric.newBuilder(name)
        .successCondition(successCondition)
        .provider(
            new ProviderSpec("web", JsonNodeFactory.instance.objectNode().put("url", "http://x/")))
        .build();
  }

  private static MetricResult result(String name, AnalysisPhase phase, boolean dryRun) {
    return MetricResult.pending(name, dryRun).with(phase, "");
  }

  private static AnalysisTemplate template(List<Metric> metrics, List<Argument> args) {
    AnalysisTemplate.Builder b = AnalysisTemplate.newBuilder("t");
    metrics.forEach(b::addMetric);
    args.forEach(b::addArg);
    return b.build();
  }

  /** helpers_test.go TestIsWorst: IsWorse(current, new) is new.isWorseThan(current). */
  @Test
  void isWorst() {
    AnalysisPhase s = AnalysisPhase.SUCCESSFUL;
    AnalysisPhase i = AnalysisPhase.INCONCLUSIVE;
    AnalysisPhase e = AnalysisPhase.ERROR;
    AnalysisPhase f = AnalysisPhase.FAILED;
    assertThat(s.isWorseThan(s)).isFalse();
    assertThat(i.isWorseThan(s)).isTrue();
    assertThat(e.isWorseThan(s)).isTrue();
    assertThat(f.isWorseThan(s)).isTrue();

    assertThat(s.isWorseThan(i)).isFalse();
    assertThat(i.isWorseThan(i)).isFalse();
    assertThat(e.isWorseThan(i)).isTrue();
    assertThat(f.isWorseThan(i)).isTrue();

    assertThat(e.isWorseThan(e)).isFalse();
    assertThat(s.isWorseThan(e)).isFalse();
    assertThat(i.isWorseThan(e)).isFalse();
    assertThat(f.isWorseThan(e)).isTrue();

    assertThat(s.isWorseThan(f)).isFalse();
    assertThat(i.isWorseThan(f)).isFalse();
    assertThat(e.isWorseThan(f)).isFalse();
    assertThat(f.isWorseThan(f)).isFalse();
  }

  /** helpers_test.go TestWorst. */
  @Test
  void worst() {
    assertThat(AnalysisPhase.worst(AnalysisPhase.SUCCESSFUL, AnalysisPhase.FAILED))
        .isEqualTo(AnalysisPhase.FAILED);
    assertThat(AnalysisPhase.worst(AnalysisPhase.FAILED, AnalysisPhase.SUCCESSFUL))
        .isEqualTo(AnalysisPhase.FAILED);
  }

  /** helpers_test.go TestIsFastFailTerminating, step by step. */
  @Test
  void isFastFailTerminating() {
    List<MetricResult> run = new ArrayList<>();
    run.add(result("other-metric", AnalysisPhase.RUNNING, false));
    run.add(result("success-rate", AnalysisPhase.RUNNING, false));
    run.add(result("dry-run-metric", AnalysisPhase.RUNNING, true));
    run.add(result("yet-another-metric", AnalysisPhase.RUNNING, false));
    // not failing or in error: no termination
    assertThat(AnalysisEvaluator.isTerminating(run, false)).isFalse();
    // a dry-run metric in error does not terminate
    run.set(2, result("dry-run-metric", AnalysisPhase.ERROR, true));
    assertThat(AnalysisEvaluator.isTerminating(run, false)).isFalse();
    // a wet metric in error after a dry-run one terminates
    run.set(3, result("yet-another-metric", AnalysisPhase.ERROR, false));
    assertThat(AnalysisEvaluator.isTerminating(run, false)).isTrue();
    run.set(1, result("success-rate", AnalysisPhase.ERROR, false));
    assertThat(AnalysisEvaluator.isTerminating(run, false)).isTrue();
    run.set(1, result("success-rate", AnalysisPhase.FAILED, false));
    assertThat(AnalysisEvaluator.isTerminating(run, false)).isTrue();
    run.set(1, result("success-rate", AnalysisPhase.INCONCLUSIVE, false));
    assertThat(AnalysisEvaluator.isTerminating(run, false)).isTrue();
    // no metric results
    assertThat(AnalysisEvaluator.isTerminating(List.of(), false)).isFalse();
  }

  /** helpers_test.go TestIsTerminating: spec.terminate, then an errored metric. */
  @Test
  void isTerminating() {
    List<MetricResult> run = new ArrayList<>();
    run.add(result("other-metric", AnalysisPhase.RUNNING, false));
    run.add(result("success-rate", AnalysisPhase.RUNNING, false));
    assertThat(AnalysisEvaluator.isTerminating(run, false)).isFalse();
    assertThat(AnalysisEvaluator.isTerminating(run, true)).isTrue();
    run.set(1, result("success-rate", AnalysisPhase.ERROR, false));
    assertThat(AnalysisEvaluator.isTerminating(run, false)).isTrue();
  }

  /** helpers_test.go TestConsecutiveErrors: the counter after each history. */
  @Test
  void consecutiveErrors() {
    assertThat(consecutive()).isZero();
    assertThat(consecutive(AnalysisPhase.ERROR, AnalysisPhase.SUCCESSFUL, AnalysisPhase.ERROR))
        .isEqualTo(1);
    assertThat(consecutive(AnalysisPhase.ERROR, AnalysisPhase.SUCCESSFUL)).isZero();
    assertThat(consecutive(AnalysisPhase.ERROR, AnalysisPhase.ERROR)).isEqualTo(2);
  }

  private static int consecutive(AnalysisPhase... phases) {
    Metric m =
        metric("m", "true")
            .newBuilder()
            .interval(Duration.ofSeconds(1))
            .consecutiveErrorLimit(100)
            .build();
    MetricResult r = MetricResult.pending(m.name(), false);
    for (AnalysisPhase p : phases) {
      r = AnalysisEvaluator.record(m, r, Measurement.of(p), 10);
    }
    return r.consecutiveError();
  }

  /** helpers_test.go TestFlattenTemplates, case by case. */
  @Nested
  class FlattenTemplates {
    /**
     * "Handle empty list": <b>DIFFERS, not reachable</b>: Argo returns an empty template, which its
     * own ValidateMetrics then refuses ("no metrics specified"); Glidepath refuses the empty list
     * at once.
     */
    @Test
    void handleEmptyList() {
      assertThatThrownBy(() -> AnalysisTemplate.combine("x", List.of()))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noChangesOnSingleTemplate() {
      AnalysisTemplate orig =
          template(
              List.of(metric("foo", "{{args.test}}")), List.of(Argument.withValue("test", "true")));
      assertThat(AnalysisTemplate.combine("x", List.of(orig))).isSameAs(orig);
    }

    @Test
    void mergeMultipleMetricsSuccessfully() {
      Metric foo = metric("foo", "true");
      Metric bar = metric("bar", "true");
      AnalysisTemplate a =
          template(List.of(foo), List.of())
              .newBuilder()
              .addDryRun("foo")
              .addMeasurementRetention(new MeasurementRetention("foo", 10))
              .build();
      AnalysisTemplate b =
          template(List.of(bar), List.of())
              .newBuilder()
              .addDryRun("bar")
              .addMeasurementRetention(new MeasurementRetention("bar", 10))
              .build();
      AnalysisTemplate merged = AnalysisTemplate.combine("x", List.of(a, b));
      assertThat(merged.args()).isEmpty();
      assertThat(merged.metrics()).containsExactly(foo, bar);
      assertThat(merged.dryRun()).containsExactly("foo", "bar");
    }

    @Test
    void mergeAnalysisTemplatesAndClusterTemplatesSuccessfully() {
      Metric foo = metric("foo", "true");
      Metric bar = metric("bar", "true");
      AnalysisTemplate a = template(List.of(foo), List.of()).newBuilder().addDryRun("foo").build();
      AnalysisTemplate c =
          template(List.of(bar), List.of())
              .newBuilder()
              .kind(AnalysisTemplate.Kind.CLUSTER_ANALYSIS_TEMPLATE)
              .addDryRun("bar")
              .build();
      AnalysisTemplate merged = AnalysisTemplate.combine("x", List.of(a, c));
      assertThat(merged.args()).isEmpty();
      assertThat(merged.metrics()).containsExactly(foo, bar);
    }

    @Test
    void mergeFailWithNameCollision() {
      Metric foo = metric("foo", "true");
      assertThatThrownBy(
              () ->
                  AnalysisTemplate.combine(
                      "x",
                      List.of(
                          template(List.of(foo), List.of()), template(List.of(foo), List.of()))))
          .hasMessage("two metrics have the same name 'foo'");
    }

    @Test
    void mergeFailWithDryRunNameCollision() {
      AnalysisTemplate a =
          template(List.of(metric("foo", "true")), List.of()).newBuilder().addDryRun("foo").build();
      AnalysisTemplate b =
          template(List.of(metric("bar", "true")), List.of()).newBuilder().addDryRun("foo").build();
      assertThatThrownBy(() -> AnalysisTemplate.combine("x", List.of(a, b)))
          .hasMessage("two Dry-Run metric rules have the same name 'foo'");
    }

    @Test
    void mergeFailWithMeasurementRetentionNameCollision() {
      AnalysisTemplate a =
          template(List.of(metric("foo", "true")), List.of())
              .newBuilder()
              .addMeasurementRetention(new MeasurementRetention("foo", 5))
              .build();
      AnalysisTemplate b =
          template(List.of(metric("bar", "true")), List.of())
              .newBuilder()
              .addMeasurementRetention(new MeasurementRetention("foo", 5))
              .build();
      assertThatThrownBy(() -> AnalysisTemplate.combine("x", List.of(a, b)))
          .hasMessage("two Measurement Retention metric rules have the same name 'foo'");
    }

    /** Argo's templates here have no metrics; a Glidepath template needs one, so each has one. */
    @Test
    void mergeMultipleArgsSuccessfully() {
      Argument foo = Argument.withValue("foo", "true");
      Argument bar = Argument.withValue("bar", "true");
      AnalysisTemplate merged =
          AnalysisTemplate.combine(
              "x",
              List.of(
                  template(List.of(metric("m1", "true")), List.of(foo)),
                  template(List.of(metric("m2", "true")), List.of(bar))));
      assertThat(merged.args()).containsExactly(foo, bar);
    }

    @Test
    void mergeArgsWithSameNameButOnlyOneHasValue() {
      Argument withValue = Argument.withValue("foo", "true");
      AnalysisTemplate merged =
          AnalysisTemplate.combine(
              "x",
              List.of(
                  template(List.of(metric("m1", "true")), List.of(withValue)),
                  template(List.of(metric("m2", "true")), List.of(Argument.of("foo")))));
      assertThat(merged.args()).containsExactly(withValue);
      // and in the other order, the declaration with the value replaces the bare one
      AnalysisTemplate reversed =
          AnalysisTemplate.combine(
              "x",
              List.of(
                  template(List.of(metric("m1", "true")), List.of(Argument.of("foo"))),
                  template(List.of(metric("m2", "true")), List.of(withValue))));
      assertThat(reversed.args()).containsExactly(withValue);
    }

    @Test
    void errorMergeArgsWithSameNameAndBothHaveValues() {
      assertThatThrownBy(
              () ->
                  AnalysisTemplate.combine(
                      "x",
                      List.of(
                          template(
                              List.of(metric("m1", "true")),
                              List.of(Argument.withValue("foo", "true"))),
                          template(
                              List.of(metric("m2", "true")),
                              List.of(Argument.withValue("foo", "false"))))))
          .hasMessage(
              "Argument `foo` specified multiple times with different values: 'true', 'false'");
    }
  }

  /**
   * helpers_test.go TestNewAnalysisRunFromTemplates. Argo passes the secret as a rollout argument
   * with valueFrom; Glidepath takes secretKeyRef on the template's argument (a rollout-level
   * secretKeyRef is refused at load), resolved by the caller's resolver.
   */
  @Test
  void newAnalysisRunFromTemplates() {
    Argument.SecretKeyRef ref = new Argument.SecretKeyRef("name", "key");
    AnalysisTemplate foo =
        template(
            List.of(metric("success-rate", "true")),
            List.of(Argument.of("my-arg"), Argument.from("my-secret", ref)));
    AnalysisTemplate resolved =
        AnalysisTemplate.combine("foo-run", List.of(foo))
            .resolve(
                Map.of("my-arg", "my-val"),
                r -> r.equals(ref) ? Optional.of("s3cr3t") : Optional.empty());
    assertThat(resolved.metrics()).extracting(Metric::name).containsExactly("success-rate");
    assertThat(resolved.sensitiveValues()).containsExactly("s3cr3t");

    // Fail Merge Args
    AnalysisTemplate unresolved = foo.newBuilder().addArg(Argument.of("unresolved")).build();
    assertThatThrownBy(
            () ->
                AnalysisTemplate.combine("foo-run", List.of(unresolved))
                    .resolve(Map.of("my-arg", "my-val"), r -> Optional.of("s3cr3t")))
        .isInstanceOf(MissingArgumentException.class)
        .hasMessageContaining("args.unresolved was not resolved");

    // Fail Flatten Templates
    AnalysisTemplate matchingMetric = template(List.of(metric("success-rate", "true")), List.of());
    assertThatThrownBy(() -> AnalysisTemplate.combine("foo-run", List.of(foo, matchingMetric)))
        .hasMessage("two metrics have the same name 'success-rate'");
  }

  /** helpers_test.go TestMergeArgs, case by case (supplied values over template arguments). */
  @Nested
  class MergeArgs {
    private final Metric m = metric("m", "true");

    @Test
    void nilAndEmptyLists() {
      assertThat(template(List.of(m), List.of()).resolve(Map.of()).metrics()).hasSize(1);
    }

    @Test
    void useDefaults() {
      Argument.SecretKeyRef ref = new Argument.SecretKeyRef("name", "key");
      AnalysisTemplate t =
          template(
              List.of(metric("m", "'{{args.foo}}' == 'bar' && '{{args.my-secret}}' != ''")),
              List.of(Argument.withValue("foo", "bar"), Argument.from("my-secret", ref)));
      AnalysisTemplate resolved = t.resolve(Map.of(), r -> Optional.of("v"));
      assertThat(resolved.metrics().get(0).successCondition())
          .contains("'bar' == 'bar' && 'v' != ''");
    }

    @Test
    void overwriteDefaults() {
      AnalysisTemplate t =
          template(
              List.of(metric("m", "'{{args.foo}}' == ''")),
              List.of(Argument.withValue("foo", "bar")));
      assertThat(t.resolve(Map.of("foo", "overwrite")).metrics().get(0).successCondition())
          .contains("'overwrite' == ''");
    }

    @Test
    void notResolved() {
      AnalysisTemplate t = template(List.of(m), List.of(Argument.of("foo")));
      assertThatThrownBy(() -> t.resolve(Map.of()))
          .isInstanceOf(MissingArgumentException.class)
          .hasMessageContaining("args.foo was not resolved");
    }

    @Test
    void extraArg() {
      AnalysisTemplate t =
          template(List.of(metric("m", "'{{args.foo}}' == ''")), List.of(Argument.of("foo")));
      AnalysisTemplate resolved = t.resolve(Map.of("foo", "my-value", "extra-arg", "extra-value"));
      assertThat(resolved.args()).extracting(Argument::name).containsExactly("foo");
      assertThat(resolved.metrics().get(0).successCondition()).contains("'my-value' == ''");
    }
  }

  /** helpers_test.go TestGetDryRunMetrics and TestGetMeasurementRetentionMetrics. */
  @Nested
  class RuleMatching {
    private final AnalysisTemplate two =
        template(List.of(metric("success-rate", "true"), metric("error-rate", "true")), List.of());

    @Test
    void dryRunReturnsTheMetricNames() {
      AnalysisTemplate t = two.newBuilder().addDryRun("success-rate").build();
      t.checkRules();
      assertThat(t.isDryRun("success-rate")).isTrue();
    }

    @Test
    void dryRunHandlesRegexRules() {
      AnalysisTemplate t = two.newBuilder().addDryRun(".*").build();
      t.checkRules();
      assertThat(t.isDryRun("success-rate")).isTrue();
      assertThat(t.isDryRun("error-rate")).isTrue();
    }

    @Test
    void dryRunRuleThatMatchesNothingIsAnError() {
      AnalysisTemplate t =
          template(List.of(metric("success-rate", "true")), List.of())
              .newBuilder()
              .addDryRun("error-rate")
              .build();
      assertThatThrownBy(t::checkRules)
          .hasMessage("dryRun[0]: Rule didn't match any metric name(s)");
      AnalysisRun run =
          AnalysisRun.start(
              t, MetricProviders.of(), VirtualScheduler.at(T0), AnalysisListener.NONE);
      assertThat(run.result().phase()).isEqualTo(AnalysisPhase.ERROR);
      assertThat(run.result().message())
          .isEqualTo("Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)");
    }

    @Test
    void retentionReturnsTheMetricNames() {
      AnalysisTemplate t =
          two.newBuilder()
              .addMeasurementRetention(new MeasurementRetention("success-rate", 10))
              .build();
      t.checkRules();
      assertThat(t.retentionFor("success-rate")).isEqualTo(10);
    }

    @Test
    void retentionHandlesRegexRules() {
      AnalysisTemplate t =
          two.newBuilder().addMeasurementRetention(new MeasurementRetention(".*", 15)).build();
      t.checkRules();
      assertThat(t.retentionFor("success-rate")).isEqualTo(15);
      assertThat(t.retentionFor("error-rate")).isEqualTo(15);
    }

    @Test
    void retentionRuleThatMatchesNothingIsAnError() {
      AnalysisTemplate t =
          template(List.of(metric("success-rate", "true")), List.of())
              .newBuilder()
              .addMeasurementRetention(new MeasurementRetention("error-rate", 11))
              .build();
      assertThatThrownBy(t::checkRules)
          .hasMessage("measurementRetention[0]: Rule didn't match any metric name(s)");
    }
  }

  /** factory_test.go TestValidateMetrics, on templates read from YAML. */
  @Nested
  class ValidateMetrics {
    private String template(String metrics) {
      return """
          apiVersion: argoproj.io/v1alpha1
          kind: AnalysisTemplate
          metadata:
            name: t
          spec:
            metrics:
          """
          + metrics.indent(2);
    }

    private TemplateException refused(String metrics) {
      try {
        AnalysisTemplate.parse(template(metrics), "t.yaml");
      } catch (TemplateException e) {
        return e;
      }
      throw new AssertionError("accepted: " + metrics);
    }

    private static final String PROM =
        "provider:\n    prometheus: {address: http://p, query: up}\n";

    @Test
    void countMustBeAtLeastFailureLimit() {
      assertThat(
              refused("- name: success-rate\n  count: 1\n  failureLimit: 2\n  " + PROM).problem())
          .contains("count must be >= failureLimit");
      // count 0 is no count
      AnalysisTemplate.parse(
          template("- name: success-rate\n  count: 0\n  failureLimit: 2\n  " + PROM), "t.yaml");
    }

    @Test
    void countMustBeAtLeastInconclusiveLimit() {
      assertThat(
              refused("- name: success-rate\n  count: 1\n  inconclusiveLimit: 2\n  " + PROM)
                  .problem())
          .contains("count must be >= inconclusiveLimit");
      AnalysisTemplate.parse(
          template("- name: success-rate\n  count: 0\n  inconclusiveLimit: 2\n  " + PROM),
          "t.yaml");
    }

    @Test
    void validMetric() {
      AnalysisTemplate.parse(
          template(
              "- name: success-rate\n  count: 2\n  interval: 60s\n  failureLimit: 2\n  " + PROM),
          "t.yaml");
    }

    @Test
    void invalidIntervalString() {
      TemplateException e =
          refused("- name: success-rate\n  count: 2\n  interval: 60s-typo\n  " + PROM);
      assertThat(e.path()).isEqualTo("spec.metrics[0].interval");
    }

    @Test
    void invalidInitialDelayString() {
      TemplateException e =
          refused(
              "- name: success-rate\n  count: 2\n  interval: 60s\n  initialDelay: 60s-typo\n  "
                  + PROM);
      assertThat(e.path()).isEqualTo("spec.metrics[0].initialDelay");
    }

    @Test
    void noMetricsSpecified() {
      assertThatThrownBy(() -> AnalysisTemplate.parse(template("  []"), "t.yaml"))
          .isInstanceOf(TemplateException.class)
          .hasMessageContaining("at least one metric");
    }

    @Test
    void intervalMustBeSetWhenCountAboveOne() {
      assertThat(refused("- name: success-rate\n  count: 2\n  " + PROM).problem())
          .contains("interval must be set when count > 1");
    }

    @Test
    void noDuplicateMetricNames() {
      assertThat(
              refused("- name: success-rate\n  " + PROM + "- name: success-rate\n  " + PROM).path())
          .isEqualTo("spec.metrics[1]");
    }

    /**
     * <b>DIFFERS by version</b>: the translated (pre-1.8) case refuses {@code failureLimit: -1};
     * Glidepath follows v1.8, where -1 turns the failure limit off (for use with
     * consecutiveSuccessLimit). Below -1 is refused.
     */
    @Test
    void failureLimitAtLeastMinusOne() {
      assertThat(refused("- name: success-rate\n  failureLimit: -2\n  " + PROM).problem())
          .contains("failureLimit must be >= -1");
    }

    @Test
    void inconclusiveLimitAtLeastZero() {
      assertThat(refused("- name: success-rate\n  inconclusiveLimit: -1\n  " + PROM).problem())
          .contains("inconclusiveLimit must be >= 0");
    }

    @Test
    void consecutiveErrorLimitAtLeastZero() {
      assertThat(refused("- name: success-rate\n  consecutiveErrorLimit: -1\n  " + PROM).problem())
          .contains("consecutiveErrorLimit must be >= 0");
    }

    @Test
    void metricHasProvider() {
      assertThat(refused("- name: success-rate\n  count: 1\n").path())
          .isEqualTo("spec.metrics[0].provider");
    }

    @Test
    void metricHasNoMoreThanOneProvider() {
      assertThat(
              refused(
                      "- name: success-rate\n  provider:\n    prometheus: {address: http://p,"
                          + " query: up}\n    web: {url: http://w}\n")
                  .problem())
          .contains("exactly one provider");
    }
  }

  /** factory_test.go TestResolveMetricArgs and TestResolveMetricArgsWithQuotes. */
  @Test
  void resolveMetricArgs() {
    Metric m1 =
        Metric.newBuilder("metric-name")
            .successCondition("result > {{args.metric-name}}")
            .provider(metric("x", "true").provider())
            .build();
    Metric m2 =
        Metric.newBuilder("metric-name2")
            .successCondition("result < {{args.metric-name2}}")
            .provider(metric("x", "true").provider())
            .build();
    AnalysisTemplate t =
        template(
            List.of(m1, m2),
            List.of(
                Argument.withValue("metric-name", "success-rate"),
                Argument.withValue("metric-name2", "success-rate2")));
    AnalysisTemplate r = t.resolve(Map.of());
    assertThat(r.metrics().get(0).successCondition()).contains("result > success-rate");
    assertThat(r.metrics().get(1).successCondition()).contains("result < success-rate2");
  }

  @Test
  void resolveMetricArgsWithQuotes() {
    Metric m =
        Metric.newBuilder("rate")
            .successCondition("{{args.rate}}")
            .provider(metric("x", "true").provider())
            .build();
    AnalysisTemplate r =
        template(List.of(m), List.of(Argument.withValue("rate", "foo \"bar\" baz")))
            .resolve(Map.of());
    // substituted as is; the condition does not compile, so every measurement is Error
    assertThat(r.metrics().get(0).successCondition()).contains("foo \"bar\" baz");
    assertThat(AnalysisEvaluator.evaluate(r.metrics().get(0), MetricValue.scalar(1)).phase())
        .isEqualTo(AnalysisPhase.ERROR);
  }

  /**
   * <b>DIFFERS, deliberately</b> (Argo issue #4479): a metric whose every measurement errored
   * passes in Argo when the run is terminated; Glidepath makes it Error.
   */
  @Nested
  class Issue4479 {
    @Test
    void terminatedMetricWithOnlyErrorsIsError() {
      Metric m = metric("m", "true").newBuilder().interval(Duration.ofSeconds(10)).build();
      MetricResult r =
          AnalysisEvaluator.assessMetric(
              m,
              List.of(Measurement.of(AnalysisPhase.ERROR), Measurement.of(AnalysisPhase.ERROR)),
              true);
      assertThat(r.phase()).isEqualTo(AnalysisPhase.ERROR);
    }
  }
}
