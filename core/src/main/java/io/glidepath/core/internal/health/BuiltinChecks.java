package io.glidepath.core.internal.health;

import io.glidepath.core.health.HealthCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Glidepath's built-in checks by Argo CD key ({@code "apps/Deployment"}, {@code "Pod"} for the core
 * group), and the wildcard ones ({@code "*.crossplane.io/*"}).
 */
public final class BuiltinChecks {
  private BuiltinChecks() {}

  /** The checks for exact group/kind keys. */
  public static Map<String, HealthCheck> exact() {
    Map<String, HealthCheck> m = new LinkedHashMap<>();
    m.put("apps/Deployment", WorkloadChecks::deployment);
    m.put("apps/StatefulSet", WorkloadChecks::statefulSet);
    m.put("apps/DaemonSet", WorkloadChecks::daemonSet);
    m.put("apps/ReplicaSet", WorkloadChecks::replicaSet);
    m.put("Pod", PodCheck::pod);
    m.put("Service", NetworkAndStorageChecks::service);
    m.put("PersistentVolumeClaim", NetworkAndStorageChecks::persistentVolumeClaim);
    m.put("networking.k8s.io/Ingress", NetworkAndStorageChecks::ingress);
    m.put("extensions/Ingress", NetworkAndStorageChecks::ingress);
    m.put("apiregistration.k8s.io/APIService", NetworkAndStorageChecks::apiService);
    m.put("batch/Job", BatchChecks::job);
    m.put("batch/CronJob", BatchChecks::cronJob);
    m.put("autoscaling/HorizontalPodAutoscaler", AutoscalingChecks::hpa);
    m.put("policy/PodDisruptionBudget", AutoscalingChecks::podDisruptionBudget);
    m.put("argoproj.io/Rollout", ArgoChecks::rollout);
    m.put("argoproj.io/Workflow", ArgoChecks::workflow);
    m.put("cert-manager.io/Certificate", CustomResourceChecks::certificate);
    m.put("cert-manager.io/Issuer", CustomResourceChecks::issuer);
    m.put("cert-manager.io/ClusterIssuer", CustomResourceChecks::issuer);
    for (String kind : List.of("Kustomization")) {
      m.put("kustomize.toolkit.fluxcd.io/" + kind, CustomResourceChecks::flux);
    }
    m.put("helm.toolkit.fluxcd.io/HelmRelease", CustomResourceChecks::flux);
    for (String kind :
        List.of("GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "Bucket")) {
      m.put("source.toolkit.fluxcd.io/" + kind, CustomResourceChecks::flux);
    }
    m.put("external-secrets.io/ExternalSecret", CustomResourceChecks::externalSecret);
    m.put("bitnami.com/SealedSecret", CustomResourceChecks::sealedSecret);
    m.put("keda.sh/ScaledObject", CustomResourceChecks::scaledObject);
    m.put("serving.knative.dev/Service", CustomResourceChecks::knativeService);
    m.put("kafka.strimzi.io/Kafka", CustomResourceChecks::kafka);
    for (String kind : List.of("Prometheus", "PrometheusAgent", "Alertmanager", "ThanosRuler")) {
      m.put("monitoring.coreos.com/" + kind, CustomResourceChecks::prometheusOperator);
    }
    return m;
  }

  /**
   * The keys Argo CD checks in Go (gitops-engine); the other built-ins answer as Argo CD's bundled
   * Lua scripts for their kinds do, deletion branch included.
   */
  public static Set<String> goChecks() {
    return Set.of(
        "apps/Deployment",
        "apps/StatefulSet",
        "apps/DaemonSet",
        "apps/ReplicaSet",
        "Pod",
        "Service",
        "PersistentVolumeClaim",
        "networking.k8s.io/Ingress",
        "extensions/Ingress",
        "apiregistration.k8s.io/APIService",
        "batch/Job",
        "autoscaling/HorizontalPodAutoscaler",
        "argoproj.io/Workflow");
  }

  /** The checks for wildcard patterns, in the order they are tried. */
  public static Map<String, HealthCheck> wildcard() {
    Map<String, HealthCheck> m = new LinkedHashMap<>();
    m.put("*.crossplane.io/*", CustomResourceChecks::crossplane);
    m.put("*.upbound.io/*", CustomResourceChecks::crossplane);
    return m;
  }
}
