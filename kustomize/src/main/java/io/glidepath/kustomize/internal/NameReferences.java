package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kustomize's name-reference fix-up: after prefixes, suffixes, namespaces and hash suffixes have
 * renamed objects, every field that refers to one of them by its old name (a Deployment's ConfigMap
 * volume, an Ingress backend Service, a RoleBinding's roleRef, an HPA's scale target) gets the new
 * name.
 *
 * <p>A reference is matched against the earlier names of objects of the referred kind; among
 * several, those in the referrer's namespace, then those with the referrer's prefixes and suffixes,
 * win; several left with different names is an error, as in kustomize.
 */
final class NameReferences {
  /** A referring field: in objects of {@code referrerKinds}, {@code path} names a {@code kind}. */
  record Ref(String kind, Set<String> referrerKinds, String path, String kindField) {
    FieldSpec spec() {
      return FieldSpec.any(path, false);
    }
  }

  private static final Set<String> TEMPLATED =
      Set.of(
          "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController");

  private static final Map<String, String> POD_SPEC_PREFIX =
      Map.of("Pod", "spec", "CronJob", "spec/jobTemplate/spec/template/spec");

  static final List<Ref> REFS = new ArrayList<>();

  private static void pod(String kind, String... paths) {
    for (String p : paths) {
      for (String k : TEMPLATED) {
        REFS.add(new Ref(kind, Set.of(k), "spec/template/spec/" + p, null));
      }
      POD_SPEC_PREFIX.forEach(
          (k, prefix) -> REFS.add(new Ref(kind, Set.of(k), prefix + "/" + p, null)));
    }
  }

  static {
    pod(
        "ConfigMap",
        "volumes/configMap/name",
        "containers/env/valueFrom/configMapKeyRef/name",
        "initContainers/env/valueFrom/configMapKeyRef/name",
        "containers/envFrom/configMapRef/name",
        "initContainers/envFrom/configMapRef/name",
        "volumes/projected/sources/configMap/name");
    pod(
        "Secret",
        "volumes/secret/secretName",
        "containers/env/valueFrom/secretKeyRef/name",
        "initContainers/env/valueFrom/secretKeyRef/name",
        "containers/envFrom/secretRef/name",
        "initContainers/envFrom/secretRef/name",
        "imagePullSecrets/name",
        "volumes/projected/sources/secret/name");
    REFS.add(new Ref("Secret", Set.of("ServiceAccount"), "imagePullSecrets/name", null));
    REFS.add(new Ref("Secret", Set.of("ServiceAccount"), "secrets/name", null));
    REFS.add(new Ref("Secret", Set.of("Ingress"), "spec/tls/secretName", null));
    pod("ServiceAccount", "serviceAccountName", "serviceAccount");
    pod("PersistentVolumeClaim", "volumes/persistentVolumeClaim/claimName");
    pod("PriorityClass", "priorityClassName");
    REFS.add(new Ref("PersistentVolume", Set.of("PersistentVolumeClaim"), "spec/volumeName", null));
    REFS.add(
        new Ref("PersistentVolumeClaim", Set.of("PersistentVolume"), "spec/claimRef/name", null));
    for (String p :
        List.of(
            "spec/rules/http/paths/backend/service/name",
            "spec/defaultBackend/service/name",
            "spec/rules/http/paths/backend/serviceName",
            "spec/backend/serviceName")) {
      REFS.add(new Ref("Service", Set.of("Ingress"), p, null));
    }
    REFS.add(new Ref("Service", Set.of("StatefulSet"), "spec/serviceName", null));
    REFS.add(new Ref("Service", Set.of("APIService"), "spec/service/name", null));
    REFS.add(new Ref("Role", Set.of("RoleBinding"), "roleRef/name", "roleRef/kind"));
    REFS.add(
        new Ref(
            "ClusterRole",
            Set.of("RoleBinding", "ClusterRoleBinding"),
            "roleRef/name",
            "roleRef/kind"));
    for (String k : List.of("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")) {
      REFS.add(
          new Ref(
              k,
              Set.of("HorizontalPodAutoscaler"),
              "spec/scaleTargetRef/name",
              "spec/scaleTargetRef/kind"));
    }
  }

  private static final Map<String, List<Ref>> BY_REFERRER = new java.util.HashMap<>();

  static {
    for (Ref r : REFS) {
      for (String k : r.referrerKinds()) {
        BY_REFERRER.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
      }
    }
  }

  private NameReferences() {}

  /**
   * Fixes every reference in {@code all}.
   *
   * @throws PatchException when a reference is ambiguous
   */
  static void fix(List<Res> all) {
    // only renamed objects can be referred to by an old name
    Map<String, List<Res>> renamed = new java.util.HashMap<>();
    for (Res r : all) {
      if (!r.previous.isEmpty()) {
        renamed.computeIfAbsent(r.kind(), x -> new ArrayList<>()).add(r);
      }
    }
    if (renamed.isEmpty()) {
      return;
    }
    for (Res referrer : all) {
      String referrerKind = referrer.kind();
      for (Ref ref : BY_REFERRER.getOrDefault(referrerKind, List.of())) {
        List<Res> candidates = renamed.get(ref.kind());
        if (candidates == null) {
          continue;
        }
        if (ref.kindField() != null) {
          JsonNode k = referrer.body.at("/" + ref.kindField());
          if (!k.isString() || !k.stringValue().equals(ref.kind())) {
            continue;
          }
        }
        ref.spec()
            .forEach(
                referrer.body,
                (parent, field) -> {
                  JsonNode v = parent.get(field);
                  if (v != null && v.isString()) {
                    String newName = newName(candidates, referrer, ref.kind(), v.stringValue());
                    if (newName != null) {
                      parent.put(field, newName);
                    }
                  }
                });
      }
      if (referrerKind.equals("RoleBinding") || referrerKind.equals("ClusterRoleBinding")) {
        fixSubjects(renamed.getOrDefault("ServiceAccount", List.of()), referrer);
      }
    }
  }

  private static void fixSubjects(List<Res> all, Res binding) {
    JsonNode subjects = binding.body.get("subjects");
    if (subjects == null || !subjects.isArray()) {
      return;
    }
    for (JsonNode s : subjects) {
      if (!s.isObject() || !"ServiceAccount".equals(s.path("kind").asString(""))) {
        continue;
      }
      String name = s.path("name").asString("");
      String ns = s.path("namespace").asString("");
      for (Res sa : all) {
        for (Res.Id id : sa.previous) {
          if (id.name().equals(name) && sa.effective(id.namespace()).equals(sa.effective(ns))) {
            ((ObjectNode) s).put("name", sa.name());
            if (!ns.isEmpty() || !sa.namespace().isEmpty()) {
              ((ObjectNode) s).put("namespace", sa.namespace());
            }
            break;
          }
        }
      }
    }
  }

  private static String newName(List<Res> all, Res referrer, String kind, String oldName) {
    List<Res> candidates = new ArrayList<>();
    for (Res r : all) {
      boolean was = false;
      for (Res.Id id : r.previous) {
        if (id.name().equals(oldName)) {
          was = true;
          break;
        }
      }
      if (!was) {
        continue;
      }
      if (!referrer.clusterScoped()
          && !r.clusterScoped()
          && !r.kind().equals("ServiceAccount")
          && !referrer.effectiveNamespace().equals(r.effectiveNamespace())) {
        continue;
      }
      candidates.add(r);
    }
    if (candidates.isEmpty()) {
      return null;
    }
    if (candidates.size() > 1) {
      List<Res> same = new ArrayList<>();
      for (Res r : candidates) {
        if (r.prefixes.equals(referrer.prefixes) && r.suffixes.equals(referrer.suffixes)) {
          same.add(r);
        }
      }
      if (!same.isEmpty()) {
        candidates = same;
      }
    }
    String name = candidates.get(0).name();
    for (Res r : candidates) {
      if (!r.name().equals(name)) {
        throw new PatchException(
            referrer.describe()
                + " refers to "
                + kind
                + " \""
                + oldName
                + "\", which is ambiguous: it could be "
                + candidates.stream().map(Res::describe).toList());
      }
    }
    return name;
  }
}
