package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A place in objects of some kinds that a transformer changes, in kustomize's field-spec form:
 * {@code spec/template/metadata/labels} for {@code Deployment}. Lists on the path are entered
 * element by element; {@code create} makes missing maps on the way.
 *
 * @param group the API group the object must have, or null for any
 * @param kind the kind the object must have, or null for any
 * @param path slash-separated field names ({@code name[]} marks a list)
 * @param create whether missing maps are created
 */
record FieldSpec(String group, String kind, String path, boolean create) {
  private static final String AFFINITY = "spec/template/spec/affinity/";

  static FieldSpec any(String path, boolean create) {
    return new FieldSpec(null, null, path, create);
  }

  static FieldSpec of(String group, String kind, String path, boolean create) {
    return new FieldSpec(group, kind, path, create);
  }

  boolean applies(Res r) {
    return (kind == null || kind.equals(r.kind())) && (group == null || group.equals(r.group()));
  }

  /** Calls {@code action} with each map holding the last field of the path, and that field. */
  void forEach(ObjectNode root, BiConsumer<ObjectNode, String> action) {
    walk(root, path.split("/"), 0, action);
  }

  private void walk(JsonNode node, String[] segs, int i, BiConsumer<ObjectNode, String> action) {
    if (node.isArray()) {
      for (JsonNode item : node) {
        walk(item, segs, i, action);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode obj = (ObjectNode) node;
    String seg = segs[i];
    boolean list = seg.endsWith("[]");
    if (list) {
      seg = seg.substring(0, seg.length() - 2);
    }
    if (i == segs.length - 1) {
      action.accept(obj, seg);
      return;
    }
    JsonNode child = obj.get(seg);
    if (child == null || child.isNull()) {
      if (!create || list) {
        return;
      }
      child = obj.putObject(seg);
    }
    walk(child, segs, i + 1, action);
  }

  /** Where commonLabels (and labels with includeSelectors) go. */
  static final List<FieldSpec> COMMON_LABELS = new ArrayList<>();

  /** Where labels with includeTemplates go, besides metadata/labels. */
  static final List<FieldSpec> TEMPLATE_LABELS = new ArrayList<>();

  /** Where commonAnnotations go. */
  static final List<FieldSpec> ANNOTATIONS = new ArrayList<>();

  static {
    COMMON_LABELS.add(any("metadata/labels", true));
    COMMON_LABELS.add(of("", "Service", "spec/selector", true));
    COMMON_LABELS.add(of("", "ReplicationController", "spec/selector", true));
    COMMON_LABELS.add(of("", "ReplicationController", "spec/template/metadata/labels", true));
    for (String[] gk :
        new String[][] {
          {null, "Deployment"}, {null, "ReplicaSet"}, {null, "DaemonSet"}, {"apps", "StatefulSet"}
        }) {
      COMMON_LABELS.add(of(gk[0], gk[1], "spec/selector/matchLabels", true));
      COMMON_LABELS.add(of(gk[0], gk[1], "spec/template/metadata/labels", true));
      if (gk[1].equals("Deployment") || gk[1].equals("StatefulSet")) {
        for (String a :
            List.of(
                "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
                "podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
                "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
                "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels")) {
          COMMON_LABELS.add(of(gk[0], gk[1], AFFINITY + a, false));
        }
        COMMON_LABELS.add(
            of(
                gk[0],
                gk[1],
                "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
                false));
      }
    }
    COMMON_LABELS.add(
        of("apps", "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true));
    COMMON_LABELS.add(of("batch", "Job", "spec/selector/matchLabels", false));
    COMMON_LABELS.add(of("batch", "Job", "spec/template/metadata/labels", true));
    COMMON_LABELS.add(of("batch", "CronJob", "spec/jobTemplate/spec/selector/matchLabels", false));
    COMMON_LABELS.add(of("batch", "CronJob", "spec/jobTemplate/metadata/labels", true));
    COMMON_LABELS.add(
        of("batch", "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true));
    COMMON_LABELS.add(of("policy", "PodDisruptionBudget", "spec/selector/matchLabels", false));
    COMMON_LABELS.add(
        of("networking.k8s.io", "NetworkPolicy", "spec/podSelector/matchLabels", false));
    COMMON_LABELS.add(
        of(
            "networking.k8s.io",
            "NetworkPolicy",
            "spec/ingress/from/podSelector/matchLabels",
            false));
    COMMON_LABELS.add(
        of("networking.k8s.io", "NetworkPolicy", "spec/egress/to/podSelector/matchLabels", false));

    TEMPLATE_LABELS.add(of("", "ReplicationController", "spec/template/metadata/labels", true));
    TEMPLATE_LABELS.add(of(null, "Deployment", "spec/template/metadata/labels", true));
    TEMPLATE_LABELS.add(of(null, "ReplicaSet", "spec/template/metadata/labels", true));
    TEMPLATE_LABELS.add(of(null, "DaemonSet", "spec/template/metadata/labels", true));
    TEMPLATE_LABELS.add(of("apps", "StatefulSet", "spec/template/metadata/labels", true));
    TEMPLATE_LABELS.add(
        of("apps", "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true));
    TEMPLATE_LABELS.add(of("batch", "Job", "spec/template/metadata/labels", true));
    TEMPLATE_LABELS.add(of("batch", "CronJob", "spec/jobTemplate/metadata/labels", true));
    TEMPLATE_LABELS.add(
        of("batch", "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true));

    ANNOTATIONS.add(any("metadata/annotations", true));
    ANNOTATIONS.add(of("", "ReplicationController", "spec/template/metadata/annotations", true));
    ANNOTATIONS.add(of(null, "Deployment", "spec/template/metadata/annotations", true));
    ANNOTATIONS.add(of(null, "ReplicaSet", "spec/template/metadata/annotations", true));
    ANNOTATIONS.add(of(null, "DaemonSet", "spec/template/metadata/annotations", true));
    ANNOTATIONS.add(of("apps", "StatefulSet", "spec/template/metadata/annotations", true));
    ANNOTATIONS.add(of("batch", "Job", "spec/template/metadata/annotations", true));
    ANNOTATIONS.add(of("batch", "CronJob", "spec/jobTemplate/metadata/annotations", true));
    ANNOTATIONS.add(
        of("batch", "CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true));
  }
}
