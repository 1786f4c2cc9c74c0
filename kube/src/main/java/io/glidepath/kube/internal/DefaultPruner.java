package io.glidepath.kube.internal;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.KubeException;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.apply.PropagationPolicy;
import io.glidepath.kube.apply.PruneResult;
import io.glidepath.kube.apply.PruneResult.Outcome;
import io.glidepath.kube.apply.Pruner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** The {@link Pruner} implementation. */
public final class DefaultPruner implements Pruner {
  private final DefaultKubeCluster cluster;
  private final PropagationPolicy policy;
  private final boolean dryRun;

  public DefaultPruner(KubeCluster cluster, PropagationPolicy policy, boolean dryRun) {
    this.cluster = DefaultKubeCluster.cast(Objects.requireNonNull(cluster, "cluster"));
    this.policy = Objects.requireNonNull(policy, "policy");
    this.dryRun = dryRun;
  }

  @Override
  public List<PruneResult> prune(String app, List<ResourceKey> candidates) {
    Objects.requireNonNull(app, "app");
    List<PruneResult> results = new ArrayList<>();
    for (ResourceKey key : candidates) {
      results.add(pruneOne(app, key));
    }
    return results;
  }

  private PruneResult pruneOne(String app, ResourceKey key) {
    Optional<Resource> live;
    ResourceType type;
    try {
      type = cluster.typeOf(key);
      live = cluster.get(key);
    } catch (KubeException e) {
      return new PruneResult(key, Outcome.FAILED, e.getMessage());
    }
    if (live.isEmpty()) {
      return new PruneResult(key, Outcome.SKIPPED, "already gone");
    }
    Resource r = live.get();
    if (!TrackingId.owns(app, r)) {
      return new PruneResult(
          key, Outcome.SKIPPED, "not owned by app '" + app + "' (no matching tracking id)");
    }
    if (pruneDisabled(r)) {
      return new PruneResult(key, Outcome.SKIPPED, "Prune=false");
    }
    String uid = r.body().path("metadata").path("uid").asString("");
    // under sharding (a write fence): the resourceVersion read before the fencing check too, so a
    // delete that arrives after another replica took the app over and changed the object is refused
    String version =
        WriteFence.current().isPresent() && !dryRun
            ? r.body().path("metadata").path("resourceVersion").asString("")
            : "";
    ObjectNode preconditions = Yaml.mapper().createObjectNode();
    if (!uid.isEmpty()) {
      preconditions.put("uid", uid);
    }
    if (!version.isEmpty()) {
      preconditions.put("resourceVersion", version);
    }
    ObjectNode deleteOptions = Yaml.mapper().createObjectNode();
    deleteOptions.put("kind", "DeleteOptions");
    deleteOptions.put("apiVersion", "v1");
    deleteOptions.put("propagationPolicy", policy.apiValue());
    if (!preconditions.isEmpty()) {
      deleteOptions.set("preconditions", preconditions);
    }
    String options = Yaml.toJson(deleteOptions);
    KubeApi.Answer a =
        cluster
            .api()
            .send(
                "DELETE",
                type.itemPath(key.namespace(), key.name()) + (dryRun ? "?dryRun=All" : ""),
                "application/json",
                options,
                key);
    if (a.code() == 404) {
      return new PruneResult(key, Outcome.SKIPPED, "already gone");
    }
    if (!a.ok()) {
      return new PruneResult(
          key,
          Outcome.FAILED,
          "delete failed (" + a.code() + " " + a.reason() + "): " + a.message());
    }
    return new PruneResult(
        key,
        Outcome.PRUNED,
        (dryRun ? "would be deleted" : "deleted") + " with propagation " + policy.apiValue());
  }

  private static boolean pruneDisabled(Resource r) {
    String options = r.annotations().getOrDefault(Pruner.SYNC_OPTIONS, "");
    for (String option : options.split(",")) {
      if (option.trim().equalsIgnoreCase("Prune=false")) {
        return true;
      }
    }
    return false;
  }
}
