package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalysisTemplateTest {

  static String seed() {
    try (InputStream in = AnalysisTemplateTest.class.getResourceAsStream("/seed/rollout.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void seedTemplatesLoadUnchanged() {
    List<AnalysisTemplate> all = AnalysisTemplate.parseAll(seed(), "rollout.yaml");
    assertThat(all)
        .extracting(AnalysisTemplate::name)
        .containsExactly("success-rate", "latency-check");
    AnalysisTemplate sr = all.get(0);
    assertThat(sr.namespace()).contains("production");
    assertThat(sr.args()).containsExactly(Argument.of("service-name"));
    Metric m = sr.metrics().get(0);
    assertThat(m.name()).isEqualTo("success-rate");
    assertThat(m.interval()).contains(Duration.ofSeconds(30));
    assertThat(m.count()).hasValue(6);
    assertThat(m.successLimit()).hasValue(5);
    assertThat(m.failureLimit()).isEqualTo(2);
    assertThat(m.inconclusiveLimit()).isZero();
    assertThat(m.consecutiveErrorLimit()).isEqualTo(4);
    assertThat(m.successCondition()).contains("result[0] >= 0.99");
    assertThat(m.failureCondition()).contains("result[0] < 0.95");
    assertThat(m.provider().type()).isEqualTo("prometheus");
    assertThat(m.provider().text("address")).isEqualTo("http://prometheus.monitoring:9090");
    Metric p99 = all.get(1).metrics().get(0);
    assertThat(p99.successCondition()).contains("result[0] <= 0.5");
    assertThat(p99.failureCondition()).contains("result[0] > 1.0");
  }

  @Test
  void argsAreSubstitutedIntoTheQuery() {
    AnalysisTemplate t =
        AnalysisTemplate.parse(seed(), "rollout.yaml")
            .resolve(Map.of("service-name", "trade-service"));
    String query = t.metrics().get(0).provider().text("query");
    assertThat(query).contains("service=\"trade-service\",status!~\"5..\"").doesNotContain("{{");
  }

  @Test
  void missingArgumentNamesTemplateMetricAndArgument() {
    AnalysisTemplate t = AnalysisTemplate.parse(seed(), "rollout.yaml");
    assertThatThrownBy(() -> t.resolve(Map.of()))
        .isInstanceOfSatisfying(
            MissingArgumentException.class,
            e -> {
              assertThat(e.template()).isEqualTo("success-rate");
              assertThat(e.metric()).isEqualTo("success-rate");
              assertThat(e.argument()).isEqualTo("service-name");
            })
        .hasMessageContaining("'success-rate'")
        .hasMessageContaining("'service-name'");
  }

  @Test
  void valuesInPromqlStringLiteralsCannotBreakOut() {
    AnalysisTemplate t = AnalysisTemplate.parse(seed(), "rollout.yaml");
    String hostile = "x\"} or vector(1) # \\ \n}";
    String query =
        t.resolve(Map.of("service-name", hostile)).metrics().get(0).provider().text("query");
    assertThat(query)
        .contains("service=\"x\\\"} or vector(1) # \\\\ \\n}\"")
        .doesNotContain("\n}\"");
    // every literal still closes where the template closed it: scan like a PromQL lexer
    assertThat(literalCount(query))
        .isEqualTo(
            literalCount(
                t.resolve(Map.of("service-name", "a")).metrics().get(0).provider().text("query")));
  }

  private static int literalCount(String promql) {
    int count = 0;
    char quote = 0;
    for (int i = 0; i < promql.length(); i++) {
      char c = promql.charAt(i);
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
        count++;
      } else if (quote != 0 && c == '\\') {
        i++;
      } else if (c == quote) {
        quote = 0;
      }
    }
    return count;
  }

  @Test
  void singleQuotedAndUnquotedPlacesAreHandled() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          args: [{name: svc}, {name: window, value: 5m}]
          metrics:
          - name: m
            provider:
              prometheus:
                query: "rate(x{svc='{{args.svc}}'}[{{args.window}}])"
        """;
    AnalysisTemplate t = AnalysisTemplate.parse(yaml, "t.yaml").resolve(Map.of("svc", "a'b"));
    assertThat(t.metrics().get(0).provider().text("query")).isEqualTo("rate(x{svc='a\\'b'}[5m])");
  }

  @Test
  void secretArgumentsAreResolvedByTheCallerAndMarkedSensitive() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ClusterAnalysisTemplate
        metadata: {name: t}
        spec:
          args:
          - name: token
            valueFrom: {secretKeyRef: {name: prom, key: token}}
          metrics:
          - name: m
            provider:
              web:
                url: http://example.invalid/
                headers: [{key: Authorization, value: "Bearer {{args.token}}"}]
        """;
    AnalysisTemplate t =
        AnalysisTemplate.parse(yaml, "t.yaml")
            .resolve(
                Map.of(),
                ref ->
                    ref instanceof Argument.SecretKeyRef s && s.key().equals("token")
                        ? Optional.of("s3cr3t")
                        : Optional.empty());
    assertThat(t.kind()).isEqualTo(AnalysisTemplate.Kind.CLUSTER_ANALYSIS_TEMPLATE);
    assertThat(t.sensitiveValues()).containsExactly("s3cr3t");
    assertThat(t.metrics().get(0).provider().config().toString()).contains("Bearer s3cr3t");
    assertThat(t.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void unknownFieldsAreErrorsWithTheirPath() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          metrics:
          - name: m
            provider: {prometheus: {address: http://p, query: up}}
          - name: n
            failureLimt: 3
            provider: {prometheus: {address: http://p, query: up}}
        """;
    assertThatThrownBy(() -> AnalysisTemplate.parse(yaml, "bad.yaml"))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.path()).isEqualTo("spec.metrics[1].failureLimt");
              assertThat(e.source()).contains("bad.yaml");
            })
        .hasMessageContaining("unknown field");
  }

  @Test
  void unknownProviderFieldAndBadValuesAreErrors() {
    String base =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          metrics:
          - name: m
        """;
    assertThatThrownBy(
            () ->
                AnalysisTemplate.parse(
                    base + "    provider: {prometheus: {adress: http://p, query: up}}\n", "a.yaml"))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.path()).isEqualTo("spec.metrics[0].provider.prometheus.adress"));
    assertThatThrownBy(
            () ->
                AnalysisTemplate.parse(
                    base
                        + "    failureLimit: -2\n    provider: {prometheus: {address: http://p, query: up}}\n",
                    "a.yaml"))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.getMessage()).contains("failureLimit must be >= -1, but was -2"));
    assertThatThrownBy(
            () ->
                AnalysisTemplate.parse(
                    base
                        + "    successCondition: result[0] >=\n    provider: {prometheus: {address: http://p, query: up}}\n",
                    "a.yaml"))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.path()).isEqualTo("spec.metrics[0].successCondition"));
    assertThatThrownBy(
            () ->
                AnalysisTemplate.parse(
                    base
                        + "    interval: 30x\n    provider: {prometheus: {address: http://p, query: up}}\n",
                    "a.yaml"))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.path()).isEqualTo("spec.metrics[0].interval"));
  }

  @Test
  void dryRunAndRetentionUseArgoMetricNameMatching() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          dryRun: [{metricName: "latency.*"}]
          measurementRetention: [{metricName: "*", limit: 3}]
          metrics:
          - name: latency-p99
            provider: {prometheus: {address: http://p, query: up}}
          - name: success-rate
            provider: {prometheus: {address: http://p, query: up}}
        """;
    AnalysisTemplate t = AnalysisTemplate.parse(yaml, "t.yaml");
    assertThat(t.isDryRun("latency-p99")).isTrue();
    assertThat(t.isDryRun("success-rate")).isFalse();
    assertThat(t.retentionFor("success-rate")).isEqualTo(3);
  }

  private static final String HOSTILE_PATTERN = "(.*a){20}b";

  private static String withPatterns(String dryRun, String retention) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          dryRun: [{metricName: "DRY"}]
          measurementRetention: [{metricName: "KEEP", limit: 3}]
          metrics:
          - name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            provider: {prometheus: {address: http://p, query: up}}
        """
        .replace("DRY", dryRun)
        .replace("KEEP", retention);
  }

  /** Termination, not speed: java.util.regex ran past 120 s on this; RE2 is linear. */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aHostileMetricNamePatternCannotStallTheAnalysis() {
    AnalysisTemplate t =
        AnalysisTemplate.parse(withPatterns(HOSTILE_PATTERN, HOSTILE_PATTERN), "t.yaml");

    String name = "a".repeat(40);
    assertThat(t.isDryRun(name)).isFalse();
    assertThat(t.retentionFor(name)).isEqualTo(AnalysisTemplate.DEFAULT_MEASUREMENT_RETENTION);
  }

  @Test
  void metricNamePatternsHaveArgosRe2SyntaxWithoutBackreferences() {
    assertThatThrownBy(() -> AnalysisTemplate.parse(withPatterns("(a)\\\\1", "*"), "t.yaml"))
        .hasMessageContaining("RE2 syntax");
  }

  private static final String ARG_FIELDS =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata:
        name: args-in-fields
      spec:
        args:
        - name: count
        - name: interval
        - name: limit
          value: "1"
        metrics:
        - name: m
          count: "{{args.count}}"
          interval: "{{ args.interval }}"
          initialDelay: "{{args.interval}}"
          failureLimit: "{{args.limit}}"
          inconclusiveLimit: "{{args.limit}}"
          consecutiveErrorLimit: "{{args.limit}}"
          consecutiveSuccessLimit: "{{args.limit}}"
          provider:
            web: {url: "http://x/"}
      """;

  @Test
  void argumentsInCountIntervalAndLimitsAreSetWhenResolved() {
    AnalysisTemplate t = AnalysisTemplate.parse(ARG_FIELDS, "t.yaml");
    assertThat(t.metrics().get(0).unresolvedFields())
        .containsEntry("count", "{{args.count}}")
        .hasSize(7);
    Metric m = t.resolve(Map.of("count", "3", "interval", "1m")).metrics().get(0);
    assertThat(m.unresolvedFields()).isEmpty();
    assertThat(m.count()).hasValue(3);
    assertThat(m.interval()).contains(Duration.ofMinutes(1));
    assertThat(m.initialDelay()).contains(Duration.ofMinutes(1));
    assertThat(m.failureLimit()).isEqualTo(1);
    assertThat(m.inconclusiveLimit()).isEqualTo(1);
    assertThat(m.consecutiveErrorLimit()).isEqualTo(1);
    assertThat(m.consecutiveSuccessLimit()).isEqualTo(1);
  }

  @Test
  void substitutedFieldsAreCheckedAsArgoChecksThem() {
    AnalysisTemplate t = AnalysisTemplate.parse(ARG_FIELDS, "t.yaml");
    assertThatThrownBy(() -> t.resolve(Map.of("count", "three", "interval", "1m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count must be an integer")
        .hasMessageContaining("'three'");
    assertThatThrownBy(() -> t.resolve(Map.of("count", "3", "interval", "60s-typo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid interval string '60s-typo'");
    assertThatThrownBy(() -> t.resolve(Map.of("count", "3", "interval", "1m", "limit", "5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count must be >= failureLimit (5)");
    // count 0 is no count, as in Argo
    assertThat(t.resolve(Map.of("count", "0", "interval", "1m")).metrics().get(0).count())
        .isEmpty();
  }

  @Test
  void aTemplateWithArgumentsInFieldsRunsOnlyWhenResolved() {
    AnalysisTemplate t = AnalysisTemplate.parse(ARG_FIELDS, "t.yaml");
    assertThatThrownBy(
            () ->
                AnalysisRun.start(
                    t,
                    io.glidepath.analysis.provider.MetricProviders.of(),
                    VirtualScheduler.at(java.time.Instant.EPOCH),
                    AnalysisListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resolve the template first");
  }

  @Test
  void everyDeclaredArgumentNeedsAValueEvenIfUnused() {
    AnalysisTemplate t =
        AnalysisTemplate.parse(seed(), "rollout.yaml")
            .newBuilder()
            .addArg(Argument.of("unused"))
            .build();
    assertThatThrownBy(() -> t.resolve(Map.of("service-name", "s")))
        .isInstanceOf(MissingArgumentException.class)
        .hasMessageContaining("args.unused was not resolved");
  }
}
