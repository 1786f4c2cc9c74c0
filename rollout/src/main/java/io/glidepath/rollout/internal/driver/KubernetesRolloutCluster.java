package io.glidepath.rollout.internal.driver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.RolloutException;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.rollout.internal.Kube;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link RolloutCluster} on a fabric8 client. Status goes to the Rollout object's status (field
 * {@code status.glidepath}, plus Argo's own {@code phase}, {@code currentStepIndex}, {@code
 * currentPodHash}, {@code stableRS}) when an {@code argoproj.io} Rollout of that name exists, else
 * to ConfigMap {@code <name>-rollout-status}.
 */
public final class KubernetesRolloutCluster implements RolloutCluster {
  /** The label that pins selectors to a pod template. */
  public static final String HASH_LABEL = "rollouts-pod-template-hash";

  private static final String ROLLOUT_API = "argoproj.io/v1alpha1";

  private final KubernetesClient client;
  // whether a rollout keeps its status in a Rollout object: asked once, so that persisting a
  // status before acting costs one request
  private final java.util.Map<String, Boolean> inRolloutObject =
      new java.util.concurrent.ConcurrentHashMap<>();

  public KubernetesRolloutCluster(KubernetesClient client) {
    this.client = client;
  }

  /** The ConfigMap holding the status of a rollout without a Rollout object. */
  public static String statusConfigMap(String name) {
    return name + "-rollout-status";
  }

  private Optional<ObjectNode> rolloutObject(String namespace, String name) {
    try {
      return Kube.get(client, ROLLOUT_API, "Rollout", namespace, name);
    } catch (KubernetesClientException e) {
      // no Rollout CRD on this cluster: fall back to the ConfigMap. Any other failure must not
      // look like "no status" (that would make a new revision a first deployment): rethrow
      if (Kube.isNotFound(e)
          || (e.getCode() == 0
              && String.valueOf(e.getMessage()).contains("Could not find the metadata"))) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<RolloutStatus> loadStatus(String namespace, String name) {
    Optional<ObjectNode> rollout = rolloutObject(namespace, name);
    if (rollout.isPresent()) {
      JsonNode s = rollout.get().path("status").path("glidepath");
      return s.isObject() ? Optional.of(RolloutStatus.fromJson(s)) : Optional.empty();
    }
    return Kube.get(client, "v1", "ConfigMap", namespace, statusConfigMap(name))
        .map(cm -> cm.path("data").path("status").asString(""))
        .filter(s -> !s.isEmpty())
        .map(s -> RolloutStatus.fromJson(Yaml.mapper().readTree(s)));
  }

  /** The keys {@link RolloutStatus#toJson()} leaves out when the field is empty. */
  private static final java.util.List<String> OPTIONAL_STATUS_KEYS =
      java.util.List.of(
          "pauseReason",
          "abortedAt",
          "canaryScale",
          "backgroundVerdict",
          "previousStableHash",
          "completedAt");

  @Override
  public void saveStatus(String namespace, String name, RolloutStatus status) {
    boolean inRollout =
        inRolloutObject.computeIfAbsent(
            namespace + "/" + name, k -> rolloutObject(namespace, name).isPresent());
    if (inRollout) {
      ObjectNode patch = Yaml.mapper().createObjectNode();
      ObjectNode s = patch.putObject("status");
      s.put("phase", status.phase().argoName());
      s.put("currentStepIndex", status.stepIndex());
      s.put("currentPodHash", status.canaryHash());
      s.put("stableRS", status.stableHash());
      s.put("abort", status.aborted());
      s.put("message", status.message());
      ObjectNode glidepath = status.toJson();
      // a JSON merge patch keeps every key it does not name: clear the optional fields this status
      // lacks, or a new revision inherits the last one's background verdict, abort time and so on
      for (String key : OPTIONAL_STATUS_KEYS) {
        if (!glidepath.has(key)) {
          glidepath.putNull(key);
        }
      }
      s.set("glidepath", glidepath);
      Kube.mergePatch(client, ROLLOUT_API, "Rollout", namespace, name, patch, true);
      return;
    }
    String cmName = statusConfigMap(name);
    String json = Yaml.toJson(status.toJson());
    ObjectNode patch = Yaml.mapper().createObjectNode();
    patch.putObject("data").put("status", json);
    try {
      Kube.mergePatch(client, "v1", "ConfigMap", namespace, cmName, patch, false);
    } catch (KubernetesClientException e) {
      if (!Kube.isNotFound(e)) {
        throw e;
      }
      ObjectNode cm = Yaml.mapper().createObjectNode();
      cm.put("apiVersion", "v1");
      cm.put("kind", "ConfigMap");
      ObjectNode meta = cm.putObject("metadata");
      meta.put("name", cmName).put("namespace", namespace);
      meta.putObject("labels").put("rollouts.glidepath.io/rollout", name);
      cm.putObject("data").put("status", json);
      Kube.create(client, cm);
    }
  }

  @Override
  public void ensureReplicaSet(
      String namespace,
      String name,
      String hash,
      ObjectNode podTemplate,
      Map<String, String> selector,
      int replicas) {
    String rsName = name + "-" + hash;
    Optional<ObjectNode> existing = Kube.get(client, "apps/v1", "ReplicaSet", namespace, rsName);
    if (existing.isPresent()) {
      if (existing.get().path("spec").path("replicas").asInt(-1) != replicas) {
        ObjectNode patch = Yaml.mapper().createObjectNode();
        patch.putObject("spec").put("replicas", replicas);
        Kube.mergePatch(client, "apps/v1", "ReplicaSet", namespace, rsName, patch, false);
      }
      return;
    }
    ObjectNode rs = Yaml.mapper().createObjectNode();
    rs.put("apiVersion", "apps/v1");
    rs.put("kind", "ReplicaSet");
    ObjectNode meta = rs.putObject("metadata");
    meta.put("name", rsName).put("namespace", namespace);
    ObjectNode labels = meta.putObject("labels");
    selector.forEach(labels::put);
    labels.put(HASH_LABEL, hash);
    ObjectNode spec = rs.putObject("spec");
    spec.put("replicas", replicas);
    ObjectNode match = spec.putObject("selector").putObject("matchLabels");
    selector.forEach(match::put);
    match.put(HASH_LABEL, hash);
    ObjectNode template = podTemplate.deepCopy();
    ObjectNode tmeta =
        template.has("metadata")
            ? (ObjectNode) template.get("metadata")
            : template.putObject("metadata");
    ObjectNode tlabels =
        tmeta.has("labels") ? (ObjectNode) tmeta.get("labels") : tmeta.putObject("labels");
    selector.forEach(tlabels::put);
    tlabels.put(HASH_LABEL, hash);
    spec.set("template", template);
    try {
      Kube.create(client, rs);
    } catch (KubernetesClientException e) {
      if (!Kube.isConflict(e)) {
        throw e;
      }
      ensureReplicaSet(namespace, name, hash, podTemplate, selector, replicas);
    }
  }

  @Override
  public int replicas(String namespace, String name, String hash) {
    return Kube.get(client, "apps/v1", "ReplicaSet", namespace, name + "-" + hash)
        .map(rs -> rs.path("spec").path("replicas").asInt(1))
        .orElse(0);
  }

  @Override
  public int availableReplicas(String namespace, String name, String hash) {
    return Kube.get(client, "apps/v1", "ReplicaSet", namespace, name + "-" + hash)
        .map(
            rs -> {
              // a status for an older generation counts pods of the old size: the new replicas of
              // a scale-up are not available yet, and a scale-down removes unready pods first, so
              // at most the new size of the old available pods are (0 would make the driver take
              // every replica for unready and scale it down past maxUnavailable)
              long observed = rs.path("status").path("observedGeneration").asLong(0);
              long generation = rs.path("metadata").path("generation").asLong(0);
              int available = rs.path("status").path("availableReplicas").asInt(0);
              return observed < generation
                  ? Math.min(available, rs.path("spec").path("replicas").asInt(1))
                  : available;
            })
        .orElse(0);
  }

  @Override
  public void pinService(String namespace, String service, String hash) {
    ObjectNode svc =
        Kube.get(client, "v1", "Service", namespace, service)
            .orElseThrow(
                () ->
                    new RolloutException(
                        "Service " + namespace + "/" + service + " does not exist"));
    if (hash.equals(svc.path("spec").path("selector").path(HASH_LABEL).asString(""))) {
      return;
    }
    ObjectNode patch = Yaml.mapper().createObjectNode();
    patch.putObject("spec").putObject("selector").put(HASH_LABEL, hash);
    ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
    annotations.put("argo-rollouts.argoproj.io/managed-by-rollouts", "true");
    Kube.mergePatch(client, "v1", "Service", namespace, service, patch, false);
  }

  @Override
  public boolean tryAcquireLease(
      String namespace, String name, String holder, Instant now, Duration duration) {
    String leaseName = name + "-rollout";
    String renew = now.truncatedTo(ChronoUnit.MICROS).toString();
    try {
      Optional<ObjectNode> existing =
          Kube.get(client, "coordination.k8s.io/v1", "Lease", namespace, leaseName);
      if (existing.isEmpty()) {
        ObjectNode lease = Yaml.mapper().createObjectNode();
        lease.put("apiVersion", "coordination.k8s.io/v1");
        lease.put("kind", "Lease");
        lease.putObject("metadata").put("name", leaseName).put("namespace", namespace);
        lease
            .putObject("spec")
            .put("holderIdentity", holder)
            .put("leaseDurationSeconds", (int) Math.max(1, duration.toSeconds()))
            .put("acquireTime", renew)
            .put("renewTime", renew);
        Kube.create(client, lease);
        return true;
      }
      ObjectNode lease = existing.get();
      ObjectNode spec = (ObjectNode) lease.path("spec");
      String current = spec.path("holderIdentity").asString("");
      String renewed = spec.path("renewTime").asString("");
      long seconds = spec.path("leaseDurationSeconds").asLong(0);
      boolean expired =
          renewed.isEmpty() || !now.isBefore(Instant.parse(renewed).plusSeconds(seconds));
      if (!current.equals(holder) && !expired) {
        return false;
      }
      if (!current.equals(holder)) {
        spec.put("acquireTime", renew);
      }
      spec.put("holderIdentity", holder);
      spec.put("leaseDurationSeconds", (int) Math.max(1, duration.toSeconds()));
      spec.put("renewTime", renew);
      Kube.update(client, lease);
      return true;
    } catch (KubernetesClientException e) {
      if (Kube.isConflict(e)) {
        return false;
      }
      throw e;
    }
  }
}
