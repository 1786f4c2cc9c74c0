package io.glidepath.appset;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.ProviderContext;
import io.glidepath.appset.internal.AnalysisGates;
import io.glidepath.appset.internal.RollingSync;
import io.glidepath.core.GlidepathException;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 *
 * <p>Glidepath extension: a RollingSync step may carry an {@code analysis} ({@code templates} by
 * {@code templateName}, optional {@code clusterScope}, and literal {@code args}, as in an Argo
 * Rollouts canary step). Once every app of the step is Healthy and Synced an {@link
 * io.glidepath.analysis.AnalysisRun} of those templates starts, and the next step opens only when
 * it is Successful. A Failed (or Error) run stops the rollout and rolls the step's Applications
 * back to the spec they had before the generated spec last changed (kept in the annotation {@value
 * #PREVIOUS_SPEC}); they stay there, marked with {@value #ROLLED_BACK_FROM}, until the generators
 * produce another spec. An Inconclusive run holds the rollout without rolling back. The {@code
 * RolloutProgressing} condition says which (reasons {@code ApplicationSetAnalysisFailed}, {@code
 * ApplicationSetAnalysisInconclusive}).
 *
 * <p>Thread-safe: passes are serialized.
 */
public final class ApplicationSetController implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ApplicationSetController.class);
  static final String APPSET_API = "argoproj.io/v1alpha1";
  private static final Set<String> ARGO_PRESERVED =
      Set.of("argocd.argoproj.io/refresh", "notified.notifications.argoproj.io");

  /**
   * On a generated Application of a RollingSync with analysis gates: its spec before the generated
   * spec last changed (JSON), what a failed analysis rolls it back to.
   */
  public static final String PREVIOUS_SPEC = "rollingsync.glidepath.io/previous-spec";

  /**
   * On an Application rolled back by a failed analysis: the digest of the generated spec it was
   * rolled back from; held back from that spec until the generators produce another.
   */
  public static final String ROLLED_BACK_FROM = "rollingsync.glidepath.io/rolled-back-from";

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
  private java.util.concurrent.ScheduledFuture<?> nextPass;
  private final AnalysisGates gates = new AnalysisGates();
  private final AnalysisTemplates templates;
  private final Supplier<MetricProviders> providers;
  private final AnalysisScheduler givenScheduler;
  private AnalysisScheduler scheduler;
  private ScheduledExecutorService analysisExecutor;

  private ApplicationSetController(Builder b) {
    this.control = b.control;
    this.namespace = b.namespace;
    this.name = b.name;
    this.context = b.context;
    this.clock = b.clock;
    this.resync = b.resync;
    this.rolloutPoll = b.rolloutPoll;
    this.requeue = b.resync;
    this.templates =
        b.templates != null ? b.templates : AnalysisTemplates.inCluster(b.control, b.namespace);
    MetricProviders given = b.providers;
    this.providers =
        given != null
            ? () -> given
            : new Supplier<>() {
              private MetricProviders found;

              @Override
              public synchronized MetricProviders get() {
                if (found == null) {
                  found = MetricProviders.discover(ProviderContext.ofDefaults());
                }
                return found;
              }
            };
    this.givenScheduler = b.scheduler;
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
   * @param rolloutProgressing whether a RollingSync rollout is under way (a step not all Healthy,
   *     or its analysis running)
   * @param rolledBack names of the Applications a failed analysis rolled back in this pass (also in
   *     {@code updated})
   */
  public record Pass(
      List<String> created,
      List<String> updated,
      List<String> deleted,
      List<String> synced,
      String error,
      boolean statusWritten,
      boolean rolloutProgressing,
      List<String> rolledBack) {
    public Pass {
      created = List.copyOf(created);
      updated = List.copyOf(updated);
      deleted = List.copyOf(deleted);
      synced = List.copyOf(synced);
      rolledBack = List.copyOf(rolledBack);
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
          false,
          List.of());
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
      return new Pass(
          List.of(), List.of(), List.of(), List.of(), e.getMessage(), written, false, List.of());
    }
    requeue = requeueAfter(set);
    boolean rolling = set.rollingSync();
    JsonNode steps = set.spec().path("strategy").path("rollingSync").path("steps");
    List<AnalysisGates.StepAnalysis> analyses = new ArrayList<>();
    if (rolling) {
      steps.forEach(st -> analyses.add(AnalysisGates.StepAnalysis.of(st)));
    }
    boolean gated = analyses.stream().anyMatch(Objects::nonNull);
    List<String> rolledBack = new ArrayList<>();
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
    // with analysis gates: each app's step and generated spec digest, each step's group state
    Map<String, Integer> stepOf = new HashMap<>();
    Map<String, String> digests = new HashMap<>();
    Map<Integer, StringBuilder> groups = new LinkedHashMap<>();
    if (gated) {
      for (Resource app : generated.applications()) {
        int step = RollingSync.stepOf(steps, app.body().path("metadata").path("labels"));
        String digest = digest(autosyncOff(app.body()).path("spec"));
        stepOf.put(app.name(), step);
        digests.put(app.name(), digest);
        groups
            .computeIfAbsent(step, k -> new StringBuilder())
            .append(app.name())
            .append('=')
            .append(digest)
            .append(';');
      }
    }
    Map<Integer, String> keys = new HashMap<>();
    groups.forEach((step, group) -> keys.put(step, digest(group.toString())));
    gates.retain(keys);
    Map<Integer, AnalysisGates.Verdict> verdicts = new HashMap<>();
    for (int i = 0; i < analyses.size(); i++) {
      if (analyses.get(i) != null && keys.containsKey(i)) {
        verdicts.put(i, gates.verdict(i, keys.get(i)));
      }
    }
    // after a restart: a group rolled back from its current generated spec has failed
    for (JsonNode c : current) {
      String appName = c.path("metadata").path("name").asString();
      Integer step = stepOf.get(appName);
      String from = c.path("metadata").path("annotations").path(ROLLED_BACK_FROM).asString("");
      if (step != null
          && verdicts.containsKey(step)
          && verdicts.get(step).state() == AnalysisGates.State.NONE
          && from.equals(digests.get(appName))) {
        verdicts.put(
            step,
            new AnalysisGates.Verdict(
                AnalysisGates.State.FAILED, "Failed (the step was rolled back before)"));
      }
    }
    for (Resource app : generated.applications()) {
      ObjectNode desired = (ObjectNode) app.body().deepCopy();
      String appName = app.name();
      wanted.add(appName);
      if (rolling) {
        // Argo CD: RollingSync triggers the syncs itself, so generated apps lose autosync
        JsonNode automated = desired.path("spec").path("syncPolicy").path("automated");
        prune.put(appName, automated.path("prune").asBoolean(false));
        desired = autosyncOff(desired);
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
      boolean rollingBack = false;
      if (gated) {
        rollingBack =
            holdOrRecord(
                existing, desired, meta, verdicts.get(stepOf.get(appName)), digests.get(appName));
      }
      if (!policy.allowsUpdate() || same(existing, desired)) {
        continue;
      }
      if (rollingBack) {
        rolledBack.add(appName);
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
              steps,
              desiredApps,
              live,
              changed,
              tree.path("status").path("applicationStatus"),
              clock.instant().toString(),
              i ->
                  analyses.get(i) == null
                      || verdicts.getOrDefault(i, AnalysisGates.Verdict.NONE).state()
                          == AnalysisGates.State.PASSED);
      for (String app : o.sync()) {
        requestSync(app, prune.getOrDefault(app, false), live.get(app));
        synced.add(app);
      }
      ObjectNode condition = o.condition();
      if (gated) {
        condition = gateCondition(condition, analyses, verdicts, keys, o.healthySteps());
      }
      conditions.add(condition);
      applicationStatus = o.applicationStatus();
      progressing = condition.path("status").asString("").equals("True");
    }
    boolean written = writeStatus(tree, conditions, resources(now), applicationStatus);
    return new Pass(created, updated, deleted, synced, "", written, progressing, rolledBack);
  }

  /** The app without {@code spec.syncPolicy.automated} (a copy when it had one). */
  private static ObjectNode autosyncOff(JsonNode app) {
    ObjectNode out = (ObjectNode) app.deepCopy();
    JsonNode policy = out.path("spec").path("syncPolicy");
    if (policy.isObject()) {
      ((ObjectNode) policy).remove("automated");
    }
    return out;
  }

  /**
   * With analysis gates, before an app's update: an app of a step whose analysis failed is held on
   * (rolled back to) its previous spec; any other app whose spec changes records the spec it had.
   * Returns whether {@code desired} now rolls the app back.
   */
  private static boolean holdOrRecord(
      JsonNode existing,
      ObjectNode desired,
      ObjectNode meta,
      AnalysisGates.Verdict verdict,
      String digest) {
    JsonNode annotations = existing.path("metadata").path("annotations");
    String previous = annotations.path(PREVIOUS_SPEC).asString("");
    boolean failed = verdict != null && verdict.state() == AnalysisGates.State.FAILED;
    if (failed && !previous.isEmpty()) {
      JsonNode spec = Yaml.mapper().readTree(previous);
      boolean change = !spec.equals(existing.path("spec"));
      desired.set("spec", spec);
      annotations(meta).put(PREVIOUS_SPEC, previous).put(ROLLED_BACK_FROM, digest);
      return change;
    }
    ObjectNode ann = annotations(meta);
    if (!existing.path("spec").equals(desired.path("spec"))) {
      ann.put(PREVIOUS_SPEC, Yaml.toJson(existing.path("spec")));
      ann.remove(ROLLED_BACK_FROM);
    } else {
      if (!previous.isEmpty()) {
        ann.put(PREVIOUS_SPEC, previous);
      }
      if (annotations.has(ROLLED_BACK_FROM) && !failed) {
        ann.remove(ROLLED_BACK_FROM);
      } else if (annotations.has(ROLLED_BACK_FROM)) {
        ann.set(ROLLED_BACK_FROM, annotations.get(ROLLED_BACK_FROM));
      }
    }
    return false;
  }

  private static ObjectNode annotations(ObjectNode meta) {
    return meta.path("annotations").isObject()
        ? (ObjectNode) meta.path("annotations")
        : meta.putObject("annotations");
  }

  /**
   * Starts the analysis of each step that just became Healthy, and says in the {@code
   * RolloutProgressing} condition where the first gate not passed stands.
   */
  private ObjectNode gateCondition(
      ObjectNode condition,
      List<AnalysisGates.StepAnalysis> analyses,
      Map<Integer, AnalysisGates.Verdict> verdicts,
      Map<Integer, String> keys,
      Set<Integer> healthy) {
    for (int i = 0; i < analyses.size(); i++) {
      AnalysisGates.StepAnalysis a = analyses.get(i);
      AnalysisGates.Verdict v = verdicts.getOrDefault(i, AnalysisGates.Verdict.NONE);
      if (a != null && keys.containsKey(i) && v.state() == AnalysisGates.State.FAILED) {
        return failed(i, a, v);
      }
      if (!healthy.contains(i)) {
        return condition; // the step is still rolling out: RollingSync's own condition
      }
      if (a == null || !keys.containsKey(i) || v.state() == AnalysisGates.State.PASSED) {
        continue;
      }
      if (v.state() == AnalysisGates.State.NONE) {
        gates.start(
            i, keys.get(i), name + "-step-" + (i + 1), a, templates, providers.get(), scheduler());
        v = gates.verdict(i, keys.get(i));
        if (v.state() == AnalysisGates.State.FAILED) {
          return failed(i, a, v); // an invalid analysis: rolled back by the next pass
        }
      }
      if (v.state() == AnalysisGates.State.INCONCLUSIVE) {
        return stopped(
            "False",
            "ApplicationSetAnalysisInconclusive",
            "ApplicationSet rollout paused after step "
                + (i + 1)
                + ": analysis "
                + a.names()
                + " was "
                + v.message());
      }
      // running, or completed just now: the next pass acts on its verdict
      return stopped(
          "True",
          "ApplicationSetModified",
          "ApplicationSet is performing rollout of step "
              + (i + 1)
              + ": analysis "
              + a.names()
              + " is running");
    }
    return condition;
  }

  private static ObjectNode failed(
      int step, AnalysisGates.StepAnalysis a, AnalysisGates.Verdict v) {
    return stopped(
        "False",
        "ApplicationSetAnalysisFailed",
        "ApplicationSet rollout stopped at step "
            + (step + 1)
            + ": analysis "
            + a.names()
            + " was "
            + v.message()
            + "; the step's Applications are rolled back to their previous spec");
  }

  private static ObjectNode stopped(String status, String reason, String message) {
    ObjectNode c = Yaml.mapper().createObjectNode();
    c.put("type", "RolloutProgressing");
    c.put("status", status);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  private AnalysisScheduler scheduler() {
    if (givenScheduler != null) {
      return givenScheduler;
    }
    if (scheduler == null) {
      analysisExecutor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "glidepath-appset-analysis-" + name);
                t.setDaemon(true);
                return t;
              });
      scheduler = AnalysisScheduler.of(analysisExecutor, clock);
    }
    return scheduler;
  }

  private static String digest(JsonNode node) {
    return digest(Yaml.toJson(node));
  }

  private static String digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
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
    // Argo CD's CRD declares a status subresource; one that declares none keeps status in the
    // object (and a CRD changed since discovery is followed)
    control.patchStatus(new ResourceKey("argoproj.io", "ApplicationSet", namespace, name), patch);
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
      LOG.warn("ApplicationSet {}/{}: pass failed, tried again in {}", namespace, name, next, e);
    }
    ScheduledExecutorService l = loop;
    if (l != null && !l.isShutdown()) {
      try {
        synchronized (lock) {
          if (nextPass != null) {
            nextPass.cancel(false);
          }
          nextPass = l.schedule(this::loopPass, next.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // stopped meanwhile
      }
    }
  }

  /**
   * Asks a started controller for a pass soon (e.g. from a GitWatcher listener on a new commit, or
   * after the ApplicationSet was edited); the passes after it follow a rollout it starts.
   */
  public void refresh() {
    ScheduledExecutorService l = loop;
    if (l != null) {
      try {
        l.execute(this::loopPass);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // stopped meanwhile
      }
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

  /** Stops the loop and terminates running analyses. */
  @Override
  public void close() {
    stop();
    synchronized (lock) {
      gates.close();
      if (analysisExecutor != null) {
        analysisExecutor.shutdownNow();
        analysisExecutor = null;
        scheduler = null;
      }
    }
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
    private AnalysisTemplates templates;
    private MetricProviders providers;
    private AnalysisScheduler scheduler;
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
     * Where the analysis gates find their templates; default {@link
     * AnalysisTemplates#inCluster}(control plane, the ApplicationSet's namespace).
     */
    public Builder analysisTemplates(AnalysisTemplates templates) {
      this.templates = Objects.requireNonNull(templates, "templates");
      return this;
    }

    /**
     * The metric providers of the analysis gates; default every provider on the class path ({@link
     * MetricProviders#discover} with {@link ProviderContext#ofDefaults()}), found at the first
     * analysis.
     */
    public Builder metricProviders(MetricProviders providers) {
      this.providers = Objects.requireNonNull(providers, "providers");
      return this;
    }

    /**
     * Where analysis measurements are scheduled; default a thread of the controller's own on its
     * clock. Tests pass a {@link io.glidepath.analysis.VirtualScheduler}.
     */
    public Builder analysisScheduler(AnalysisScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
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
