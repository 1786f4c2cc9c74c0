package io.glidepath.kube.internal;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.KubeException;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.kube.apply.ApplyReport;
import io.glidepath.kube.apply.ApplyResult;
import io.glidepath.kube.apply.ApplyResult.Outcome;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@link Applier} implementation. */
public final class DefaultApplier implements Applier {
  /** kubectl's annotation for client-side apply. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final DefaultKubeCluster cluster;
  private final KubeApi api;
  private final ApplyOptions options;

  public DefaultApplier(KubeCluster cluster, ApplyOptions options) {
    this.cluster = DefaultKubeCluster.cast(Objects.requireNonNull(cluster, "cluster"));
    this.api = this.cluster.api();
    this.options = Objects.requireNonNull(options, "options");
  }

  /** One resource of the plan, ready to write; its JSON is written once, for dry run and apply. */
  private static final class Step {
    private final Resource desired;
    private final boolean managedNamespace;
    private volatile String json;

    Step(Resource desired, boolean managedNamespace) {
      this.desired = desired;
      this.managedNamespace = managedNamespace;
    }

    Resource desired() {
      return desired;
    }

    boolean managedNamespace() {
      return managedNamespace;
    }

    ResourceKey key() {
      return desired.key();
    }

    String json() {
      String j = json;
      if (j == null) {
        j = Yaml.toJson(desired.body());
        json = j;
      }
      return j;
    }
  }

  @Override
  public ApplyReport apply(String app, List<Resource> resources) {
    Objects.requireNonNull(app, "app");
    types.values().removeIf(Optional::isEmpty); // a kind missing last time may be served now
    List<Step> plan = new ArrayList<>();
    List<ApplyResult> unresolved = new ArrayList<>();
    Set<String> crdKinds = crdKinds(resources);
    for (Resource r : resources) {
      Optional<ResourceType> type = typeOf(r.group(), r.kind());
      if (type.isEmpty()
          && !crdKinds.contains(r.group() + "/" + r.kind())
          && !options.skipDryRunOnMissingResource()) {
        unresolved.add(
            new ApplyResult(
                r.key(),
                Outcome.FAILED,
                "the cluster does not serve "
                    + r.apiVersion()
                    + " "
                    + r.kind()
                    + " and the plan defines no CustomResourceDefinition for it"));
        continue;
      }
      Resource placed = place(r, type);
      placed =
          placed.withAnnotation(TrackingId.ANNOTATION, TrackingId.of(app, placed.key()).value());
      plan.add(new Step(placed, false));
    }
    if (!unresolved.isEmpty()) {
      List<ApplyResult> results = new ArrayList<>(unresolved);
      for (Step s : plan) {
        results.add(new ApplyResult(s.key(), Outcome.SKIPPED, "not applied: the plan is invalid"));
      }
      return new ApplyReport(results, true);
    }
    Set<String> planned = plannedNamespaces(plan);
    if (options.createNamespace()) {
      plan.addAll(0, missingNamespaces(plan, planned));
      planned = plannedNamespaces(plan);
    }
    Map<ResourceKey, Optional<JsonNode>> seen = new ConcurrentHashMap<>();
    prefetch(plan, seen);
    Set<String> finalPlanned = planned;
    if (options.dryRunFirst()) {
      List<ApplyResult> dry = runAll(plan, s -> write(app, s, true, finalPlanned, crdKinds, seen));
      boolean failed = dry.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
      if (failed) {
        List<ApplyResult> results = new ArrayList<>();
        for (ApplyResult r : dry) {
          results.add(
              r.outcome() == Outcome.FAILED
                  ? new ApplyResult(r.key(), Outcome.FAILED, "dry run: " + r.message())
                  : new ApplyResult(
                      r.key(), Outcome.SKIPPED, "not applied: the dry run of the plan failed"));
        }
        return new ApplyReport(results, true);
      }
    }
    // namespaces and CRDs go first, one by one: the rest may need them
    List<Step> first = plan.stream().filter(DefaultApplier::foundational).toList();
    List<Step> rest = plan.stream().filter(s -> !foundational(s)).toList();
    Map<ResourceKey, ApplyResult> byKey = new HashMap<>();
    for (Step s : first) {
      byKey.put(s.key(), write(app, s, false, planned, crdKinds, seen));
      if (s.desired().kind().equals("CustomResourceDefinition")) {
        cluster.refreshDiscovery();
        types.clear();
      }
    }
    List<ApplyResult> restResults =
        runAll(rest, s -> write(app, s, false, finalPlanned, crdKinds, seen));
    for (int i = 0; i < rest.size(); i++) {
      byKey.put(rest.get(i).key(), restResults.get(i));
    }
    List<ApplyResult> results = new ArrayList<>();
    for (Step s : plan) {
      results.add(byKey.get(s.key()));
    }
    return new ApplyReport(results, false);
  }

  /**
   * Type lookups of this applier, so that many resources of a kind the cluster does not serve yet
   * (their CRD is in the plan) cost one rediscovery, not one each. Cleared when a CRD is applied.
   */
  private final Map<String, Optional<ResourceType>> types = new ConcurrentHashMap<>();

  private Optional<ResourceType> typeOf(String group, String kind) {
    return types.computeIfAbsent(group + "/" + kind, k -> cluster.resourceType(group, kind));
  }

  private boolean rediscovered; // guarded by types

  /**
   * The type of {@code key} looked up again (the cluster refreshes its discovery on a miss), once
   * per applier, for resources whose kind was missing when the plan was checked under {@code
   * SkipDryRunOnMissingResource}: another app or an earlier wave may have served it since.
   */
  private Optional<ResourceType> rediscovered(ResourceKey key) {
    synchronized (types) {
      if (!rediscovered) {
        rediscovered = true;
        types.values().removeIf(Optional::isEmpty);
      }
    }
    return typeOf(key.group(), key.kind());
  }

  /** Below this many resources of one type in one namespace, single reads are cheaper. */
  private static final int LIST_THRESHOLD = 8;

  /**
   * Reads the live objects of the plan with one paged list per type and namespace where the plan
   * has many of them, instead of one read per resource.
   */
  private void prefetch(List<Step> plan, Map<ResourceKey, Optional<JsonNode>> seen) {
    Map<String, List<Step>> groups = new HashMap<>();
    for (Step s : plan) {
      ResourceKey k = s.key();
      groups
          .computeIfAbsent(k.group() + "/" + k.kind() + "/" + k.namespace(), g -> new ArrayList<>())
          .add(s);
    }
    for (List<Step> steps : groups.values()) {
      if (steps.size() < LIST_THRESHOLD) {
        continue;
      }
      if (steps.stream().allMatch(s -> cluster.vouchesNoObjectAt(s.key()))) {
        continue; // none of them is there: each write asks the cache again
      }
      ResourceKey first = steps.get(0).key();
      Optional<ResourceType> type = typeOf(first.group(), first.kind());
      if (type.isEmpty()) {
        continue;
      }
      Map<String, JsonNode> byName = new HashMap<>();
      String cont = "";
      do {
        String path =
            type.get().collectionPath(first.namespace())
                + "?limit="
                + KubeCluster.PAGE_SIZE
                + (cont.isEmpty() ? "" : "&continue=" + enc(cont));
        KubeApi.Answer a = api.send("GET", path, null, null, null);
        if (!a.ok()) {
          return; // single reads will follow and report the problem per resource
        }
        for (JsonNode item : a.body().path("items")) {
          byName.put(item.path("metadata").path("name").asString(""), item);
        }
        cont = a.body().path("metadata").path("continue").asString("");
      } while (!cont.isEmpty());
      for (Step s : steps) {
        seen.put(s.key(), Optional.ofNullable(byName.get(s.key().name())));
      }
    }
  }

  private static boolean foundational(Step s) {
    String kind = s.desired().kind();
    return kind.equals("Namespace") || kind.equals("CustomResourceDefinition");
  }

  /**
   * Runs {@code work} over {@code steps}, up to the configured parallelism, on the apply threads
   * every sync shares ({@link ApplyWorkers}); results in order.
   */
  private List<ApplyResult> runAll(List<Step> steps, Function<Step, ApplyResult> work) {
    if (Math.min(options.parallelism(), steps.size()) <= 1) {
      return steps.stream().map(work).toList();
    }
    return ApplyWorkers.runAll(
        steps,
        options.parallelism(),
        work,
        (s, e) -> new ApplyResult(s.key(), Outcome.FAILED, String.valueOf(e.getMessage())));
  }

  /**
   * The kinds the CustomResourceDefinitions among {@code resources} define, as {@code group/kind}.
   */
  static Set<String> crdKinds(List<Resource> resources) {
    Set<String> out = new LinkedHashSet<>();
    for (Resource r : resources) {
      if (r.kind().equals("CustomResourceDefinition")) {
        JsonNode spec = r.body().path("spec");
        out.add(
            spec.path("group").asString("") + "/" + spec.path("names").path("kind").asString(""));
      }
    }
    return out;
  }

  /** Puts namespaced resources without a namespace into the default one; strips it otherwise. */
  private Resource place(Resource r, Optional<ResourceType> type) {
    boolean namespaced = type.map(ResourceType::namespaced).orElse(true);
    if (namespaced && r.namespace().isEmpty()) {
      return r.withNamespace(options.namespace());
    }
    if (!namespaced && r.namespace().isPresent()) {
      return r.edit(b -> ((ObjectNode) b.path("metadata")).remove("namespace"));
    }
    return r;
  }

  private static Set<String> plannedNamespaces(List<Step> plan) {
    Set<String> out = new LinkedHashSet<>();
    for (Step s : plan) {
      if (s.desired().kind().equals("Namespace") && s.desired().group().isEmpty()) {
        out.add(s.desired().name());
      }
    }
    return out;
  }

  private List<Step> missingNamespaces(List<Step> plan, Set<String> planned) {
    Set<String> wanted = new LinkedHashSet<>();
    for (Step s : plan) {
      s.desired().namespace().ifPresent(wanted::add);
    }
    wanted.removeAll(planned);
    List<Step> out = new ArrayList<>();
    for (String ns : wanted) {
      ResourceKey key = new ResourceKey("", "Namespace", "", ns);
      if (!cluster.vouchesNoObjectAt(key) && cluster.get(key).isPresent()) {
        continue;
      }
      ObjectNode body = Yaml.mapper().createObjectNode();
      body.put("apiVersion", "v1");
      body.put("kind", "Namespace");
      ObjectNode meta = body.putObject("metadata");
      meta.put("name", ns);
      if (!options.namespaceLabels().isEmpty()) {
        ObjectNode labels = meta.putObject("labels");
        options.namespaceLabels().forEach(labels::put);
      }
      if (!options.namespaceAnnotations().isEmpty()) {
        ObjectNode annotations = meta.putObject("annotations");
        options.namespaceAnnotations().forEach(annotations::put);
      }
      out.add(new Step(Resource.of(body), true));
    }
    return out;
  }

  // ------------------------------------------------------------------ one write

  private ApplyResult write(
      String app,
      Step step,
      boolean dryRun,
      Set<String> planned,
      Set<String> crdKinds,
      Map<ResourceKey, Optional<JsonNode>> seen) {
    try {
      return writeOrThrow(app, step, dryRun, planned, crdKinds, seen);
    } catch (KubeException e) {
      return new ApplyResult(step.key(), Outcome.FAILED, e.getMessage());
    }
  }

  private ApplyResult writeOrThrow(
      String app,
      Step step,
      boolean dryRun,
      Set<String> planned,
      Set<String> crdKinds,
      Map<ResourceKey, Optional<JsonNode>> seen) {
    Resource desired = step.desired();
    ResourceKey key = desired.key();
    Optional<ResourceType> maybeType = typeOf(key.group(), key.kind());
    if (maybeType.isEmpty() && options.skipDryRunOnMissingResource()) {
      if (dryRun) {
        return new ApplyResult(key, Outcome.UNCHANGED, "SkipDryRunOnMissingResource");
      }
      maybeType = rediscovered(key);
    }
    if (maybeType.isEmpty()) {
      if (dryRun && crdKinds.contains(key.group() + "/" + key.kind())) {
        return new ApplyResult(
            key, Outcome.UNCHANGED, "its CustomResourceDefinition is in the plan");
      }
      return new ApplyResult(
          key,
          Outcome.FAILED,
          "the cluster does not serve " + desired.apiVersion() + " " + key.kind());
    }
    ResourceType type = maybeType.get();
    String path = type.itemPath(key.namespace(), key.name());
    JsonNode live;
    Optional<JsonNode> known = seen.get(key);
    // the live object is read for the shared-resource check, the outcome and, under sharding, the
    // precondition of the write; where the cluster's shared cache vouches that there is no object
    // at all (its kind listed and watched, no object at the key shown, no write of it by this
    // process unseen), a read would find nothing: it is skipped (not remembered in seen, so the
    // apply after the dry run asks the cache again)
    boolean vouched = false;
    if (known != null) {
      // read moments ago by a list or the dry run; the apply below is what decides anyway
      live = known.orElse(null);
    } else if (cluster.vouchesNoObjectAt(key)) {
      live = null;
      vouched = true;
    } else {
      KubeApi.Answer got = api.send("GET", path, null, null, key);
      if (!got.ok() && got.code() != 404) {
        return failed(key, got, "reading the live object");
      }
      live = got.ok() ? got.body() : null;
      seen.put(key, Optional.ofNullable(live));
    }
    String warning = "";
    if (live != null && !step.managedNamespace()) {
      Optional<TrackingId> other =
          TrackingId.parse(
              live.path("metadata").path("annotations").path(TrackingId.ANNOTATION).asString(null));
      if (other.isPresent() && !other.get().app().equals(app)) {
        if (options.failOnSharedResource()) {
          return new ApplyResult(
              key,
              Outcome.FAILED,
              "shared resource: it is tracked by app '" + other.get().app() + "'");
        }
        warning = "shared resource: it was tracked by app '" + other.get().app() + "'";
      }
    }
    String dry = dryRun ? "dryRun=All&" : "";
    // under sharding (a write fence): the write carries the resourceVersion read before the
    // fencing check as a precondition, so a write that arrives after another replica took the app
    // over and changed the object is refused (409) instead of overwriting the new owner's change
    boolean fenced = !dryRun && WriteFence.current().isPresent();
    Optional<KubeApi.Answer> sent = send(type, key, step, live, dry, path, fenced);
    if (fenced && sent.isPresent() && sent.get().preconditionFailed()) {
      // changed since it was read (by anyone): read it again and send once more; that send passes
      // the fencing check again, which refuses it when this replica lost the app meanwhile
      KubeApi.Answer got = api.send("GET", path, null, null, key);
      if (!got.ok() && got.code() != 404) {
        return failed(key, got, "reading the live object again");
      }
      live = got.ok() ? got.body() : null;
      seen.put(key, Optional.ofNullable(live));
      sent = send(type, key, step, live, dry, path, true);
    }
    if (sent.isEmpty()) {
      return new ApplyResult(key, Outcome.UNCHANGED, warning);
    }
    KubeApi.Answer answer = sent.get();
    if (vouched && answer.code() == 409 && "AlreadyExists".equals(answer.reason())) {
      // created by someone else, its event still on its way: read it, and decide (shared
      // resource, patch, outcome) as if it had been read first
      KubeApi.Answer got = api.send("GET", path, null, null, key);
      if (!got.ok() && got.code() != 404) {
        return failed(key, got, "reading the live object");
      }
      seen.put(key, Optional.ofNullable(got.ok() ? got.body() : null));
      return writeOrThrow(app, step, dryRun, planned, crdKinds, seen);
    }
    if (!answer.ok()
        && dryRun
        && answer.code() == 404
        && key.namespace().length() > 0
        && planned.contains(key.namespace())
        && answer.message().startsWith("namespaces ")) {
      return new ApplyResult(key, Outcome.UNCHANGED, "its namespace is created by the plan");
    }
    // kubectl --force: an object the API refuses to change (422, e.g. an immutable field, or a 409
    // on replace) is deleted and created again; apply conflicts are settled by force=true instead
    boolean refused =
        answer.code() == 422
            || (answer.code() == 409 && (options.replace() || !options.serverSideApply()));
    if (!answer.ok() && options.force() && live != null && refused) {
      if (dryRun) {
        return new ApplyResult(key, Outcome.RECREATED, "would be deleted and created again");
      }
      return recreate(type, key, desired, live, answer);
    }
    if (!answer.ok()) {
      return failed(key, answer, dryRun ? "dry run" : "apply");
    }
    Outcome outcome;
    if (live == null) {
      outcome = Outcome.CREATED;
    } else {
      String before = live.path("metadata").path("resourceVersion").asString("");
      String after = answer.body().path("metadata").path("resourceVersion").asString("");
      outcome = before.equals(after) ? Outcome.UNCHANGED : Outcome.CONFIGURED;
    }
    return new ApplyResult(key, outcome, warning);
  }

  /** One write of {@code step}; empty when client-side apply finds nothing to change. */
  private Optional<KubeApi.Answer> send(
      ResourceType type,
      ResourceKey key,
      Step step,
      JsonNode live,
      String dry,
      String path,
      boolean precondition) {
    Resource desired = step.desired();
    if (options.replace()) {
      return Optional.of(replace(type, key, desired, live, dry));
    }
    String version =
        precondition && live != null
            ? live.path("metadata").path("resourceVersion").asString("")
            : "";
    if (options.serverSideApply()) {
      String body = step.json();
      if (!version.isEmpty()) {
        ObjectNode withVersion = (ObjectNode) Yaml.mapper().readTree(body);
        ((ObjectNode) withVersion.path("metadata")).put("resourceVersion", version);
        body = Yaml.toJson(withVersion);
      }
      return Optional.of(
          api.send(
              "PATCH",
              path
                  + "?"
                  + dry
                  + "fieldManager="
                  + enc(options.fieldManager())
                  + (options.force() ? "&force=true" : ""),
              "application/apply-patch+yaml",
              body,
              key));
    }
    return clientSideApply(type, key, desired, live, dry, version);
  }

  private KubeApi.Answer replace(
      ResourceType type, ResourceKey key, Resource desired, JsonNode live, String dry) {
    if (live == null) {
      return api.send(
          "POST",
          type.collectionPath(key.namespace())
              + "?"
              + dry
              + "fieldManager="
              + enc(options.fieldManager()),
          "application/json",
          Yaml.toJson(desired.body()),
          key);
    }
    ObjectNode body = desired.bodyCopy();
    ((ObjectNode) body.path("metadata"))
        .put("resourceVersion", live.path("metadata").path("resourceVersion").asString(""));
    return api.send(
        "PUT",
        type.itemPath(key.namespace(), key.name())
            + "?"
            + dry
            + "fieldManager="
            + enc(options.fieldManager()),
        "application/json",
        Yaml.toJson(body),
        key);
  }

  private Optional<KubeApi.Answer> clientSideApply(
      ResourceType type,
      ResourceKey key,
      Resource desired,
      JsonNode live,
      String dry,
      String precondition) {
    ObjectNode applied = desired.bodyCopy();
    JsonNode annotations = applied.path("metadata").path("annotations");
    if (annotations instanceof ObjectNode a) {
      a.remove(LAST_APPLIED);
    }
    String lastApplied = Yaml.toJson(applied);
    ObjectNode withAnnotation = applied.deepCopy();
    ObjectNode meta = (ObjectNode) withAnnotation.path("metadata");
    ObjectNode ann =
        meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
    ann.put(LAST_APPLIED, lastApplied);
    String manager = "fieldManager=" + enc(options.fieldManager() + "-client-side-apply");
    if (live == null) {
      return Optional.of(
          api.send(
              "POST",
              type.collectionPath(key.namespace()) + "?" + dry + manager,
              "application/json",
              Yaml.toJson(withAnnotation),
              key));
    }
    String previous = live.path("metadata").path("annotations").path(LAST_APPLIED).asString("");
    JsonNode original = previous.isEmpty() ? null : Yaml.mapper().readTree(previous);
    ObjectNode patch = ThreeWayMerge.patch(original, withAnnotation, live);
    if (patch.isEmpty()) {
      return Optional.empty();
    }
    if (!precondition.isEmpty()) {
      // a resourceVersion in a merge patch is a precondition of the API server
      JsonNode patchMeta = patch.get("metadata");
      (patchMeta instanceof ObjectNode m ? m : patch.putObject("metadata"))
          .put("resourceVersion", precondition);
    }
    return Optional.of(
        api.send(
            "PATCH",
            type.itemPath(key.namespace(), key.name()) + "?" + dry + manager,
            "application/merge-patch+json",
            Yaml.toJson(patch),
            key));
  }

  private ApplyResult recreate(
      ResourceType type, ResourceKey key, Resource desired, JsonNode live, KubeApi.Answer refusal) {
    String path = type.itemPath(key.namespace(), key.name());
    ObjectNode deleteOptions = Yaml.mapper().createObjectNode();
    deleteOptions.put("kind", "DeleteOptions").put("apiVersion", "v1");
    deleteOptions.put("propagationPolicy", "Foreground");
    if (WriteFence.current().isPresent()) {
      // under sharding: the object read before the fencing check, so a delete that arrives after
      // another replica took the app over and changed (or recreated) the object is refused
      ObjectNode pre = deleteOptions.putObject("preconditions");
      String uid = live.path("metadata").path("uid").asString("");
      String version = live.path("metadata").path("resourceVersion").asString("");
      if (!uid.isEmpty()) {
        pre.put("uid", uid);
      }
      if (!version.isEmpty()) {
        pre.put("resourceVersion", version);
      }
    }
    KubeApi.Answer deleted =
        api.send("DELETE", path, "application/json", Yaml.toJson(deleteOptions), key);
    if (!deleted.ok() && deleted.code() != 404) {
      return failed(key, deleted, "deleting to recreate");
    }
    KubeApi.Answer created =
        api.sendRetryingAlso(
            "POST",
            type.collectionPath(key.namespace()) + "?fieldManager=" + enc(options.fieldManager()),
            "application/json",
            Yaml.toJson(desired.body()),
            key,
            a -> a.code() == 409);
    if (!created.ok()) {
      return failed(key, created, "creating again");
    }
    return new ApplyResult(
        key,
        Outcome.RECREATED,
        "deleted and created again after " + refusal.code() + " " + refusal.reason());
  }

  private static ApplyResult failed(ResourceKey key, KubeApi.Answer a, String what) {
    String message = a.message().isEmpty() ? "HTTP " + a.code() : a.message();
    return new ApplyResult(
        key, Outcome.FAILED, what + " failed (" + a.code() + " " + a.reason() + "): " + message);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
