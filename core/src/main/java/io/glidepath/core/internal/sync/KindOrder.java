package io.glidepath.core.internal.sync;

import io.glidepath.core.resource.ResourceKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Helm's install order of kinds (kind_sorter.go); kinds outside Kubernetes' own groups last. */
final class KindOrder {
  private static final List<String> INSTALL_ORDER =
      List.of(
          "PriorityClass",
          "Namespace",
          "NetworkPolicy",
          "ResourceQuota",
          "LimitRange",
          "PodSecurityPolicy",
          "PodDisruptionBudget",
          "ServiceAccount",
          "Secret",
          "SecretList",
          "ConfigMap",
          "StorageClass",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "CustomResourceDefinition",
          "ClusterRole",
          "ClusterRoleList",
          "ClusterRoleBinding",
          "ClusterRoleBindingList",
          "Role",
          "RoleList",
          "RoleBinding",
          "RoleBindingList",
          "Service",
          "DaemonSet",
          "Pod",
          "ReplicationController",
          "ReplicaSet",
          "Deployment",
          "HorizontalPodAutoscaler",
          "StatefulSet",
          "Job",
          "CronJob",
          "IngressClass",
          "Ingress",
          "APIService",
          "MutatingWebhookConfiguration",
          "ValidatingWebhookConfiguration");

  private static final Map<String, Integer> RANK = new HashMap<>();

  static {
    for (int i = 0; i < INSTALL_ORDER.size(); i++) {
      RANK.put(INSTALL_ORDER.get(i), i);
    }
  }

  /** The unknown kinds' rank: after every known one. */
  static final int UNKNOWN = INSTALL_ORDER.size();

  private KindOrder() {}

  static int rank(ResourceKey key) {
    String group = key.group();
    boolean kubernetesGroup = group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
    return kubernetesGroup ? RANK.getOrDefault(key.kind(), UNKNOWN) : UNKNOWN;
  }
}
