package io.glidepath.appset;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.glidepath.appset.internal.RollingSync;
import io.glidepath.core.GlidepathException;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the Applications of one Argo CD ApplicationSet object equal to what its generators
 * generate, as Argo CD's ApplicationSet controller does: creates the missing ones, updates those
 * whose spec, labels, annotations or finalizers differ and deletes those no longer generated, as
 * far as {@code syncPolicy.applicationsSync} allows ({@code create-only}, {@code create-update},
 * {@code create-delete}, {@code sync}); owner references as Argo CD sets them (the ApplicationSet
 * as controller, {@code blockOwnerDeletion}); annotations Argo CD preserves ({@code
 * argocd.argoproj.io/refresh}, {@code notified.notifications.argoproj.io}) and those in {@code
 * preservedFields} kept; the status conditions {@code ErrorOccurred}, {@code ParametersGenerated},
 * {@code ResourcesUpToDate} and {@code status.resources} (each Application's sync and health) in
 * Argo CD's shape. A generator error changes no Application. A pass that finds everything equal
 * writes nothing.
 *
 * <pre>{@code
 * ApplicationSetController c =
 *     ApplicationSetController.builder(controlPlane, "argocd", "trade-service", context).build();
 * c.start(); // a pass now and every resync period
 * }</pre>
 *
 * <p>{@code strategy: RollingSync} is run as Argo CD's progressive syncs: the generated
 * Applications lose {@code syncPolicy.automated}, and each pass moves {@code
 * status.applicationStatus} (Waiting, Pending, Progressing, Healthy, per step) and asks the apps of
 * the open step for a sync through their {@code operation} (prune as the template's {@code
 * automated.prune}), within {@code maxUpdate}; the next step opens when every app of the earlier
 * ones is Healthy and Synced; the {@code RolloutProgressing} condition says which step runs. The
 * Applications themselves are synced by their own {@link
 * io.glidepath.kube.controller.ApplicationController}s (which honour {@code operation}).
 * Thread-safe: passes are serialized.
 */
public final class ApplicationSetController implements AutoCloseable {
  static final String APPSET_API = "argoproj.io/v1alpha1";
  private static final Set<String> ARGO_PRESERVED =
      Set.of("argocd.argoproj.io/refresh", "notified.notifications.argoproj.io");

  private final KubeCluster control;
  private final String namespace;
  private final String name;
  private final GeneratorContext context;
  private final Clock clock;
  private final Duration resync;
  private final Duration rolloutPoll;
  private volatile Duration requeue;
  private final Runnable writeCheck;
  private final Object lock = new Object();
  private ScheduledExecutorService loop;

  private ApplicationSetController(Builder b) {
    this.control = b.control;
    this.namespace = b.namespace;
    this.name = b.name;
    this.context = b.context;
    this.clock = b.clock;
    this.resync = b.resync;
    this.rolloutPoll = b.rolloutPoll;
    this.requeue = b.resync;
    this.writeCheck = b.writeCheck;
  }

  public static Builder builder(
      KubeCluster control, String namespace, String name, GeneratorContext context) {
    return new Builder(control, namespace, name, context);
  }

  /**
   * What one pass did.
   *
   * @param created names of the Applications created
   * @param updated names of the Applications updated
   * @param deleted names of the Applications deleted
   * @param synced names of the Applications whose sync RollingSync requested (their {@code
   *     operation})
   * @param error the generation error, or {@code ""}
   * @param statusWritten whether the ApplicationSet's status was written
   * @param rolloutProgressing whether a RollingSync rollout is under way (a step not all Healthy)
   */
  public record Pass(
      List<String> created,
      List<String> updated,
      List<String> deleted,
      List<String> synced,
      String error,
      boolean statusWritten,
      boolean rolloutProgressing) {
    public Pass {
      created = List.copyOf(created);
      updated = List.copyOf(updated);
      deleted = List.copyOf(deleted);
      synced = List.copyOf(synced);
    }

    /** Whether the pass wrote anything. */
    public boolean wroteNothing() {
      return created.isEmpty()
          && updated.isEmpty()
          && deleted.isEmpty()
          && synced.isEmpty()
          && !statusWritten;
    }
  }

  private KubernetesClient client() {
    return control.client();
  }

  /** One pass on the calling thread. */
  public Pass reconcile() {
    synchronized (lock) {
      return reconcileLocked();
    }
  }

  private Pass reconcileLocked() {
    GenericKubernetesResource object =
        client()
            .genericKubernetesResources(APPSET_API, "ApplicationSet")
            .inNamespace(namespace)
            .withName(name)
            .get();
    if (object == null) {
      return new Pass(
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          "ApplicationSet " + namespace + "/" + name + " not found",
          false,
          false);
    }
    JsonNode tree = Yaml.mapper().readTree(Serialization.asJson(object));
    String uid = tree.path("metadata").path("uid").asString("");
    List<JsonNode> current = owned(uid);
    ApplicationSet set;
    GeneratedApplications generated;
    try {
      set = ApplicationSet.fromObject(tree, "ApplicationSet " + namespace + "/" + name);
      generated = ApplicationSetGenerator.of(context).generate(set);
    } catch (GlidepathException e) {
      // the rollout's statuses are kept as they were: nothing moves while generation fails
      boolean written =
          writeStatus(
              tree,
              conditions(e.getMessage()),
              resources(current),
              tree.path("status").path("applicationStatus"));
      return new Pass(List.of(), List.of(), List.of(), List.of(), e.getMessage(), written, false);
    }
    requeue = requeueAfter(set);
    boolean rolling = set.rollingSync();
    Map<String, Boolean> prune = new LinkedHashMap<>();
    List<JsonNode> desiredApps = new ArrayList<>();
    ApplicationsSync policy = set.applicationsSync();
    List<String> created = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode c : current) {
      byName.put(c.path("metadata").path("name").asString(), c);
    }
    List<String> wanted = new ArrayList<>();
    for (Resource app : generated.applications()) {
      ObjectNode desired = (ObjectNode) app.body().deepCopy();
      String appName = app.name();
      wanted.add(appName);
      if (rolling) {
        // Argo CD: RollingSync triggers the syncs itself, so generated apps lose autosync
        JsonNode automated = desired.path("spec").path("syncPolicy").path("automated");
        prune.put(appName, automated.path("prune").asBoolean(false));
        if (!automated.isMissingNode()) {
          ((ObjectNode) desired.path("spec").path("syncPolicy")).remove("automated");
        }
      }
      desiredApps.add(desired);
      ObjectNode meta = (ObjectNode) desired.path("metadata");
      meta.put("namespace", namespace);
      ArrayNode owners = meta.putArray("ownerReferences");
      owners
          .addObject()
          .put("apiVersion", APPSET_API)
          .put("kind", "ApplicationSet")
          .put("name", name)
          .put("uid", uid)
          .put("controller", true)
          .put("blockOwnerDeletion", true);
      JsonNode existing = byName.get(appName);
      if (existing == null) {
        JsonNode taken = existingUnowned(appName);
        if (taken != null) {
          // Argo CD refuses to take over an Application another owner (or no owner) has
          continue;
        }
        writeCheck.run();
        client().resource(Yaml.toJson(desired)).inNamespace(namespace).create();
        created.add(appName);
        continue;
      }
      keepPreserved(set, existing, meta);
      if (!policy.allowsUpdate() || same(existing, desired)) {
        continue;
      }
      ObjectNode update = (ObjectNode) existing.deepCopy();
      ObjectNode um = (ObjectNode) update.path("metadata");
      for (String f : List.of("labels", "annotations", "finalizers", "ownerReferences")) {
        if (meta.has(f)) {
          um.set(f, meta.get(f));
        } else {
          um.remove(f);
        }
      }
      update.set("spec", desired.path("spec"));
      writeCheck.run();
      client().resource(Yaml.toJson(update)).inNamespace(namespace).update();
      updated.add(appName);
    }
    if (policy.allowsDelete()) {
      for (Map.Entry<String, JsonNode> e : byName.entrySet()) {
        if (!wanted.contains(e.getKey())) {
          writeCheck.run();
          client()
              .genericKubernetesResources(APPSET_API, "Application")
              .inNamespace(namespace)
              .withName(e.getKey())
              .delete();
          deleted.add(e.getKey());
        }
      }
    }
    List<JsonNode> now =
        created.isEmpty() && updated.isEmpty() && deleted.isEmpty() ? current : owned(uid);
    ArrayNode conditions = conditions("");
    JsonNode applicationStatus = MissingNode.getInstance();
    List<String> synced = new ArrayList<>();
    boolean progressing = false;
    if (rolling) {
      Map<String, JsonNode> live = new LinkedHashMap<>();
      for (JsonNode a : now) {
        live.put(a.path("metadata").path("name").asString(), a);
      }
      Set<String> changed = new java.util.HashSet<>(created);
      changed.addAll(updated);
      RollingSync.Outcome o =
          RollingSync.pass(
              set.spec().path("strategy").path("rollingSync").path("steps"),
              desiredApps,
              live,
              changed,
              tree.path("status").path("applicationStatus"),
              clock.instant().toString());
      for (String app : o.sync()) {
        requestSync(app, prune.getOrDefault(app, false), live.get(app));
        synced.add(app);
      }
      conditions.add(o.condition());
      applicationStatus = o.applicationStatus();
      progressing = o.condition().path("status").asString("").equals("True");
    }
    boolean written = writeStatus(tree, conditions, resources(now), applicationStatus);
    return new Pass(created, updated, deleted, synced, "", written, progressing);
  }

  /**
   * Asks the app's ApplicationController for a sync through the Application's {@code operation}, as
   * Argo CD's RollingSync does.
   */
  private void requestSync(String app, boolean prune, JsonNode live) {
    ObjectNode patch = Yaml.mapper().createObjectNode();
    ObjectNode op = patch.putObject("operation");
    op.putObject("initiatedBy").put("username", "applicationset-controller").put("automated", true);
    op.putArray("info")
        .addObject()
        .put("name", "Reason")
        .put("value", "ApplicationSet RollingSync triggered a sync of this Application resource.");
    ObjectNode sync = op.putObject("sync");
    sync.put("prune", prune);
    JsonNode options = live.path("spec").path("syncPolicy").path("syncOptions");
    if (options.isArray() && !options.isEmpty()) {
      sync.set("syncOptions", options.deepCopy());
    }
    writeCheck.run();
    client()
        .genericKubernetesResources(APPSET_API, "Application")
        .inNamespace(namespace)
        .withName(app)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Yaml.toJson(patch));
  }

  /**
   * When Argo CD would look again: the shortest {@code requeueAfterSeconds} of the git generators
   * (Argo CD's default 3 minutes each); the resync period when there is none.
   */
  private Duration requeueAfter(ApplicationSet set) {
    long seconds = requeueSeconds(set.spec().path("generators"));
    return seconds == Long.MAX_VALUE ? resync : Duration.ofSeconds(seconds);
  }

  private static long requeueSeconds(JsonNode generators) {
    long min = Long.MAX_VALUE;
    for (JsonNode g : generators) {
      if (g.has("git")) {
        min = Math.min(min, g.path("git").path("requeueAfterSeconds").asLong(180));
      }
      for (String k : List.of("matrix", "merge")) {
        min = Math.min(min, requeueSeconds(g.path(k).path("generators")));
      }
    }
    return min;
  }

  /** The annotations and labels Argo CD keeps from the live Application. */
  private static void keepPreserved(ApplicationSet set, JsonNode existing, ObjectNode meta) {
    JsonNode liveAnn = existing.path("metadata").path("annotations");
    List<String> keepAnn = new ArrayList<>(ARGO_PRESERVED);
    keepAnn.addAll(set.preservedAnnotations());
    for (String k : keepAnn) {
      if (liveAnn.has(k)) {
        ObjectNode ann =
            meta.path("annotations").isObject()
                ? (ObjectNode) meta.path("annotations")
                : meta.putObject("annotations");
        ann.set(k, liveAnn.get(k));
      }
    }
    JsonNode liveLabels = existing.path("metadata").path("labels");
    for (String k : set.preservedLabels()) {
      if (liveLabels.has(k)) {
        ObjectNode l =
            meta.path("labels").isObject()
                ? (ObjectNode) meta.path("labels")
                : meta.putObject("labels");
        l.set(k, liveLabels.get(k));
      }
    }
  }

  private static boolean same(JsonNode existing, ObjectNode desired) {
    JsonNode em = existing.path("metadata");
    JsonNode dm = desired.path("metadata");
    for (String f : List.of("labels", "annotations", "finalizers")) {
      if (!emptyToMissing(em.path(f)).equals(emptyToMissing(dm.path(f)))) {
        return false;
      }
    }
    return existing.path("spec").equals(desired.path("spec"));
  }

  private static JsonNode emptyToMissing(JsonNode n) {
    return (n.isObject() || n.isArray()) && n.isEmpty()
        ? tools.jackson.databind.node.MissingNode.getInstance()
        : n;
  }

  private List<JsonNode> owned(String uid) {
    List<JsonNode> out = new ArrayList<>();
    for (GenericKubernetesResource r :
        client()
            .genericKubernetesResources(APPSET_API, "Application")
            .inNamespace(namespace)
            .list()
            .getItems()) {
      JsonNode n = Yaml.mapper().readTree(Serialization.asJson(r));
      for (JsonNode o : n.path("metadata").path("ownerReferences")) {
        if (o.path("kind").asString("").equals("ApplicationSet")
            && o.path("name").asString("").equals(name)
            && (uid.isEmpty() || o.path("uid").asString(uid).equals(uid))) {
          out.add(n);
          break;
        }
      }
    }
    return out;
  }

  private JsonNode existingUnowned(String appName) {
    GenericKubernetesResource r =
        client()
            .genericKubernetesResources(APPSET_API, "Application")
            .inNamespace(namespace)
            .withName(appName)
            .get();
    return r == null ? null : Yaml.mapper().readTree(Serialization.asJson(r));
  }

  /** Argo CD's three conditions, for success ({@code error} empty) or a generation error. */
  private static ArrayNode conditions(String error) {
    ArrayNode out = Yaml.mapper().createArrayNode();
    boolean ok = error.isEmpty();
    out.addObject()
        .put("type", "ErrorOccurred")
        .put("status", ok ? "False" : "True")
        .put("reason", ok ? "ApplicationSetUpToDate" : "ApplicationGenerationFromParamsError")
        .put("message", ok ? "All applications have been generated successfully" : error);
    out.addObject()
        .put("type", "ParametersGenerated")
        .put("status", ok ? "True" : "False")
        .put("reason", ok ? "ParametersGenerated" : "ErrorOccurred")
        .put("message", ok ? "Successfully generated parameters for all Applications" : error);
    out.addObject()
        .put("type", "ResourcesUpToDate")
        .put("status", ok ? "True" : "False")
        .put("reason", ok ? "ApplicationSetUpToDate" : "ApplicationGenerationFromParamsError")
        .put("message", ok ? "All applications have been generated successfully" : error);
    return out;
  }

  /** {@code status.resources}: each Application with its sync status and health. */
  private static ArrayNode resources(List<JsonNode> apps) {
    ArrayNode out = Yaml.mapper().createArrayNode();
    for (JsonNode a : apps) {
      ObjectNode r = out.addObject();
      r.put("group", "argoproj.io");
      r.put("version", "v1alpha1");
      r.put("kind", "Application");
      r.put("name", a.path("metadata").path("name").asString());
      r.put("namespace", a.path("metadata").path("namespace").asString());
      r.put("status", a.path("status").path("sync").path("status").asString("OutOfSync"));
      r.putObject("health")
          .put("status", a.path("status").path("health").path("status").asString("Missing"));
    }
    return out;
  }

  /**
   * Writes the status when conditions (their transition times aside) or resources changed; keeps a
   * condition's lastTransitionTime while its status stays.
   */
  private boolean writeStatus(
      JsonNode object, ArrayNode conditions, ArrayNode resources, JsonNode applicationStatus) {
    JsonNode status = object.path("status");
    JsonNode oldConditions = status.path("conditions");
    boolean changed =
        !resources.equals(status.path("resources"))
            || !applicationStatus.equals(status.path("applicationStatus"));
    String now = clock.instant().toString();
    for (JsonNode c : conditions) {
      ObjectNode cond = (ObjectNode) c;
      JsonNode before = null;
      for (JsonNode o : oldConditions) {
        if (o.path("type").asString("").equals(cond.path("type").asString())) {
          before = o;
        }
      }
      if (before != null && before.path("status").equals(cond.path("status"))) {
        cond.set("lastTransitionTime", before.path("lastTransitionTime"));
      } else {
        cond.put("lastTransitionTime", now);
      }
      if (before == null
          || !before.path("status").equals(cond.path("status"))
          || !before.path("message").equals(cond.path("message"))
          || !before.path("reason").equals(cond.path("reason"))) {
        changed = true;
      }
    }
    if (oldConditions.size() != conditions.size()) {
      changed = true;
    }
    if (!changed) {
      return false;
    }
    ObjectNode patch = Yaml.mapper().createObjectNode();
    ObjectNode s = patch.putObject("status");
    s.set("conditions", conditions);
    s.set("resources", resources);
    if (applicationStatus.isMissingNode()) {
      s.putNull("applicationStatus");
    } else {
      s.set("applicationStatus", applicationStatus);
    }
    writeCheck.run();
    client()
        .genericKubernetesResources(APPSET_API, "ApplicationSet")
        .inNamespace(namespace)
        .withName(name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Yaml.toJson(patch));
    return true;
  }

  /** Starts a pass now and one every resync period, on the controller's own thread. */
  public void start() {
    synchronized (lock) {
      if (loop != null) {
        return;
      }
      loop =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "glidepath-appset-" + name);
                t.setDaemon(true);
                return t;
              });
      loop.execute(this::loopPass);
    }
  }

  /** A pass, then the next one: soon while a rollout is under way, else at the requeue time. */
  private void loopPass() {
    Duration next = resync;
    try {
      Pass p = reconcile();
      next = p.rolloutProgressing() && rolloutPoll.compareTo(requeue) < 0 ? rolloutPoll : requeue;
    } catch (RuntimeException e) {
      // the next pass tries again
    }
    ScheduledExecutorService l = loop;
    if (l != null && !l.isShutdown()) {
      try {
        l.schedule(this::loopPass, next.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // stopped meanwhile
      }
    }
  }

  /** Asks for a pass soon (e.g. from a GitWatcher listener on a new commit). */
  public void refresh() {
    ScheduledExecutorService l = loop;
    if (l != null) {
      l.execute(
          () -> {
            try {
              reconcile();
            } catch (RuntimeException e) {
              // the next pass tries again
            }
          });
    }
  }

  public void stop() {
    ScheduledExecutorService l;
    synchronized (lock) {
      l = loop;
      loop = null;
    }
    if (l != null) {
      l.shutdownNow();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Settings; defaults: system clock, resync every 3 minutes (for sets without a git generator;
   * those are looked at again after their {@code requeueAfterSeconds}, Argo CD's default 3
   * minutes), every {@value Builder#DEFAULT_ROLLOUT_POLL_SECONDS} s while a rollout is under way.
   */
  public static final class Builder {
    public static final long DEFAULT_ROLLOUT_POLL_SECONDS = 10;
    private final KubeCluster control;
    private final String namespace;
    private final String name;
    private final GeneratorContext context;
    private Clock clock = Clock.systemUTC();
    private Duration resync = Duration.ofMinutes(3);
    private Duration rolloutPoll = Duration.ofSeconds(DEFAULT_ROLLOUT_POLL_SECONDS);
    private Runnable writeCheck = () -> {};

    private Builder(KubeCluster control, String namespace, String name, GeneratorContext context) {
      this.control = Objects.requireNonNull(control, "control");
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      this.name = Objects.requireNonNull(name, "name");
      this.context = Objects.requireNonNull(context, "context");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How often a started controller runs a pass; must be positive. */
    public Builder resyncPeriod(Duration period) {
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("resyncPeriod must be positive, but was " + period);
      }
      this.resync = period;
      return this;
    }

    /**
     * How soon a started controller looks again while a RollingSync rollout is under way (to open
     * the next step once the current one is Healthy); must be positive.
     */
    public Builder rolloutPollPeriod(Duration period) {
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("rolloutPollPeriod must be positive, but was " + period);
      }
      this.rolloutPoll = period;
      return this;
    }

    /**
     * Runs immediately before every write of a pass (an Application created, updated, deleted or
     * asked to sync; the ApplicationSet's status) and refuses it by throwing: the fencing check of
     * {@link io.glidepath.kube.shard.ShardedItems} when replicas share the ApplicationSets. A
     * refused write ends the pass with that exception. Default: none.
     */
    public Builder writeCheck(Runnable writeCheck) {
      this.writeCheck = Objects.requireNonNull(writeCheck, "writeCheck");
      return this;
    }

    public ApplicationSetController build() {
      return new ApplicationSetController(this);
    }
  }
}
