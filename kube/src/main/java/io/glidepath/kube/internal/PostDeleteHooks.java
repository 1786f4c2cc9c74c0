package io.glidepath.kube.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.app.Application;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.project.ProjectGuard;
import io.glidepath.core.project.ProjectVerdict;
import io.glidepath.core.project.ProjectViolation;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.Hook;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.kube.apply.ApplyReport;
import io.glidepath.kube.apply.ApplyResult;
import io.glidepath.kube.apply.PropagationPolicy;
import io.glidepath.kube.apply.Pruner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Argo CD's {@code PostDelete} hooks (Argo CD 2.10+; Helm's {@code post-delete} hooks map to them):
 * while an app renders any, its Application object carries {@code
 * post-delete-finalizer.argocd.argoproj.io} and {@code .../cleanup}; once the object is being
 * deleted and its resources are gone, the hooks are created (with the app's tracking id), waited on
 * until none is Progressing (a failed hook does not hold the deletion, as in Argo CD), and the
 * first finalizer removed; then the hooks are deleted by their delete policies ({@code
 * HookSucceeded} when every hook is Healthy, {@code HookFailed} when one is Degraded) and, once
 * gone, the cleanup finalizer removed.
 *
 * <p>Each call is one pass; the controller calls again until a pass says it is done. Hooks the
 * app's project does not permit, and hooks with only {@code generateName}, are not created and
 * named in the pass's message.
 */
final class PostDeleteHooks {
  /** Argo CD's finalizer that holds an Application until its PostDelete hooks have run. */
  static final String FINALIZER = "post-delete-finalizer.argocd.argoproj.io";

  /** Argo CD's finalizer that holds an Application until its PostDelete hooks are cleaned up. */
  static final String CLEANUP_FINALIZER = FINALIZER + "/cleanup";

  /**
   * What one pass did.
   *
   * @param done whether this stage is over (its finalizer may go)
   * @param message what happened, for the app's status
   */
  record Pass(boolean done, String message) {}

  private final DefaultKubeCluster cluster;
  private final ProjectGuard guard;
  private final HealthAssessor health;

  PostDeleteHooks(DefaultKubeCluster cluster, ProjectGuard guard, HealthAssessor health) {
    this.cluster = cluster;
    this.guard = guard;
    this.health = health;
  }

  /** Whether {@code r} is a PostDelete hook (a hook with bad annotations is not). */
  static boolean isPostDeleteHook(Resource r) {
    try {
      return Hook.of(r).map(h -> h.deletion().contains("PostDelete")).orElse(false);
    } catch (GlidepathException e) {
      return false;
    }
  }

  /** Whether any of {@code resources} is a PostDelete hook. */
  static boolean any(ResourceSet resources) {
    for (Resource r : resources) {
      if (isPostDeleteHook(r)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the object carries {@code finalizer}. */
  static boolean holds(JsonNode object, String finalizer) {
    for (JsonNode f : object.path("metadata").path("finalizers")) {
      if (f.asString("").equals(finalizer)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One pass of running the hooks: creates those of {@code desired} (placed in their namespaces)
   * that are not live; when none had to be created, done once no live hook is Progressing.
   */
  Pass run(Application app, ResourceSet desired) {
    Map<ResourceKey, Resource> live = liveHooks(app);
    List<Resource> missing = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (Resource r : desired) {
      if (!isPostDeleteHook(r) || live.containsKey(r.key())) {
        continue;
      }
      if (r.name().isEmpty()) {
        left.add(r.key() + " has only generateName (not supported for PostDelete hooks)");
      } else {
        missing.add(r);
      }
    }
    if (!missing.isEmpty()) {
      ProjectVerdict verdict = guard.checkResources(app, ResourceSet.of(missing));
      for (ProjectViolation v : verdict.violations()) {
        if (v.resource().isPresent()) {
          missing.removeIf(r -> r.key().equals(v.resource().get()));
          left.add(v.message());
        } else if (v.rule().equals("destinations") || v.rule().equals("project")) {
          return new Pass(true, "PostDelete hooks not created: " + v.message());
        }
        // sourceRepos and sourceNamespaces concern syncing, not deleting (as in Argo CD)
      }
    }
    String notCreated = left.isEmpty() ? "" : "; not created: " + String.join("; ", left);
    if (!missing.isEmpty()) {
      ApplyOptions options =
          ApplyOptions.builder()
              .namespace(app.destinationNamespace().filter(ns -> !ns.isBlank()).orElse("default"))
              .build();
      ApplyReport report = Applier.of(cluster, options).apply(app.name(), missing);
      List<String> failed = new ArrayList<>();
      for (ApplyResult r : report.results()) {
        if (!r.outcome().succeeded()) {
          failed.add(r.key() + ": " + r.message());
        }
      }
      if (!failed.isEmpty()) {
        return new Pass(
            false,
            "PostDelete hooks could not be created: " + String.join("; ", failed) + notCreated);
      }
      return new Pass(false, "created " + missing.size() + " PostDelete hook(s)" + notCreated);
    }
    int progressing = 0;
    for (Resource r : live.values()) {
      HealthStatus s = health.assess(r).map(Health::status).orElse(HealthStatus.HEALTHY);
      if (s == HealthStatus.PROGRESSING) {
        progressing++;
      }
    }
    if (progressing > 0) {
      return new Pass(
          false, "waiting for " + progressing + " PostDelete hook(s) to complete" + notCreated);
    }
    return new Pass(true, live.size() + " PostDelete hook(s) completed" + notCreated);
  }

  /**
   * One pass of cleaning up: deletes the live hooks whose delete policy matches the hooks' worst
   * health ({@code HookSucceeded}: all Healthy, {@code HookFailed}: one Degraded); done once none
   * of them is left.
   */
  Pass cleanup(Application app) {
    Map<ResourceKey, Resource> live = liveHooks(app);
    boolean degraded = false;
    boolean healthy = true;
    for (Resource r : live.values()) {
      HealthStatus s = health.assess(r).map(Health::status).orElse(HealthStatus.HEALTHY);
      degraded |= s == HealthStatus.DEGRADED;
      healthy &= s == HealthStatus.HEALTHY;
    }
    List<ResourceKey> toDelete = new ArrayList<>();
    int pending = 0;
    for (Resource r : live.values()) {
      List<String> policies = Hook.of(r).map(Hook::deletePolicies).orElse(List.of());
      if (policies.contains("HookSucceeded") && healthy
          || policies.contains("HookFailed") && degraded) {
        pending++;
        if (!ApplicationDeletion.deleting(r.body())) {
          toDelete.add(r.key());
        }
      }
    }
    if (pending == 0) {
      return new Pass(true, "PostDelete hooks cleaned up");
    }
    Pruner.of(cluster, PropagationPolicy.FOREGROUND).prune(app.name(), toDelete);
    return new Pass(false, "waiting for " + pending + " PostDelete hook(s) to be deleted");
  }

  private Map<ResourceKey, Resource> liveHooks(Application app) {
    Map<ResourceKey, Resource> out = new LinkedHashMap<>();
    for (Resource r : cluster.liveState(app.name())) {
      if (isPostDeleteHook(r)) {
        out.put(r.key(), r);
      }
    }
    return out;
  }
}
