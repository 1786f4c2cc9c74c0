package io.glidepath.analysis.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.ProviderContext;
import io.glidepath.testkit.metrics.Answer;
import io.glidepath.testkit.metrics.FakeMetricsServer;
import io.glidepath.testkit.metrics.RecordedRequest;
import io.glidepath.testkit.metrics.Sigv4Verifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CloudWatch GetMetricData and SigV4-signed Prometheus (Amazon Managed Prometheus), through the AWS
 * SDK, against a local server that verifies every signature and the request protocol.
 */
class AwsProvidersIT {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private FakeMetricsServer server;
  private MetricProviders providers;

  @BeforeEach
  void start() {
    server = FakeMetricsServer.start();
    providers = providers(FakeMetricsServer.AWS_REGION);
  }

  private MetricProviders providers(String region) {
    return MetricProviders.discover(
        ProviderContext.newBuilder()
            .environment(
                Map.of(
                    "AWS_ACCESS_KEY_ID",
                    FakeMetricsServer.AWS_ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY",
                    FakeMetricsServer.AWS_SECRET_KEY,
                    "AWS_REGION",
                    region,
                    "AWS_ENDPOINT_URL_CLOUDWATCH",
                    server.uri().toString()))
            .build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static final String CLOUDWATCH =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: cw}
      spec:
        metrics:
        - name: error-rate
          consecutiveErrorLimit: 0
          successCondition: "all(result[0].Values, {# <= 0.01})"
          failureCondition: "any(result[0].Values, {# > 0.05})"
          provider:
            cloudWatch:
              interval: 10m
              metricDataQueries:
              - id: rate
                expression: errors / requests
              - id: errors
                returnData: false
                metricStat:
                  metric:
                    namespace: app
                    metricName: errors
                    dimensions: [{name: service, value: trade}]
                  period: 300
                  stat: Sum
              - id: requests
                returnData: false
                metricStat:
                  metric: {namespace: app, metricName: requests}
                  period: "300"
                  stat: Sum
                  unit: Count
      """;

  private AnalysisResult live(AnalysisTemplate t) {
    providers.validate(t);
    VirtualScheduler s = VirtualScheduler.at(T0);
    AnalysisRun run = AnalysisRun.start(t, providers, s, AnalysisListener.NONE);
    s.runUntilIdle(100);
    return run.result();
  }

  @ParameterizedTest
  @EnumSource(
      value = AnalysisPhase.class,
      names = {"SUCCESSFUL", "FAILED", "INCONCLUSIVE", "ERROR"})
  void cloudWatchOutcomes(AnalysisPhase expected) {
    server
        .cloudWatch()
        .respond(
            switch (expected) {
              case SUCCESSFUL -> Answer.values(0.001, 0.004);
              case FAILED -> Answer.values(0.001, 0.2);
              case INCONCLUSIVE -> Answer.values(0.02);
              default -> Answer.error(400, "The parameter MetricDataQueries is invalid");
            });
    AnalysisResult r = live(AnalysisTemplate.parse(CLOUDWATCH, "cw.yaml"));
    assertThat(r.phase()).as(r.message()).isEqualTo(expected);
    Measurement m = r.metrics().get(0).measurements().get(0);
    if (expected == AnalysisPhase.ERROR) {
      assertThat(m.message()).contains("MetricDataQueries is invalid");
    } else {
      assertThat(m.value().orElseThrow().toString()).startsWith("[map[Id:rate Label:rate");
    }
    assertThat(server.violations()).isEmpty();
    RecordedRequest sent = server.requests().get(0);
    assertThat(
            Sigv4Verifier.of(FakeMetricsServer.AWS_ACCESS_KEY, FakeMetricsServer.AWS_SECRET_KEY)
                .verify(sent, FakeMetricsServer.AWS_REGION, "monitoring"))
        .isEmpty();
  }

  @Test
  void cloudWatchThrottlingIsRetriedBySdkThenByTheRun() {
    // the SDK retries throttling itself (3 attempts, as Argo's Go SDK does); when that is not
    // enough the measurement errors and the run retries 10 s later
    server
        .cloudWatch()
        .respond(Answer.throttled(), Answer.throttled(), Answer.throttled(), Answer.values(0.001));
    AnalysisResult r =
        live(AnalysisTemplate.parse(CLOUDWATCH.replace("consecutiveErrorLimit: 0", ""), "cw.yaml"));
    assertThat(r.phase()).as(r.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    List<Measurement> ms = r.metrics().get(0).measurements();
    assertThat(ms.get(0).phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(ms.get(0).message()).contains("Rate exceeded");
    assertThat(server.cloudWatch().calls()).isEqualTo(4);
    assertThat(server.violations()).isEmpty();
  }

  @Test
  void cloudWatchWithoutDataGivesEmptyValues() {
    server.cloudWatch().respond(Answer.empty());
    AnalysisResult r =
        live(
            AnalysisTemplate.parse(
                CLOUDWATCH.replace(
                    "all(result[0].Values, {# <= 0.01})", "len(result[0].Values) > 0"),
                "cw.yaml"));
    assertThat(r.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(r.metrics().get(0).measurements().get(0).value().orElseThrow().toString())
        .contains("Values:[]");
  }

  @Test
  void ampQueriesAreSignedForTheRightHostRegionAndService() {
    server.prometheusAuthentication("sigv4");
    server.prometheus().respond(Answer.values(0.999));
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: amp}
        spec:
          metrics:
          - name: success
            consecutiveErrorLimit: 0
            successCondition: "result[0] >= 0.99"
            provider:
              prometheus:
                address: %s
                query: sum(rate(http_requests_total{code!~"5.."}[5m]))
                authentication:
                  sigv4: {region: %s}
        """
            .formatted(server.uri() + FakeMetricsServer.AMP_PREFIX, FakeMetricsServer.AWS_REGION);
    AnalysisResult r = live(AnalysisTemplate.parse(yaml, "amp.yaml"));
    assertThat(r.phase()).as(r.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(server.violations()).isEmpty();
    AnalysisResult wrongRegion =
        live(AnalysisTemplate.parse(yaml.replace("region: eu-west-1", "region: us-east-2"), "amp"));
    assertThat(wrongRegion.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(wrongRegion.metrics().get(0).measurements().get(0).message())
        .contains("HTTP 403")
        .contains("signed for region us-east-2, not eu-west-1");
  }
}
