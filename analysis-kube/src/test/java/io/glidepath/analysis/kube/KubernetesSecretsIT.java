package io.glidepath.analysis.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.RunIdentity;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.ProviderContext;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.metrics.Answer;
import io.glidepath.testkit.metrics.FakeMetricsServer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Secrets Argo names, read from the cluster: platform namespace, secretRef, secretKeyRef. */
class KubernetesSecretsIT {
  private EmbeddedCluster cluster;
  private KubernetesClient client;
  private FakeMetricsServer server;

  @BeforeEach
  void start() {
    cluster = EmbeddedCluster.start();
    client = cluster.client();
    server = FakeMetricsServer.start();
    for (String ns : new String[] {"argo-rollouts", "payments"}) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @AfterEach
  void stop() {
    server.close();
    cluster.close();
  }

  private void secret(String namespace, String name, Map<String, String> data) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }

  private AnalysisResult run(String provider) {
    AnalysisTemplate t =
        AnalysisTemplate.parse(
            "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: dd}\n"
                + "spec:\n  metrics:\n  - name: m\n    consecutiveErrorLimit: 0\n"
                + "    successCondition: \"result < 0.01\"\n    provider:\n      "
                + provider
                + "\n",
            "dd.yaml");
    MetricProviders providers =
        MetricProviders.discover(
            ProviderContext.newBuilder()
                .environment(Map.of())
                .secrets(KubernetesSecrets.of(client, "argo-rollouts"))
                .service(KubernetesClient.class, client)
                .build());
    VirtualScheduler s = VirtualScheduler.at(Instant.parse("2026-03-01T10:00:00Z"));
    AnalysisRun run =
        AnalysisRun.start(t, providers, s, AnalysisListener.NONE, RunIdentity.of("r", "payments"));
    s.runUntilIdle(50);
    return run.result();
  }

  private Map<String, String> keys() {
    return Map.of(
        "address", server.uri().toString(),
        "api-key", FakeMetricsServer.DATADOG_API_KEY,
        "app-key", FakeMetricsServer.DATADOG_APP_KEY);
  }

  @Test
  void datadogReadsTheSecretArgoNamesInThePlatformNamespace() {
    secret("argo-rollouts", "datadog", keys());
    server.datadog().respond(Answer.values(0.001));
    assertThat(run("datadog: {query: 'sum:errors{*}'}").phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(server.violations()).isEmpty();
  }

  @Test
  void aNamespacedSecretRefIsReadInTheAnalysisNamespace() {
    secret("payments", "payments-datadog", keys());
    server.datadog().respond(Answer.values(0.001));
    assertThat(
            run("datadog: {query: 'sum:errors{*}', secretRef: {name: payments-datadog, namespaced: true}}")
                .phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void withoutCredentialsTheMeasurementErrorsSayingWhereItLooked() {
    AnalysisResult r = run("datadog: {query: 'sum:errors{*}'}");
    assertThat(r.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(r.metrics().get(0).measurements().get(0).message())
        .contains("API or App token not found", "Secret 'datadog'");
  }

  @Test
  void secretKeyRefArgumentsResolveInTheAnalysisNamespace() {
    secret("payments", "tokens", Map.of("grafana", "s3cr3t-value"));
    KubernetesSecrets secrets = KubernetesSecrets.of(client, "argo-rollouts");
    AnalysisTemplate t =
        AnalysisTemplate.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: web}
            spec:
              args:
              - name: token
                valueFrom: {secretKeyRef: {name: tokens, key: grafana}}
              metrics:
              - name: m
                provider:
                  web:
                    url: http://grafana.invalid/api
                    headers: [{key: Authorization, value: "Bearer {{args.token}}"}]
            """,
            "web.yaml");
    AnalysisTemplate resolved =
        t.resolve(Map.of(), secrets.argumentResolver(Optional.of("payments")));
    assertThat(resolved.metrics().get(0).provider().config().toString()).contains("s3cr3t-value");
    assertThat(resolved.sensitiveValues()).contains("s3cr3t-value");
    assertThat(secrets.toString()).doesNotContain("s3cr3t");
  }
}
