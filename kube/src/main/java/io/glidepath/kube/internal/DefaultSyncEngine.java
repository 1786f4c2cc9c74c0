package io.glidepath.kube.internal;

import io.glidepath.core.app.Retry;
import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.sync.SyncAction;
import io.glidepath.core.sync.SyncPhase;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.core.sync.SyncStep;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.KubeException;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.kube.apply.ApplyReport;
import io.glidepath.kube.apply.ApplyResult;
import io.glidepath.kube.apply.PropagationPolicy;
import io.glidepath.kube.apply.PruneResult;
import io.glidepath.kube.apply.Pruner;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.kube.sync.ResultCode;
import io.glidepath.kube.sync.Sleeper;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.kube.sync.SyncListener;
import io.glidepath.kube.sync.SyncResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@link SyncEngine} implementation. */
public final class DefaultSyncEngine implements SyncEngine {
  private static final String BEFORE_HOOK_CREATION = "BeforeHookCreation";
  private static final String HOOK_SUCCEEDED = "HookSucceeded";
  private static final String HOOK_FAILED = "HookFailed";

  /** Label naming the generateName hook an object was created for (a digest; see hookId). */
  static final String HOOK_LABEL = "glidepath.io/hook";

  private final KubeCluster cluster;
  private final HealthAssessor health;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration pollInterval;
  private final Duration waveTimeout;
  private final SyncListener listener;

  public DefaultSyncEngine(
      KubeCluster cluster,
      HealthAssessor health,
      Clock clock,
      Sleeper sleeper,
      Duration pollInterval,
      Duration waveTimeout,
      SyncListener listener) {
    this.cluster = cluster;
    this.health = health;
    this.clock = clock;
    this.sleeper = sleeper;
    this.pollInterval = pollInterval;
    this.waveTimeout = waveTimeout;
    this.listener = listener;
  }

  @Override
  public SyncResult sync(String app, SyncPlan plan) {
    return sync(app, plan, new Retry(0, Retry.Backoff.DEFAULT));
  }

  @Override
  public SyncResult sync(String app, SyncPlan plan, Retry retry) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(retry, "retry");
    Instant started = clock.instant();
    int attempt = 0;
    while (true) {
      attempt++;
      Attempt a = runOnce(app, plan);
      boolean exhausted = retry.limit() >= 0 && attempt > retry.limit();
      if (a.failure == null || exhausted) {
        return new SyncResult(
            a.failure == null,
            a.failure == null ? "" : a.failure,
            attempt,
            started,
            clock.instant(),
            a.results);
      }
      listener.retrying(attempt, a.failure);
      try {
        sleeper.sleep(retry.backoff().delay(attempt - 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new SyncResult(
            false,
            "interrupted while waiting to retry",
            attempt,
            started,
            clock.instant(),
            a.results);
      }
    }
  }

  private static final class Attempt {
    final List<ResourceResult> results = new ArrayList<>();
    String failure;
  }

  private Attempt runOnce(String app, SyncPlan plan) {
    Attempt a = new Attempt();
    a.failure = invalidTasks(plan, a.results);
    if (a.failure != null) {
      return a; // as Argo CD: nothing runs, SyncFail hooks neither
    }
    List<Map.Entry<SyncPhase, Map.Entry<Integer, List<SyncStep>>>> all = new ArrayList<>();
    for (SyncPhase phase : List.of(SyncPhase.PRE_SYNC, SyncPhase.SYNC, SyncPhase.POST_SYNC)) {
      for (Map.Entry<Integer, List<SyncStep>> wave : waves(plan.steps(phase)).entrySet()) {
        all.add(Map.entry(phase, wave));
      }
    }
    for (int i = 0; i < all.size() && a.failure == null; i++) {
      SyncPhase phase = all.get(i).getKey();
      Map.Entry<Integer, List<SyncStep>> wave = all.get(i).getValue();
      listener.waveStarted(phase, wave.getKey());
      // as in Argo CD, a wave must be healthy before the next one; the last one need not be
      boolean more = i < all.size() - 1;
      a.failure = runWave(app, plan, wave.getValue(), a.results, more);
    }
    if (a.failure != null) {
      for (Map.Entry<Integer, List<SyncStep>> wave :
          waves(plan.steps(SyncPhase.SYNC_FAIL)).entrySet()) {
        listener.waveStarted(SyncPhase.SYNC_FAIL, wave.getKey());
        runWave(app, plan, wave.getValue(), a.results, false);
      }
    }
    return a;
  }

  /**
   * Argo CD's check of a sync's tasks before anything is written: the kind of every resource and
   * hook to apply, in every phase, must be served by the cluster, be defined by a
   * CustomResourceDefinition of the plan, or carry {@code SkipDryRunOnMissingResource=true} (app or
   * resource). Each that is not fails with its reason, and so does the sync; null when all pass.
   */
  private String invalidTasks(SyncPlan plan, List<ResourceResult> results) {
    List<SyncStep> steps = new ArrayList<>();
    for (SyncPhase phase : SyncPhase.values()) {
      steps.addAll(plan.steps(phase));
    }
    Set<String> definedByPlan =
        DefaultApplier.crdKinds(
            steps.stream()
                .filter(s -> s.action() != SyncAction.PRUNE)
                .map(SyncStep::resource)
                .toList());
    Map<String, Boolean> served = new HashMap<>();
    boolean invalid = false;
    for (SyncStep s : steps) {
      Resource r = s.resource();
      String groupKind = r.group() + "/" + r.kind();
      if (s.action() == SyncAction.PRUNE
          || definedByPlan.contains(groupKind)
          || s.options().skipDryRunOnMissingResource()) {
        continue;
      }
      if (!served.computeIfAbsent(
          groupKind, k -> cluster.resourceType(r.group(), r.kind()).isPresent())) {
        done(
            results,
            s,
            ResultCode.SYNC_FAILED,
            "the cluster does not serve "
                + r.apiVersion()
                + " "
                + r.kind()
                + " and the plan defines no CustomResourceDefinition for it");
        invalid = true;
      }
    }
    return invalid ? "one or more synchronization tasks are not valid" : null;
  }

  private static TreeMap<Integer, List<SyncStep>> waves(List<SyncStep> steps) {
    TreeMap<Integer, List<SyncStep>> waves = new TreeMap<>();
    for (SyncStep s : steps) {
      waves.computeIfAbsent(s.wave(), w -> new ArrayList<>()).add(s);
    }
    return waves;
  }

  /** Runs one wave; returns why it failed, or null. */
  private String runWave(
      String app,
      SyncPlan plan,
      List<SyncStep> steps,
      List<ResourceResult> results,
      boolean waitForHealth) {
    String failure = null;
    Map<String, List<SyncStep>> applyGroups = new LinkedHashMap<>();
    Map<String, ApplyOptions> optionsByGroup = new LinkedHashMap<>();
    List<ResourceKey> applied = new ArrayList<>();
    for (SyncStep s : steps) {
      if (s.action() == SyncAction.APPLY) {
        ApplyOptions o = applyOptions(s.options(), plan);
        applyGroups.computeIfAbsent(o.toString(), k -> new ArrayList<>()).add(s);
        optionsByGroup.putIfAbsent(o.toString(), o);
      }
    }
    for (Map.Entry<String, List<SyncStep>> group : applyGroups.entrySet()) {
      List<SyncStep> groupSteps = group.getValue();
      ApplyReport report =
          Applier.of(cluster, optionsByGroup.get(group.getKey()))
              .apply(app, groupSteps.stream().map(SyncStep::resource).toList());
      for (int i = 0; i < groupSteps.size(); i++) {
        SyncStep s = groupSteps.get(i);
        ApplyResult r = resultFor(report, s, i);
        boolean ok = r.outcome().succeeded();
        done(results, s, ok ? ResultCode.SYNCED : ResultCode.SYNC_FAILED, r.message());
        if (ok) {
          applied.add(r.key());
        } else if (failure == null) {
          failure = "apply of " + r.key() + " failed: " + r.message();
        }
      }
    }
    for (SyncStep s : steps) {
      if (s.action() == SyncAction.HOOK && failure == null) {
        failure = runHook(app, plan, s, results);
      }
    }
    for (SyncStep s : steps) {
      if (s.action() == SyncAction.PRUNE) {
        PropagationPolicy policy = PropagationPolicy.parse(s.options().prunePropagationPolicy());
        PruneResult r = Pruner.of(cluster, policy).prune(app, List.of(s.key())).get(0);
        ResultCode code =
            switch (r.outcome()) {
              case PRUNED -> ResultCode.PRUNED;
              case SKIPPED -> ResultCode.PRUNE_SKIPPED;
              case FAILED -> ResultCode.SYNC_FAILED;
            };
        done(results, s, code, r.message());
        if (code == ResultCode.SYNC_FAILED && failure == null) {
          failure = "prune of " + s.key() + " failed: " + r.message();
        }
      }
    }
    if (failure != null || !waitForHealth) {
      return failure;
    }
    return waitHealthy(applied);
  }

  /** The report's result for the i-th resource of a group (namespaces it created come first). */
  private static ApplyResult resultFor(ApplyReport report, SyncStep step, int index) {
    for (ApplyResult r : report.results()) {
      if (r.key().name().equals(step.key().name())
          && r.key().kind().equals(step.key().kind())
          && r.key().group().equals(step.key().group())
          && (step.key().namespace().isEmpty()
              || r.key().namespace().equals(step.key().namespace()))) {
        return r;
      }
    }
    return report.results().get(Math.min(index, report.results().size() - 1));
  }

  private String runHook(String app, SyncPlan plan, SyncStep hook, List<ResourceResult> results) {
    List<String> policies =
        hook.hookDeletePolicies().isEmpty()
            ? List.of(BEFORE_HOOK_CREATION)
            : hook.hookDeletePolicies();
    Pruner deleter = Pruner.of(cluster, PropagationPolicy.FOREGROUND);
    if (hook.resource().name().isEmpty()) {
      return runGeneratedHook(app, plan, hook, results, policies, deleter);
    }
    if (policies.contains(BEFORE_HOOK_CREATION)) {
      deleter.prune(app, List.of(hook.key()));
    }
    ApplyReport report =
        Applier.of(cluster, applyOptions(hook.options(), plan))
            .apply(app, List.of(hook.resource()));
    ApplyResult created = report.results().get(report.results().size() - 1);
    if (!created.outcome().succeeded()) {
      done(results, hook, ResultCode.SYNC_FAILED, created.message());
      return "hook " + hook.key() + " could not be created: " + created.message();
    }
    String failure = waitHealthy(List.of(created.key()));
    if (failure == null && policies.contains(HOOK_SUCCEEDED)) {
      deleter.prune(app, List.of(created.key()));
    }
    if (failure != null && policies.contains(HOOK_FAILED)) {
      deleter.prune(app, List.of(created.key()));
    }
    done(
        results,
        hook,
        failure == null ? ResultCode.SYNCED : ResultCode.SYNC_FAILED,
        failure == null ? "hook completed" : failure);
    return failure;
  }

  /**
   * Runs a hook that has only {@code metadata.generateName}: created with it (POST), marked with a
   * label naming the hook so that the next run's BeforeHookCreation finds and deletes this run's
   * object, tracked by the name the server returns, waited for and deleted per its policies.
   */
  private String runGeneratedHook(
      String app,
      SyncPlan plan,
      SyncStep hook,
      List<ResourceResult> results,
      List<String> policies,
      Pruner deleter) {
    DefaultKubeCluster c = DefaultKubeCluster.cast(cluster);
    Resource r = hook.resource();
    ResourceType type;
    try {
      type = c.typeOf(hook.key());
    } catch (KubeException e) {
      done(results, hook, hook.key(), ResultCode.SYNC_FAILED, e.getMessage());
      return "hook " + hook.key() + " could not be created: " + e.getMessage();
    }
    String namespace = type.namespaced() ? r.namespace().orElse("default") : "";
    String generateName = r.body().path("metadata").path("generateName").asString("");
    String hookId = hookId(app, hook, namespace, generateName);
    if (policies.contains(BEFORE_HOOK_CREATION)) {
      List<ResourceKey> previous = new ArrayList<>();
      String selector = URLEncoder.encode(HOOK_LABEL + "=" + hookId, StandardCharsets.UTF_8);
      KubeApi.Answer listed =
          c.api()
              .send(
                  "GET",
                  type.collectionPath(namespace) + "?labelSelector=" + selector,
                  null,
                  null,
                  null);
      if (listed.ok()) {
        for (JsonNode item : listed.body().path("items")) {
          String name = item.path("metadata").path("name").asString("");
          if (!name.isEmpty()) {
            previous.add(new ResourceKey(type.group(), type.kind(), namespace, name));
          }
        }
      }
      // only objects carrying this app's tracking id for themselves are deleted
      deleter.prune(app, previous);
    }
    ApplyOptions options = applyOptions(hook.options(), plan);
    if (type.namespaced() && options.createNamespace()) {
      createNamespaceIfMissing(c, namespace, options);
    }
    ObjectNode body = r.bodyCopy();
    ObjectNode meta = body.withObjectProperty("metadata");
    meta.remove("name");
    if (type.namespaced()) {
      meta.put("namespace", namespace);
    }
    meta.withObjectProperty("labels").put(HOOK_LABEL, hookId);
    KubeApi.Answer created =
        c.api()
            .send(
                "POST",
                type.collectionPath(namespace),
                "application/json",
                Yaml.toJson(body),
                hook.key());
    String name = created.body().path("metadata").path("name").asString("");
    if (!created.ok() || name.isEmpty()) {
      String why =
          KubeApi.failure(created, "create of hook " + generateName + "*", hook.key()).getMessage();
      done(results, hook, hook.key(), ResultCode.SYNC_FAILED, why);
      return "hook " + hook.key() + " could not be created: " + why;
    }
    ResourceKey key = new ResourceKey(type.group(), type.kind(), namespace, name);
    ObjectNode mark = Yaml.mapper().createObjectNode();
    mark.withObjectProperty("metadata")
        .withObjectProperty("annotations")
        .put(TrackingId.ANNOTATION, TrackingId.of(app, key).value());
    KubeApi.Answer marked =
        c.api()
            .send(
                "PATCH",
                type.itemPath(namespace, name),
                "application/merge-patch+json",
                Yaml.toJson(mark),
                key);
    if (!marked.ok()) {
      String why = KubeApi.failure(marked, "tracking id of hook " + key, key).getMessage();
      done(results, hook, key, ResultCode.SYNC_FAILED, why);
      return "hook " + key + " could not be marked: " + why;
    }
    String failure = waitHealthy(List.of(key));
    if (failure == null && policies.contains(HOOK_SUCCEEDED)) {
      deleter.prune(app, List.of(key));
    }
    if (failure != null && policies.contains(HOOK_FAILED)) {
      deleter.prune(app, List.of(key));
    }
    done(
        results,
        hook,
        key,
        failure == null ? ResultCode.SYNCED : ResultCode.SYNC_FAILED,
        failure == null ? "hook completed" : failure);
    return failure;
  }

  /**
   * CreateNamespace for a hook created by POST (the Applier creates namespaces only for what it
   * applies): a PreSync hook may be the first object of a new namespace.
   */
  private static void createNamespaceIfMissing(
      DefaultKubeCluster c, String namespace, ApplyOptions options) {
    ResourceKey key = new ResourceKey("", "Namespace", "", namespace);
    if (c.get(key).isPresent()) {
      return;
    }
    ObjectNode ns = Yaml.mapper().createObjectNode();
    ns.put("apiVersion", "v1");
    ns.put("kind", "Namespace");
    ObjectNode meta = ns.putObject("metadata");
    meta.put("name", namespace);
    if (!options.namespaceLabels().isEmpty()) {
      options.namespaceLabels().forEach(meta.withObjectProperty("labels")::put);
    }
    if (!options.namespaceAnnotations().isEmpty()) {
      options.namespaceAnnotations().forEach(meta.withObjectProperty("annotations")::put);
    }
    // 409 AlreadyExists: someone created it meanwhile, which is as good
    c.api()
        .send("POST", c.typeOf(key).collectionPath(""), "application/json", Yaml.toJson(ns), key);
  }

  /** A label value naming one generateName hook of one app (stable across syncs). */
  private static String hookId(String app, SyncStep hook, String namespace, String generateName) {
    String identity =
        app
            + "/"
            + hook.key().group()
            + "/"
            + hook.key().kind()
            + "/"
            + namespace
            + "/"
            + generateName
            + "/"
            + hook.phase().displayName();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public HealthAssessor health() {
    return health;
  }

  /** Polls until every key is healthy; returns why not, or null. */
  private String waitHealthy(List<ResourceKey> keys) {
    if (keys.isEmpty()) {
      return null;
    }
    Instant deadline = clock.instant().plus(waveTimeout);
    while (true) {
      String pending = null;
      for (ResourceKey key : keys) {
        Health h;
        try {
          Optional<Resource> live = cluster.get(key);
          // a kind without health does not hold a wave back, as in Argo CD
          h =
              live.isPresent()
                  ? health.assess(live.get()).orElse(Health.healthy())
                  : Health.of(HealthStatus.MISSING, "the resource does not exist");
        } catch (KubeException e) {
          h = Health.of(HealthStatus.UNKNOWN, e.getMessage());
        }
        if (h.status() == HealthStatus.DEGRADED) {
          return key + " is Degraded: " + h.message();
        }
        if (h.status() != HealthStatus.HEALTHY && h.status() != HealthStatus.SUSPENDED) {
          pending = key + " is " + h.status().displayName() + ": " + h.message();
          break;
        }
      }
      if (pending == null) {
        return null;
      }
      if (!clock.instant().isBefore(deadline)) {
        return "timed out after " + waveTimeout + " waiting for health: " + pending;
      }
      try {
        sleeper.sleep(pollInterval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for health: " + pending;
      }
    }
  }

  private void done(List<ResourceResult> results, SyncStep s, ResultCode code, String message) {
    done(results, s, s.key(), code, message);
  }

  private void done(
      List<ResourceResult> results, SyncStep s, ResourceKey key, ResultCode code, String message) {
    ResourceResult r = new ResourceResult(key, s.action(), s.phase(), s.wave(), code, message);
    results.add(r);
    listener.resourceDone(r);
  }

  /** Apply options from a step's sync options; server-side apply unless ServerSideApply=false. */
  static ApplyOptions applyOptions(SyncOptions o, SyncPlan plan) {
    ApplyOptions.Builder b =
        ApplyOptions.builder()
            .serverSideApply(
                o.get("ServerSideApply").map(v -> !v.equalsIgnoreCase("false")).orElse(true))
            .replace(o.replace())
            // Git is authoritative: like Argo CD, server-side apply takes over conflicting fields
            .force(true)
            .createNamespace(o.createNamespace())
            .failOnSharedResource(o.failOnSharedResource())
            .skipDryRunOnMissingResource(o.skipDryRunOnMissingResource());
    plan.namespaceToCreate().filter(ns -> !ns.isBlank()).ifPresent(b::namespace);
    // Argo CD's managedNamespaceMetadata: on the namespaces CreateNamespace=true creates
    plan.namespaceMetadata().ifPresent(m -> b.namespaceMetadata(m.labels(), m.annotations()));
    return b.build();
  }
}
