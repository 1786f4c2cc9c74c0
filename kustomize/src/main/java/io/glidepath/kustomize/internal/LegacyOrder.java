package io.glidepath.kustomize.internal;

import io.glidepath.kustomize.KustomizeException.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * kustomize's output order. The default ("legacy") puts kinds others depend on first (Namespace,
 * ResourceQuota, StorageClass, CRDs, ServiceAccount, ..., ConfigMap, Secret, Endpoints, Service,
 * ..., Deployment, StatefulSet, CronJob, PodDisruptionBudget), webhook configurations last, and
 * everything else in between; ties by group_version_kind, then namespace (none last), then name.
 * {@code sortOptions.order: fifo} keeps the build order.
 */
final class LegacyOrder {
  static final List<String> FIRST =
      List.of(
          "Namespace",
          "ResourceQuota",
          "StorageClass",
          "CustomResourceDefinition",
          "ServiceAccount",
          "PodSecurityPolicy",
          "Role",
          "ClusterRole",
          "RoleBinding",
          "ClusterRoleBinding",
          "ConfigMap",
          "Secret",
          "Endpoints",
          "Service",
          "LimitRange",
          "PriorityClass",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "Deployment",
          "StatefulSet",
          "CronJob",
          "PodDisruptionBudget");
  static final List<String> LAST =
      List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");

  private LegacyOrder() {}

  static List<Res> sort(List<Res> all, JsonNode sortOptions, Kust top) {
    List<String> first = FIRST;
    List<String> last = LAST;
    if (sortOptions != null && !sortOptions.isNull()) {
      String order = sortOptions.path("order").asString("");
      if (!order.equals("fifo") && !order.equals("legacy")) {
        throw top.error(
            "sortOptions.order",
            Problem.INVALID_VALUE,
            "the field 'sortOptions.order' must be one of [fifo, legacy]"
                + (order.isEmpty() ? "" : ", but is " + order),
            null);
      }
      JsonNode legacy = sortOptions.path("legacySortOptions");
      if (order.equals("fifo")) {
        if (legacy.isObject()) {
          throw top.error(
              "sortOptions.legacySortOptions",
              Problem.INVALID_VALUE,
              "the field 'sortOptions.legacySortOptions' is set but the selected sort order is"
                  + " 'fifo', not 'legacy'",
              null);
        }
        return new ArrayList<>(all);
      }
      if (legacy.isObject()) {
        first = strings(legacy.path("orderFirst"));
        last = strings(legacy.path("orderLast"));
      }
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < first.size(); i++) {
      index.put(first.get(i), -first.size() + i);
    }
    for (int i = 0; i < last.size(); i++) {
      index.put(last.get(i), 1 + i);
    }
    List<Res> sorted = new ArrayList<>(all);
    sorted.sort(
        Comparator.<Res>comparingInt(r -> index.getOrDefault(r.kind(), 0))
            .thenComparing(LegacyOrder::compareGvk)
            .thenComparing(r -> r.namespace().isEmpty() ? "~X" : r.namespace())
            .thenComparing(Res::name));
    return sorted;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(x -> out.add(x.asString()));
    }
    return out;
  }

  /** By group_version_kind; of two Namespace kinds, kustomize puts the core one first. */
  private static int compareGvk(Res a, Res b) {
    int c = gvk(a).compareTo(gvk(b));
    if (a.kind().equals("Namespace")
        && b.kind().equals("Namespace")
        && (a.group().isEmpty() || b.group().isEmpty())) {
      return -c;
    }
    return c;
  }

  private static String gvk(Res r) {
    String g = r.group().isEmpty() ? "~G" : r.group();
    String v = r.version().isEmpty() ? "~V" : r.version();
    String k = r.kind().isEmpty() ? "~K" : r.kind();
    return g + "_" + v + "_" + k;
  }
}
