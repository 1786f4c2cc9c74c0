package io.glidepath.kube.internal;

import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.sync.SyncAction;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.kube.sync.SyncResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An app's status kept in its Argo CD {@code Application} object ({@code argoproj.io/v1alpha1}), in
 * Argo CD's shape: {@code status.sync}, {@code status.health}, {@code status.operationState} (the
 * last sync: phase, message, times, a result per resource), {@code status.history} (successful
 * syncs: revision, deployedAt, id), {@code status.resources} (each resource of the app with its
 * sync status and health, or {@code requiresPruning}) and {@code status.reconciledAt}. Used only
 * when the cluster serves the kind and the object exists: the controller never creates an
 * Application (an Argo CD running in the same cluster would then sync it too).
 */
final class ApplicationObjectStatus {
  static final String GROUP = "argoproj.io";
  static final String KIND = "Application";
  private static final int HISTORY = 10;

  /** What a restarted controller needs from a stored status. */
  record Loaded(String lastAttempted, String lastSynced, String syncStatus, String health) {}

  private final DefaultKubeCluster cluster;
  private final ResourceKey key;

  ApplicationObjectStatus(DefaultKubeCluster cluster, String namespace, String name) {
    this.cluster = cluster;
    this.key = new ResourceKey(GROUP, KIND, namespace, name);
  }

  ResourceKey key() {
    return key;
  }

  /** The type, when discovery (cached) lists it. */
  private Optional<ResourceType> type() {
    return cluster.resourceTypes().stream()
        .filter(t -> t.group().equals(GROUP) && t.kind().equals(KIND))
        .findFirst();
  }

  /** The Application object, when the cluster serves the kind and the object exists. */
  Optional<Resource> find() {
    if (type().isEmpty()) {
      return Optional.empty();
    }
    return cluster.get(key);
  }

  /** Reads what a restarted controller needs; empty when the status holds no sync yet. */
  static Optional<Loaded> load(Resource application) {
    JsonNode status = application.body().path("status");
    JsonNode op = status.path("operationState");
    ArrayNode history = status.path("history") instanceof ArrayNode a ? a : null;
    if (op.isMissingNode() && (history == null || history.isEmpty())) {
      return Optional.empty();
    }
    String attempted = op.path("operation").path("sync").path("revision").asString("");
    if (attempted.isEmpty()) {
      attempted = op.path("syncResult").path("revision").asString("");
    }
    String synced =
        history == null || history.isEmpty()
            ? ""
            : history.get(history.size() - 1).path("revision").asString("");
    return Optional.of(
        new Loaded(
            attempted,
            synced,
            status.path("sync").path("status").asString(""),
            status.path("health").path("status").asString("")));
  }

  /**
   * The status after a sync of {@code revision}: operation state from {@code result}, a history
   * entry when it succeeded (ids count up, the last ten kept).
   */
  static ObjectNode afterSync(
      Resource application,
      String revision,
      SyncResult result,
      String syncStatus,
      String health,
      Instant now) {
    ObjectNode status = observed(revision, syncStatus, health, now);
    ObjectNode op = status.putObject("operationState");
    ObjectNode operation = op.putObject("operation");
    operation.putObject("sync").put("revision", revision);
    operation.putObject("initiatedBy").put("automated", true);
    op.put("phase", result.succeeded() ? "Succeeded" : "Failed");
    op.put("message", result.succeeded() ? "successfully synced" : result.message());
    op.put("startedAt", result.startedAt().toString());
    op.put("finishedAt", result.finishedAt().toString());
    op.put("retryCount", result.attempts() - 1);
    ObjectNode syncResult = op.putObject("syncResult");
    syncResult.put("revision", revision);
    ArrayNode resources = syncResult.putArray("resources");
    for (ResourceResult r : result.resources()) {
      ObjectNode n = resources.addObject();
      n.put("group", r.key().group());
      n.put("kind", r.key().kind());
      n.put("namespace", r.key().namespace());
      n.put("name", r.key().name());
      n.put(
          "status",
          switch (r.code()) {
            case SYNCED -> "Synced";
            case SYNC_FAILED -> "SyncFailed";
            case PRUNED -> "Pruned";
            case PRUNE_SKIPPED -> "PruneSkipped";
          });
      n.put("message", r.message());
      n.put("syncPhase", r.phase().displayName());
      if (r.action() == SyncAction.HOOK) {
        n.put("hookType", r.phase().displayName());
        n.put(
            "hookPhase",
            r.code() == io.glidepath.kube.sync.ResultCode.SYNCED ? "Succeeded" : "Failed");
      }
    }
    ArrayNode history =
        application.body().path("status").path("history") instanceof ArrayNode a
            ? a.deepCopy()
            : Yaml.mapper().createArrayNode();
    if (result.succeeded()) {
      long id = 0;
      for (JsonNode h : history) {
        id = Math.max(id, h.path("id").asLong(0));
      }
      ObjectNode entry = history.addObject();
      entry.put("revision", revision);
      entry.put("deployStartedAt", result.startedAt().toString());
      entry.put("deployedAt", result.finishedAt().toString());
      entry.put("id", id + 1);
    }
    while (history.size() > HISTORY) {
      history.remove(0);
    }
    status.set("history", history);
    return status;
  }

  /**
   * The health of each resource Git names (a missing one is Missing), assessed once per comparison;
   * the app's health is the worst of them, as in Argo CD.
   */
  static Map<ResourceKey, HealthStatus> health(DriftReport drift, HealthAssessor assessor) {
    Map<ResourceKey, HealthStatus> out = new LinkedHashMap<>();
    for (ResourceDrift d : drift.resources()) {
      if (d.desired().isPresent()) {
        out.put(
            d.key(), d.live().map(r -> assessor.assess(r).status()).orElse(HealthStatus.MISSING));
      }
    }
    return out;
  }

  /**
   * Argo CD's {@code status.resources}: per resource of the comparison, its group, version, kind,
   * namespace and name, {@code status} Synced or OutOfSync, and its health (as the caller assessed
   * it, by key); a resource only the cluster still has (gone from Git) carries {@code
   * requiresPruning: true} instead of a health.
   */
  static ArrayNode resources(DriftReport drift, Map<ResourceKey, HealthStatus> health) {
    ArrayNode out = Yaml.mapper().createArrayNode();
    for (ResourceDrift d : drift.resources()) {
      Resource r = d.desired().or(d::live).orElseThrow();
      ObjectNode n = out.addObject();
      n.put("group", d.key().group());
      n.put("version", r.version());
      n.put("kind", d.key().kind());
      if (!d.key().namespace().isEmpty()) {
        n.put("namespace", d.key().namespace());
      }
      n.put("name", d.key().name());
      n.put("status", d.status() == DriftStatus.SYNCED ? "Synced" : "OutOfSync");
      if (d.desired().isEmpty()) {
        n.put("requiresPruning", true);
      } else {
        n.putObject("health")
            .put("status", health.getOrDefault(d.key(), HealthStatus.UNKNOWN).displayName());
      }
    }
    return out;
  }

  /**
   * The observed part of a status: sync status and revision, health, the resources (when known) and
   * reconciledAt.
   */
  static ObjectNode observed(
      String revision, String syncStatus, String health, ArrayNode resources, Instant now) {
    ObjectNode status = observed(revision, syncStatus, health, now);
    if (resources != null) {
      status.set("resources", resources.deepCopy());
    }
    return status;
  }

  /** The observed part of a status: sync status and revision, health, reconciledAt. */
  static ObjectNode observed(String revision, String syncStatus, String health, Instant now) {
    ObjectNode status = Yaml.mapper().createObjectNode();
    ObjectNode sync = status.putObject("sync");
    sync.put("status", syncStatus);
    sync.put("revision", revision);
    status.putObject("health").put("status", health);
    status.put("reconciledAt", now.toString());
    return status;
  }

  /**
   * Merge-patches {@code status} into the object: through the status subresource, or the object
   * itself when the CRD has none (Argo CD's own CRD does not declare one). Returns a problem for
   * the status message, or "".
   */
  String write(ObjectNode status) {
    ResourceType type = cluster.typeOf(key);
    ObjectNode patch = Yaml.mapper().createObjectNode();
    patch.set("status", status);
    String body = Yaml.toJson(patch);
    String path = type.itemPath(key.namespace(), key.name());
    KubeApi.Answer a =
        cluster.api().send("PATCH", path + "/status", "application/merge-patch+json", body, key);
    if (a.code() == 404 || a.code() == 405) {
      a = cluster.api().send("PATCH", path, "application/merge-patch+json", body, key);
    }
    return a.ok()
        ? ""
        : "status not saved in " + key + " (" + a.code() + " " + a.reason() + "): " + a.message();
  }
}
