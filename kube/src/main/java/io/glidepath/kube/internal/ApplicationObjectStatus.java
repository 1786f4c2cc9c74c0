package io.glidepath.kube.internal;

import io.glidepath.core.Redaction;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationDestination;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.IgnoreDifference;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.sync.SyncAction;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.controller.AppSummary;
import io.glidepath.kube.controller.SourceType;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.kube.sync.SyncResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An app's status kept in its Argo CD {@code Application} object ({@code argoproj.io/v1alpha1}), in
 * Argo CD's shape: {@code status.sync} (with {@code comparedTo}), {@code status.health} (with
 * {@code lastTransitionTime}), {@code status.operationState} (the last sync: phase, message, times,
 * source, a result per resource), {@code status.history} (successful syncs: revision, source,
 * deployedAt, id), {@code status.resources} (each resource of the app with its sync status and
 * health, or {@code requiresPruning}), {@code status.sourceType}, {@code status.summary} (images
 * and external URLs) and {@code status.reconciledAt}. Used only when the cluster serves the kind
 * and the object exists: the controller never creates an Application (an Argo CD running in the
 * same cluster would then sync it too).
 */
final class ApplicationObjectStatus {
  static final String GROUP = "argoproj.io";
  static final String KIND = "Application";

  /** Argo CD's prefix of annotations whose values are links shown with the app or resource. */
  static final String LINK_PREFIX = "link.argocd.argoproj.io/";

  /** Argo CD's annotation that keeps an Ingress's own URLs out of the links. */
  static final String IGNORE_DEFAULT_LINKS = "argocd.argoproj.io/ignore-default-links";

  /** What a restarted controller needs from a stored status. */
  record Loaded(String lastAttempted, String lastSynced) {}

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

  /** Whether discovery (cached) lists Argo CD's Application kind. */
  boolean served() {
    return type().isPresent();
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
    String attempted = revisionOf(op.path("operation").path("sync"));
    if (attempted.isEmpty()) {
      attempted = revisionOf(op.path("syncResult"));
    }
    String synced =
        history == null || history.isEmpty() ? "" : revisionOf(history.get(history.size() - 1));
    if (synced.isEmpty() && op.path("phase").asString("").equals("Succeeded")) {
      // revisionHistoryLimit 0 keeps no history: the last operation tells the synced revision
      synced = revisionOf(op.path("syncResult"));
    }
    return Optional.of(new Loaded(attempted, synced));
  }

  /** {@code revision}, or a multi-source application's {@code revisions} joined by {@code ,}. */
  private static String revisionOf(JsonNode n) {
    List<String> revisions = strings(n.path("revisions"));
    return revisions.isEmpty() ? n.path("revision").asString("") : String.join(",", revisions);
  }

  /** A multi-source revision split into the sources' revisions. */
  static List<String> revisions(String revision) {
    return List.of(revision.split(",", -1));
  }

  /**
   * The status after an automated sync of {@code app} at {@code revision}: the observed part, the
   * operation as Argo CD's auto-sync states it (revision, prune, syncOptions), its state from
   * {@code result} (with the source synced), a history entry when it succeeded (ids count up, the
   * last {@code spec.revisionHistoryLimit} kept, Argo CD's default 10, each with its source).
   */
  static ObjectNode afterSync(
      Resource application,
      Application app,
      String revision,
      SyncResult result,
      Observation observed,
      Observation previous,
      Instant now) {
    return afterSync(application, app, revision, result, observed, previous, now, null);
  }

  /**
   * As {@link #afterSync(Resource, Application, String, SyncResult, Observation, Observation,
   * Instant)}, for a sync the object's {@code operation} requested ({@code requested}, or null for
   * an automated sync): its prune and initiator are the ones stated.
   */
  static ObjectNode afterSync(
      Resource application,
      Application app,
      String revision,
      SyncResult result,
      Observation observed,
      Observation previous,
      Instant now,
      JsonNode requested) {
    boolean multi = app.hasMultipleSources();
    ObjectNode source = multi ? null : source(app.source());
    ArrayNode sources = multi ? sources(app) : null;
    ObjectNode status = observed.toStatus(previous, now);
    ObjectNode op = status.putObject("operationState");
    ObjectNode operation = op.putObject("operation");
    ObjectNode sync = operation.putObject("sync");
    if (multi) {
      strings(sync, "revisions", revisions(revision));
    } else {
      sync.put("revision", revision);
    }
    boolean prune =
        requested != null
            ? requested.path("sync").path("prune").asBoolean(false)
            : app.syncPolicy().automated().map(a -> a.prune()).orElse(false);
    if (prune) {
      sync.put("prune", true);
    } else {
      sync.putNull("prune");
    }
    List<String> options = app.syncPolicy().syncOptions().options();
    if (options.isEmpty()) {
      sync.putNull("syncOptions");
    } else {
      strings(sync, "syncOptions", options);
    }
    if (requested != null && requested.path("initiatedBy").isObject()) {
      operation.set("initiatedBy", requested.path("initiatedBy").deepCopy());
      if (requested.path("info").isArray()) {
        operation.set("info", requested.path("info").deepCopy());
      }
    } else {
      operation.putObject("initiatedBy").put("automated", true);
    }
    op.put("phase", result.succeeded() ? "Succeeded" : "Failed");
    op.put("message", result.succeeded() ? "successfully synced" : result.message());
    op.put("startedAt", result.startedAt().toString());
    op.put("finishedAt", result.finishedAt().toString());
    op.put("retryCount", result.attempts() - 1);
    ObjectNode syncResult = op.putObject("syncResult");
    if (multi) {
      strings(syncResult, "revisions", revisions(revision));
      syncResult.set("sources", sources.deepCopy());
    } else {
      syncResult.put("revision", revision);
      syncResult.set(
          "source",
          replacing(
              application.body().at("/status/operationState/syncResult/source"),
              source.deepCopy()));
    }
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
      if (multi) {
        strings(entry, "revisions", revisions(revision));
        entry.set("sources", sources.deepCopy());
      } else {
        entry.put("revision", revision);
        entry.set("source", source.deepCopy());
      }
      entry.put("deployStartedAt", result.startedAt().toString());
      entry.put("deployedAt", result.finishedAt().toString());
      entry.put("id", id + 1);
      entry.putObject("initiatedBy").put("automated", true);
    }
    while (history.size() > app.revisionHistoryLimit()) {
      history.remove(0);
    }
    status.set("history", history);
    return status;
  }

  /**
   * The health of each resource Git names (a missing one is Missing; empty for a kind without
   * health), assessed once per comparison; {@link ApplicationHealth#aggregate} gives the app's.
   */
  static Map<ResourceKey, Optional<Health>> health(DriftReport drift, HealthAssessor assessor) {
    Map<ResourceKey, Optional<Health>> out = new LinkedHashMap<>();
    for (ResourceDrift d : drift.resources()) {
      if (d.desired().isPresent()) {
        out.put(
            d.key(),
            d.live().isPresent()
                ? assessor.assess(d.live().get())
                : Optional.of(Health.of(HealthStatus.MISSING, "")));
      }
    }
    return out;
  }

  /**
   * Argo CD's {@code status.resources}: per resource of the comparison, its group, version, kind,
   * namespace and name, {@code status} Synced or OutOfSync, and its health (as the caller assessed
   * it, by key; left out for a kind without health, as Argo CD leaves it out); a resource only the
   * cluster still has (gone from Git) carries {@code requiresPruning: true} instead of a health.
   */
  static ArrayNode resources(DriftReport drift, Map<ResourceKey, Optional<Health>> health) {
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
        Optional<Health> h = health.getOrDefault(d.key(), Optional.empty());
        if (h.isPresent()) {
          ObjectNode hn = n.putObject("health").put("status", h.get().status().displayName());
          if (!h.get().message().isEmpty()) {
            hn.put("message", h.get().message());
          }
        }
      }
    }
    return out;
  }

  /**
   * The observed part of a status, kept as last written so that a reconcile that observes the same
   * writes nothing.
   *
   * @param syncStatus Synced, OutOfSync or Unknown
   * @param revision the revision compared
   * @param health the app's health
   * @param healthSince when the app's health last changed ({@code health.lastTransitionTime}), or
   *     "" when not known
   * @param resources {@code status.resources}, or null when not known (no comparison yet)
   * @param comparedTo {@code sync.comparedTo}, or null when not known
   * @param sourceType how the revision was rendered, when the desired-state source says
   * @param summary images and external URLs
   * @param sourceTypes for a multi-source application, each source's type as Argo CD names it
   *     ({@code ""} for a ref-only source); empty otherwise. The revision is then the sources'
   *     revisions joined by {@code ,}, written as {@code sync.revisions}.
   */
  record Observation(
      String syncStatus,
      String revision,
      String health,
      String healthSince,
      ArrayNode resources,
      ObjectNode comparedTo,
      Optional<SourceType> sourceType,
      AppSummary summary,
      List<String> sourceTypes) {
    static final Observation NONE =
        new Observation("", "", "", "", null, null, Optional.empty(), AppSummary.EMPTY);

    Observation {
      sourceTypes = List.copyOf(sourceTypes);
    }

    /** The observation of a single-source application. */
    Observation(
        String syncStatus,
        String revision,
        String health,
        String healthSince,
        ArrayNode resources,
        ObjectNode comparedTo,
        Optional<SourceType> sourceType,
        AppSummary summary) {
      this(
          syncStatus,
          revision,
          health,
          healthSince,
          resources,
          comparedTo,
          sourceType,
          summary,
          List.of());
    }

    /** What an Application object's status holds of the observed part. */
    static Observation of(Resource application) {
      JsonNode status = application.body().path("status");
      JsonNode summary = status.path("summary");
      List<String> revisions = strings(status.at("/sync/revisions"));
      return new Observation(
          status.at("/sync/status").asString(""),
          revisions.isEmpty()
              ? status.at("/sync/revision").asString("")
              : String.join(",", revisions),
          status.at("/health/status").asString(""),
          status.at("/health/lastTransitionTime").asString(""),
          status.path("resources") instanceof ArrayNode a ? a.deepCopy() : null,
          status.at("/sync/comparedTo") instanceof ObjectNode o ? o.deepCopy() : null,
          parseSourceType(status.path("sourceType").asString("")),
          new AppSummary(strings(summary.path("images")), strings(summary.path("externalURLs"))),
          strings(status.path("sourceTypes")));
    }

    /**
     * A merge patch of the status to this observation, with {@code reconciledAt}; fields this
     * observation no longer has but {@code previous} (as last written) had, like an image list that
     * became empty or a Helm parameter gone from the source, are removed.
     */
    ObjectNode toStatus(Observation previous, Instant now) {
      ObjectNode status = Yaml.mapper().createObjectNode();
      ObjectNode sync = status.putObject("sync");
      sync.put("status", syncStatus);
      if (sourceTypes.isEmpty()) {
        sync.put("revision", revision);
      } else if (!revision.isEmpty()) {
        // a multi-source application: Argo CD's sync.revisions, one per source (none when the
        // comparison failed: sync status Unknown has no revision)
        strings(sync, "revisions", revisions(revision));
      }
      if (comparedTo != null) {
        sync.set("comparedTo", replacing(previous.comparedTo(), comparedTo.deepCopy()));
      }
      ObjectNode h = status.putObject("health");
      h.put("status", health);
      if (!healthSince.isEmpty()) {
        h.put("lastTransitionTime", healthSince);
      }
      if (resources != null) {
        status.set("resources", resources.deepCopy());
      }
      if (!sourceTypes.isEmpty()) {
        strings(status, "sourceTypes", sourceTypes);
        status.putNull("sourceType");
      } else if (sourceType.isPresent()) {
        status.put("sourceType", sourceType.get().argoName());
      } else {
        status.putNull("sourceType");
      }
      ObjectNode s = status.putObject("summary");
      list(s, "externalURLs", summary.externalURLs());
      list(s, "images", summary.images());
      status.put("reconciledAt", now.toString());
      return status;
    }

    /**
     * This observation with {@code health}, changed since {@code now} unless it is the same and its
     * transition time is known (a status written without one gets {@code now}, as in Argo CD).
     */
    Observation withHealth(String health, Instant now) {
      String since =
          health.equals(this.health) && !healthSince.isEmpty() ? healthSince : now.toString();
      return new Observation(
          syncStatus,
          revision,
          health,
          since,
          resources,
          comparedTo,
          sourceType,
          summary,
          sourceTypes);
    }
  }

  private static Optional<SourceType> parseSourceType(String argoName) {
    for (SourceType t : SourceType.values()) {
      if (t.argoName().equals(argoName)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      if (n.isString()) {
        out.add(n.asString());
      }
    }
    return out;
  }

  /** Sets {@code field} to {@code values}, or to null (removed by the merge patch) when empty. */
  private static void list(ObjectNode node, String field, List<String> values) {
    if (values.isEmpty()) {
      node.putNull(field);
    } else {
      ArrayNode a = node.putArray(field);
      values.forEach(a::add);
    }
  }

  /**
   * {@code now} as a merge patch over {@code old}: each field {@code old} has and {@code now} has
   * not becomes null, in nested objects too, so that the patch leaves exactly {@code now}.
   */
  static ObjectNode replacing(JsonNode old, ObjectNode now) {
    if (old instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        JsonNode n = now.get(e.getKey());
        if (n == null) {
          now.putNull(e.getKey());
        } else if (n instanceof ObjectNode child) {
          replacing(e.getValue(), child);
        }
      }
    }
    return now;
  }

  // ------------------------------------------------------------------ Argo CD's spec shapes

  /**
   * Argo CD's {@code status.sync.comparedTo}: the app's source and destination and, when it has
   * any, its ignoreDifferences, in the spec's shape.
   */
  static ObjectNode comparedTo(Application app) {
    ObjectNode out = Yaml.mapper().createObjectNode();
    if (app.hasMultipleSources()) {
      out.set("sources", sources(app));
    } else {
      out.set("source", source(app.source()));
    }
    out.set("destination", destination(app.destination()));
    if (!app.ignoreDifferences().isEmpty()) {
      ArrayNode rules = out.putArray("ignoreDifferences");
      for (IgnoreDifference d : app.ignoreDifferences()) {
        ObjectNode n = rules.addObject();
        putIfNotEmpty(n, "group", d.group());
        n.put("kind", d.kind());
        d.name().ifPresent(v -> n.put("name", v));
        d.namespace().ifPresent(v -> n.put("namespace", v));
        strings(n, "jsonPointers", d.jsonPointers());
        strings(n, "jqPathExpressions", d.jqPathExpressions());
        strings(n, "managedFieldsManagers", d.managedFieldsManagers());
      }
    }
    return out;
  }

  /** A multi-source app's {@code spec.sources} in Argo CD's shape. */
  static ArrayNode sources(Application app) {
    ArrayNode out = Yaml.mapper().createArrayNode();
    for (ApplicationSource s : app.allSources()) {
      out.add(source(s));
    }
    return out;
  }

  /**
   * An app's {@code spec.source} in Argo CD's shape (empty values left out, as Argo CD's JSON
   * does): repoURL, path, targetRevision, helm, directory, kustomize, chart, ref, name.
   */
  static ObjectNode source(ApplicationSource source) {
    ObjectNode out = source.toJson();
    // what reaches the status carries no credential
    out.put("repoURL", Redaction.url(source.repoURL()));
    return out;
  }

  private static ObjectNode destination(ApplicationDestination d) {
    ObjectNode out = Yaml.mapper().createObjectNode();
    d.server().ifPresent(v -> putIfNotEmpty(out, "server", v));
    putIfNotEmpty(out, "namespace", d.namespace());
    d.name().ifPresent(v -> putIfNotEmpty(out, "name", v));
    return out;
  }

  private static void putIfNotEmpty(ObjectNode node, String field, String value) {
    if (!value.isEmpty()) {
      node.put(field, value);
    }
  }

  private static void strings(ObjectNode node, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode a = node.putArray(field);
      values.forEach(a::add);
    }
  }

  // ------------------------------------------------------------------ summary

  /**
   * Argo CD's {@code status.summary} of the compared resources (each as the cluster has it, or as
   * Git has it when the cluster has not yet): the images of every Pod template's containers and
   * init containers, and the external URLs of Ingress rules and of {@code
   * link.argocd.argoproj.io/*} annotations, on the resources and on the Application ({@code
   * appAnnotations}).
   */
  static AppSummary summary(DriftReport drift, Map<String, String> appAnnotations) {
    List<String> images = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (ResourceDrift d : drift.resources()) {
      Resource r = d.live().or(d::desired).orElseThrow();
      images(podSpec(r), images);
      links(r, urls);
      ingressUrls(r, urls);
    }
    appAnnotations.forEach(
        (k, v) -> {
          if (k.startsWith(LINK_PREFIX)) {
            urls.add(v);
          }
        });
    return new AppSummary(images, urls);
  }

  /** The Pod spec of a Pod, of a workload's Pod template, or missing. */
  static JsonNode podSpec(Resource r) {
    JsonNode spec = r.body().path("spec");
    String kind = r.group() + "/" + r.kind();
    return switch (kind) {
      case "/Pod" -> spec;
      case "apps/Deployment",
          "apps/StatefulSet",
          "apps/DaemonSet",
          "apps/ReplicaSet",
          "batch/Job",
          "/ReplicationController",
          "argoproj.io/Rollout" ->
          spec.path("template").path("spec");
      case "batch/CronJob" -> spec.path("jobTemplate").path("spec").path("template").path("spec");
      default -> MissingNode.getInstance();
    };
  }

  private static void images(JsonNode podSpec, List<String> out) {
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : podSpec.path(list)) {
        String image = c.path("image").asString("");
        if (!image.isEmpty()) {
          out.add(image);
        }
      }
    }
  }

  /** Values of link annotations whose URL (after an optional {@code title|}) is http(s). */
  private static void links(Resource r, List<String> out) {
    r.annotations()
        .forEach(
            (k, v) -> {
              if (k.startsWith(LINK_PREFIX) && isHttpUrl(v.substring(v.indexOf('|') + 1))) {
                out.add(v);
              }
            });
  }

  private static boolean isHttpUrl(String text) {
    try {
      java.net.URI uri = new java.net.URI(text);
      String scheme = Objects.requireNonNullElse(uri.getScheme(), "");
      return (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /**
   * An Ingress's URLs as Argo CD derives them: per rule path, {@code scheme://host} plus the path
   * (a trailing {@code *} dropped); the host is the rule's, or the first load balancer hostname or
   * IP of its status; the scheme is https when a {@code spec.tls} entry has a secretName or names
   * the host in its {@code host} field, else http. None when the Ingress is annotated {@code
   * argocd.argoproj.io/ignore-default-links: "true"}.
   */
  private static void ingressUrls(Resource r, List<String> out) {
    boolean ingress =
        r.kind().equals("Ingress")
            && (r.group().equals("networking.k8s.io") || r.group().equals("extensions"));
    if (!ingress
        || List.of("1", "t", "T", "true", "TRUE", "True")
            .contains(r.annotations().getOrDefault(IGNORE_DEFAULT_LINKS, ""))) {
      return;
    }
    JsonNode body = r.body();
    String balancer = "";
    for (JsonNode lb : body.at("/status/loadBalancer/ingress")) {
      balancer = lb.has("hostname") ? lb.path("hostname").asString("") : lb.path("ip").asString("");
      if (!balancer.isEmpty()) {
        break;
      }
    }
    for (JsonNode rule : body.at("/spec/rules")) {
      String host = rule.path("host").asString("");
      if (host.isEmpty()) {
        host = balancer;
      }
      JsonNode paths = rule.at("/http/paths");
      if (host.isEmpty() || !paths.isArray()) {
        continue;
      }
      String scheme = "http";
      for (JsonNode tls : body.at("/spec/tls")) {
        JsonNode secret = tls.get("secretName");
        if ((secret != null && !secret.isNull()) || tls.path("host").asString("").equals(host)) {
          scheme = "https";
        }
      }
      for (JsonNode path : paths) {
        String p = path.path("path").asString("");
        out.add(scheme + "://" + host + (p.endsWith("*") ? p.substring(0, p.length() - 1) : p));
      }
    }
  }

  /**
   * Removes the object's {@code operation} (a sync request, done now), as Argo CD's controller does
   * when the operation ends. Returns a problem, or "".
   */
  String clearOperation() {
    ResourceType type = cluster.typeOf(key);
    String path = type.itemPath(key.namespace(), key.name());
    KubeApi.Answer a =
        cluster
            .api()
            .send("PATCH", path, "application/merge-patch+json", "{\"operation\":null}", key);
    return a.ok()
        ? ""
        : "operation not cleared in "
            + key
            + " ("
            + a.code()
            + " "
            + a.reason()
            + "): "
            + a.message();
  }

  /**
   * Merge-patches the status {@code statusOf} makes of the object into it, starting from {@code
   * known}, the object as this process last saw it (its watch), instead of reading it first: the
   * patch carries {@code known}'s resourceVersion as a precondition, so a patch made from an object
   * that changed since (a status written meanwhile, whose history this patch would overwrite) is
   * refused with 409 instead of applied; then the object is read again and the patch made again
   * from it, with the version read. Under sharding the version precedes the fencing check that runs
   * before each send (the watch's object was received before it; a re-read is sent before it too),
   * so a write that arrives after a takeover cannot land on what the new owner wrote; it is re-read
   * once, as every fenced write, and twice without sharding.
   *
   * @return the problem for the status message, "" when written, or empty when the object is gone
   */
  Optional<String> write(Resource known, Function<Resource, ObjectNode> statusOf) {
    return write(known, statusOf, false);
  }

  /**
   * {@link #write(Resource, Function)}; with {@code endOperation}, the same patch also removes the
   * object's {@code operation} (the sync it asked for is done), as Argo CD's controller writes the
   * operation's final state. Where the patch went to a status subresource, which leaves the rest of
   * the object as it is, the operation is removed with a second patch ({@link #clearOperation}).
   */
  Optional<String> write(
      Resource known, Function<Resource, ObjectNode> statusOf, boolean endOperation) {
    int attempts = WriteFence.current().isPresent() ? 2 : 3;
    Resource object = known;
    KubeApi.Answer a = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (object == null) {
        Optional<Resource> read = cluster.get(key);
        if (read.isEmpty()) {
          return Optional.empty();
        }
        object = read.get();
      }
      String version = object.body().path("metadata").path("resourceVersion").asString("");
      a = patchStatus(statusOf.apply(object), version, endOperation);
      if (a.code() == 404) {
        return Optional.empty();
      }
      if (!a.preconditionFailed()) {
        break;
      }
      object = null;
    }
    if (a.ok() && endOperation) {
      JsonNode left = a.body().path("operation");
      if (!left.isMissingNode() && !left.isNull()) {
        // the status went to the subresource, which left the operation
        return Optional.of(clearOperation());
      }
    }
    return Optional.of(a.ok() ? "" : StatusWriter.notSaved(key, a));
  }

  /**
   * One merge patch of {@code status}, with {@code version} (unless "") as its precondition: to the
   * status subresource, or the object itself when the CRD has none (Argo CD's does not declare
   * one).
   */
  private KubeApi.Answer patchStatus(ObjectNode status, String version, boolean endOperation) {
    ObjectNode patch = Yaml.mapper().createObjectNode();
    if (!version.isEmpty()) {
      patch.putObject("metadata").put("resourceVersion", version);
    }
    if (endOperation) {
      patch.putNull("operation");
    }
    patch.set("status", status);
    return cluster.statusWriter().patch(key, patch, false);
  }

  String write(ObjectNode status) {
    ObjectNode patch = Yaml.mapper().createObjectNode();
    patch.set("status", status);
    // under sharding: with the resourceVersion read before the fencing check as a precondition
    KubeApi.Answer a = cluster.statusWriter().patch(key, patch, true);
    return a.ok() ? "" : StatusWriter.notSaved(key, a);
  }
}
