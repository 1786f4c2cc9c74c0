package io.glidepath.kube.controller;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.kube.KubeCluster;

/**
 * The small rendered trade-service app the controller ITs sync (a ConfigMap and a Deployment), and
 * the manual edit they revert.
 */
final class TradeServiceManifests {
  static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: trade-service-config}
      data: {LOG_LEVEL: info}
      """;
  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: trade-service}
      spec:
        replicas: 3
        selector: {matchLabels: {app: trade-service}}
        template:
          metadata: {labels: {app: trade-service}}
          spec:
            containers: [{name: app, image: "registry.example.com/trade-service:1.0.0"}]
      """;

  /** Both, as one multi-document stream. */
  static final String RENDERED = CONFIG_MAP + "---\n" + DEPLOYMENT;

  private TradeServiceManifests() {}

  /**
   * What {@code kubectl edit deployment trade-service} does to {@code spec.replicas} in namespace
   * production: a merge patch by field manager kubectl-edit.
   */
  static void kubectlEditReplicas(KubeCluster cluster, int replicas) {
    cluster
        .client()
        .apps()
        .deployments()
        .inNamespace("production")
        .withName("trade-service")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-edit")
                .build(),
            "{\"spec\":{\"replicas\":" + replicas + "}}");
  }
}
