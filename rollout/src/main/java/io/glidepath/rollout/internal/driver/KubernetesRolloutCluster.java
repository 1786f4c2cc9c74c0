package io.glidepath.rollout.internal.driver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.core.resource.JsonMergePatch;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.RolloutException;
import io.glidepath.rollout.driver.ReplicaSetSpec;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.WritesThroughKube;
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
public final class KubernetesRolloutCluster implements RolloutCluster, WritesThroughKube {
  /** The label that pins selectors to a pod template. */
  public static final String HASH_LABEL = "rollouts-pod-template-hash";

  private static final String ROLLOUT_API = "argoproj.io/v1alpha1";

  private final KubernetesClient client;
  // whether a rollout keeps its status in a Rollout object: asked once, so that persisting a
  // status before acting costs one request
  private final java.util.Map<String, Boolean> inRolloutObject =
      new java.util.concurrent.ConcurrentHashMap<>();

  // whether the Rollout CRD declares a status subresource (Argo Rollouts' does), from discovery;
  // null until discovery answered
  private volatile Boolean rolloutStatusSubresource;
  // discovery asked again after an object kept another status, and still without the subresource
  private volatile boolean statusCheckedWithoutSubresource;

  public KubernetesRolloutCluster(KubernetesClient client) {
    this.client = client;
  }

  /** The ConfigMap holding the status of a rollout without a Rollout object. */
  public static String statusConfigMap(String name) {
    return name + "-rollout-status";
  }

  /**
   * Whether a Rollout's status is written through its {@code /status} subresource, as discovery
   * lists it (asked once); when discovery cannot tell, as Argo Rollouts' CRD declares it.
   */
  private boolean rolloutStatusSubresource() {
    Boolean known = rolloutStatusSubresource;
    if (known == null) {
      Optional<Boolean> listed = Kube.statusSubresource(client, ROLLOUT_API, "rollouts");
      if (listed.isEmpty()) {
        return true;
      }
      known = listed.get();
      rolloutStatusSubresource = known;
    }
    return known;
  }

  /**
   * Sends a Rollout's status patch where its CRD keeps the status ({@link
   * #rolloutStatusSubresource()}), following a CRD changed since discovery as {@link
   * io.glidepath.kube.KubeCluster#patchStatus} does, so that the status is neither refused nor
   * dropped: a {@code /status} answering 404 or 405 is tried on the object (discovery is asked
   * again at the next write), and an object whose answer kept another status than the patch set is
   * patched again through the {@code /status} discovery, asked again, now lists.
   */
  private void patchRolloutStatus(String namespace, String name, ObjectNode patch) {
    if (rolloutStatusSubresource()) {
      try {
        Kube.mergePatch(client, ROLLOUT_API, "Rollout", namespace, name, patch, true);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404 && e.getCode() != 405) {
          throw e;
        }
      }
      // the Rollout is gone (this answers 404 too), or its CRD no longer declares the subresource
      Kube.mergePatch(client, ROLLOUT_API, "Rollout", namespace, name, patch, false);
      rolloutStatusSubresource = null;
      return;
    }
    ObjectNode answer =
        Kube.mergePatch(client, ROLLOUT_API, "Rollout", namespace, name, patch, false);
    JsonNode stored = answer.path("status");
    if (statusCheckedWithoutSubresource
        || JsonMergePatch.apply(stored, patch.path("status")).equals(stored)) {
      return;
    }
    // the server kept another status: the CRD may have gained a status subresource
    if (Kube.statusSubresource(client, ROLLOUT_API, "rollouts").orElse(false)) {
      rolloutStatusSubresource = true;
      Kube.mergePatch(client, ROLLOUT_API, "Rollout", namespace, name, patch, true);
    } else {
      statusCheckedWithoutSubresource = true; // asked once, not at every write
    }
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
          "restartedAt",
          "pauseReason",
          "abortedAt",
          "canaryScale",
          "backgroundVerdict",
          "previousStableHash",
          "completedAt",
          "pong");

  /**
   * {@link #saveStatus} for a sharded driver: the status object's resourceVersion is read, then
   * {@code fence} checks the claim, then the patch carries that version as a precondition, so a
   * save that arrives after another replica took the rollout over and saved its status is refused
   * (409). When the object changed meanwhile it is read, checked and sent once more; that check
   * throws when the claim was lost.
   */
  public void saveStatusFenced(
      String namespace, String name, RolloutStatus status, Runnable fence) {
    Kube.fenced(fence, () -> onceMoreOnConflict(() -> saveStatus(namespace, name, status)));
  }

  /**
   * Runs {@code write}; under a fence (see {@link Kube#fenced}), when its precondition fails (409:
   * the object changed since it was read), runs it once more: it reads the object again and the
   * fencing check before the write refuses it when the claim was lost meanwhile.
   */
  private static void onceMoreOnConflict(Runnable write) {
    try {
      write.run();
    } catch (KubernetesClientException e) {
      if (!Kube.isConflict(e) || !Kube.isFenced()) {
        throw e;
      }
      write.run();
    }
  }

  private static void atVersion(ObjectNode patch, Optional<ObjectNode> read) {
    read.map(o -> o.path("metadata").path("resourceVersion").asString(""))
        .filter(v -> !v.isEmpty())
        .ifPresent(v -> patch.putObject("metadata").put("resourceVersion", v));
  }

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
      // Argo's status.restartedAt: the restartAt whose restart completed
      status
          .restartedAt()
          .ifPresentOrElse(t -> s.put("restartedAt", t.toString()), () -> s.putNull("restartedAt"));
      ObjectNode glidepath = status.toJson();
      // a JSON merge patch keeps every key it does not name: clear the optional fields this status
      // lacks, or a new revision inherits the last one's background verdict, abort time and so on
      for (String key : OPTIONAL_STATUS_KEYS) {
        if (!glidepath.has(key)) {
          glidepath.putNull(key);
        }
      }
      s.set("glidepath", glidepath);
      if (Kube.isFenced()) {
        atVersion(patch, rolloutObject(namespace, name)); // read before the check in the patch
      }
      patchRolloutStatus(namespace, name, patch);
      return;
    }
    String cmName = statusConfigMap(name);
    String json = Yaml.toJson(status.toJson());
    ObjectNode patch = Yaml.mapper().createObjectNode();
    patch.putObject("data").put("status", json);
    if (Kube.isFenced()) {
      Optional<ObjectNode> read = Kube.get(client, "v1", "ConfigMap", namespace, cmName);
      if (read.isEmpty()) {
        createStatus(namespace, name, json); // at once: one check, not a patch's 404 first
        return;
      }
      atVersion(patch, read);
    }
    try {
      Kube.mergePatch(client, "v1", "ConfigMap", namespace, cmName, patch, false);
    } catch (KubernetesClientException e) {
      if (!Kube.isNotFound(e)) {
        throw e;
      }
      createStatus(namespace, name, json);
    }
  }

  private void createStatus(String namespace, String name, String json) {
    ObjectNode cm = Yaml.mapper().createObjectNode();
    cm.put("apiVersion", "v1");
    cm.put("kind", "ConfigMap");
    ObjectNode meta = cm.putObject("metadata");
    meta.put("name", statusConfigMap(name)).put("namespace", namespace);
    meta.putObject("labels").put("rollouts.glidepath.io/rollout", name);
    cm.putObject("data").put("status", json);
    Kube.create(client, cm);
  }

  /** The annotation recording the role metadata last applied to a ReplicaSet's pods. */
  public static final String EPHEMERAL_ANNOTATION = "rollouts.glidepath.io/ephemeral-metadata";

  @Override
  public void ensureReplicaSet(String namespace, ReplicaSetSpec spec) {
    Optional<ObjectNode> existing =
        Kube.get(client, "apps/v1", "ReplicaSet", namespace, spec.name());
    if (existing.isPresent()) {
      try {
        update(namespace, spec, existing.get());
      } catch (KubernetesClientException e) {
        if (!Kube.isConflict(e) || !Kube.isFenced()) {
          throw e;
        }
        // changed since it was read (a controller's status, a scale): read, check and send again
        Optional<ObjectNode> again =
            Kube.get(client, "apps/v1", "ReplicaSet", namespace, spec.name());
        if (again.isPresent()) {
          update(namespace, spec, again.get());
        }
      }
      return;
    }
    if (spec.podTemplate().isEmpty()) {
      return; // nothing to scale, and no template to create it from
    }
    ObjectNode desired = desiredTemplate(spec, spec.podTemplate().get());
    ObjectNode rs = Yaml.mapper().createObjectNode();
    rs.put("apiVersion", "apps/v1");
    rs.put("kind", "ReplicaSet");
    ObjectNode meta = rs.putObject("metadata");
    meta.put("name", spec.name()).put("namespace", namespace);
    ObjectNode labels = meta.putObject("labels");
    spec.selector().forEach(labels::put);
    labels.put(HASH_LABEL, spec.hash());
    meta.putObject("annotations").put(EPHEMERAL_ANNOTATION, ephemeralJson(spec.ephemeral()));
    ObjectNode rsSpec = rs.putObject("spec");
    rsSpec.put("replicas", spec.replicas());
    if (spec.minReadySeconds() > 0) {
      rsSpec.put("minReadySeconds", spec.minReadySeconds());
    }
    ObjectNode match = rsSpec.putObject("selector").putObject("matchLabels");
    spec.selector().forEach(match::put);
    match.put(HASH_LABEL, spec.hash());
    rsSpec.set("template", desired);
    try {
      Kube.create(client, rs);
    } catch (KubernetesClientException e) {
      if (!Kube.isConflict(e)) {
        throw e;
      }
      ensureReplicaSet(namespace, spec);
    }
  }

  /** The pod template with the selector, hash and role labels and the role annotations. */
  private static ObjectNode desiredTemplate(ReplicaSetSpec spec, ObjectNode podTemplate) {
    ObjectNode template = podTemplate.deepCopy();
    ObjectNode tmeta =
        template.has("metadata") && template.get("metadata").isObject()
            ? (ObjectNode) template.get("metadata")
            : template.putObject("metadata");
    ObjectNode tlabels =
        tmeta.has("labels") && tmeta.get("labels").isObject()
            ? (ObjectNode) tmeta.get("labels")
            : tmeta.putObject("labels");
    spec.selector().forEach(tlabels::put);
    spec.ephemeral().labels().forEach(tlabels::put);
    tlabels.put(HASH_LABEL, spec.hash());
    if (!spec.ephemeral().annotations().isEmpty()) {
      ObjectNode ann =
          tmeta.has("annotations") && tmeta.get("annotations").isObject()
              ? (ObjectNode) tmeta.get("annotations")
              : tmeta.putObject("annotations");
      spec.ephemeral().annotations().forEach(ann::put);
    }
    return template;
  }

  private void update(String namespace, ReplicaSetSpec spec, ObjectNode rs) {
    JsonNode current = rs.path("spec");
    String ephemeral = ephemeralJson(spec.ephemeral());
    String applied =
        rs.path("metadata").path("annotations").path(EPHEMERAL_ANNOTATION).asString("");
    ObjectNode desired;
    if (spec.podTemplate().isPresent()) {
      desired = desiredTemplate(spec, spec.podTemplate().get());
    } else {
      // keep the ReplicaSet's own template; only the role metadata changes
      desired = ((ObjectNode) current.path("template")).deepCopy();
      relabel(desired, ephemeralFrom(applied), spec.ephemeral());
    }
    boolean templateChanged = !desired.equals(current.path("template"));
    boolean changed =
        current.path("replicas").asInt(-1) != spec.replicas()
            || current.path("minReadySeconds").asInt(0) != spec.minReadySeconds()
            || templateChanged
            || !ephemeral.equals(applied);
    if (!changed) {
      return;
    }
    tools.jackson.databind.node.ArrayNode ops = Yaml.mapper().createArrayNode();
    op(ops, "/spec/replicas", tools.jackson.databind.node.IntNode.valueOf(spec.replicas()));
    op(
        ops,
        "/spec/minReadySeconds",
        tools.jackson.databind.node.IntNode.valueOf(spec.minReadySeconds()));
    if (templateChanged) {
      op(ops, "/spec/template", desired);
    }
    if (!rs.path("metadata").has("annotations")) {
      op(ops, "/metadata/annotations", Yaml.mapper().createObjectNode());
    }
    op(
        ops,
        "/metadata/annotations/" + EPHEMERAL_ANNOTATION.replace("~", "~0").replace("/", "~1"),
        tools.jackson.databind.node.StringNode.valueOf(ephemeral));
    // under a fence, at the resourceVersion read before the check
    Kube.jsonPatch(client, "apps/v1", "ReplicaSet", namespace, spec.name(), ops, rs);
    if (!ephemeral.equals(applied)) {
      relabelPods(namespace, spec, ephemeralFrom(applied));
    }
  }

  /** Takes {@code old}'s labels and annotations off {@code template} and puts {@code now}'s on. */
  private static void relabel(
      ObjectNode template,
      io.glidepath.rollout.PodMetadata old,
      io.glidepath.rollout.PodMetadata now) {
    ObjectNode meta =
        template.has("metadata")
            ? (ObjectNode) template.get("metadata")
            : template.putObject("metadata");
    ObjectNode labels =
        meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
    ObjectNode annotations =
        meta.has("annotations")
            ? (ObjectNode) meta.get("annotations")
            : meta.putObject("annotations");
    old.labels().keySet().forEach(labels::remove);
    old.annotations().keySet().forEach(annotations::remove);
    now.labels().forEach(labels::put);
    now.annotations().forEach(annotations::put);
    if (annotations.isEmpty()) {
      meta.remove("annotations");
    }
  }

  /**
   * The pods carrying the ReplicaSet's {@code rollouts-pod-template-hash}; those owned by another
   * ReplicaSet (another rollout with the same template) are left out.
   */
  @Override
  public java.util.List<io.glidepath.rollout.driver.RolloutPod> pods(
      String namespace, String name, String hash) {
    String replicaSet = name + "-" + hash;
    java.util.List<io.glidepath.rollout.driver.RolloutPod> out = new java.util.ArrayList<>();
    for (var pod :
        client.pods().inNamespace(namespace).withLabel(HASH_LABEL, hash).list().getItems()) {
      var meta = pod.getMetadata();
      var owners = meta.getOwnerReferences();
      if (owners != null
          && owners.stream()
              .anyMatch(o -> "ReplicaSet".equals(o.getKind()) && !replicaSet.equals(o.getName()))) {
        continue;
      }
      Instant created =
          meta.getCreationTimestamp() == null
              ? Instant.EPOCH
              : Instant.parse(meta.getCreationTimestamp());
      out.add(
          new io.glidepath.rollout.driver.RolloutPod(
              meta.getName(), created, meta.getDeletionTimestamp() != null));
    }
    return out;
  }

  /**
   * Evicts through the {@code policy/v1} Eviction API (a PodDisruptionBudget may refuse: false); an
   * API server without the eviction subresource gets a delete instead.
   */
  @Override
  public boolean evictPod(String namespace, String pod) {
    var resource = client.pods().inNamespace(namespace).withName(pod);
    Kube.beforeWrite(); // no precondition: see the deployment guide
    try {
      return resource.evict();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 405) {
        throw new RolloutException("evicting pod " + namespace + "/" + pod + ": " + e.getMessage());
      }
      Kube.beforeWrite();
      resource.delete();
      return true;
    }
  }

  /**
   * Running pods keep the labels their ReplicaSet had when they were made: give them the new role's
   * labels and annotations and take the old role's away, as Argo Rollouts does.
   */
  private void relabelPods(
      String namespace, ReplicaSetSpec spec, io.glidepath.rollout.PodMetadata old) {
    Map<String, String> selector = new java.util.LinkedHashMap<>(spec.selector());
    selector.put(HASH_LABEL, spec.hash());
    var pods = client.pods().inNamespace(namespace).withLabels(selector).list().getItems();
    for (var pod : pods) {
      ObjectNode patch = Yaml.mapper().createObjectNode();
      ObjectNode meta = patch.putObject("metadata");
      ObjectNode labels = meta.putObject("labels");
      ObjectNode annotations = meta.putObject("annotations");
      old.labels().keySet().forEach(labels::putNull);
      old.annotations().keySet().forEach(annotations::putNull);
      spec.ephemeral().labels().forEach(labels::put);
      spec.ephemeral().annotations().forEach(annotations::put);
      String podName = pod.getMetadata().getName();
      if (!Kube.isFenced()) {
        Kube.mergePatch(client, "v1", "Pod", namespace, podName, patch, false);
        continue;
      }
      onceMoreOnConflict(
          () -> {
            // under a fence, at the version read before the check (a pod's status moves often:
            // a conflict reads it again)
            Kube.get(client, "v1", "Pod", namespace, podName)
                .ifPresent(
                    read -> {
                      ObjectNode at = patch.deepCopy();
                      Kube.atVersionWhenFenced(at, read);
                      Kube.mergePatch(client, "v1", "Pod", namespace, podName, at, false);
                    });
          });
    }
  }

  private static void op(tools.jackson.databind.node.ArrayNode ops, String path, JsonNode value) {
    ops.addObject().put("op", "add").put("path", path).set("value", value);
  }

  private static String ephemeralJson(io.glidepath.rollout.PodMetadata m) {
    ObjectNode o = Yaml.mapper().createObjectNode();
    ObjectNode labels = o.putObject("labels");
    m.labels().forEach(labels::put);
    ObjectNode annotations = o.putObject("annotations");
    m.annotations().forEach(annotations::put);
    return Yaml.toJson(o);
  }

  private static io.glidepath.rollout.PodMetadata ephemeralFrom(String json) {
    if (json.isEmpty()) {
      return io.glidepath.rollout.PodMetadata.NONE;
    }
    JsonNode o = Yaml.mapper().readTree(json);
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    o.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    Map<String, String> annotations = new java.util.LinkedHashMap<>();
    o.path("annotations")
        .properties()
        .forEach(e -> annotations.put(e.getKey(), e.getValue().asString()));
    return new io.glidepath.rollout.PodMetadata(labels, annotations);
  }

  @Override
  public Optional<ObjectNode> replicaSetTemplate(String namespace, String replicaSet) {
    return Kube.get(client, "apps/v1", "ReplicaSet", namespace, replicaSet)
        .map(rs -> rs.path("spec").path("template"))
        .filter(JsonNode::isObject)
        .map(t -> ((ObjectNode) t).deepCopy());
  }

  @Override
  public Optional<ObjectNode> workloadTemplate(
      String namespace, io.glidepath.rollout.WorkloadRef ref) {
    return Kube.get(client, ref.apiVersion(), ref.kind(), namespace, ref.name())
        .map(w -> w.path("spec").path("template"))
        .filter(JsonNode::isObject)
        .map(t -> ((ObjectNode) t).deepCopy());
  }

  @Override
  public void scaleWorkload(String namespace, io.glidepath.rollout.WorkloadRef ref, int replicas) {
    onceMoreOnConflict(() -> scale(namespace, ref, replicas));
  }

  private void scale(String namespace, io.glidepath.rollout.WorkloadRef ref, int replicas) {
    Optional<ObjectNode> w = Kube.get(client, ref.apiVersion(), ref.kind(), namespace, ref.name());
    if (w.isEmpty()) {
      throw new RolloutException(
          ref.kind() + " " + namespace + "/" + ref.name() + " (workloadRef) does not exist");
    }
    if (w.get().path("spec").path("replicas").asInt(-1) == replicas) {
      return;
    }
    ObjectNode patch = Yaml.mapper().createObjectNode();
    patch.putObject("spec").put("replicas", replicas);
    Kube.atVersionWhenFenced(patch, w.get());
    Kube.mergePatch(client, ref.apiVersion(), ref.kind(), namespace, ref.name(), patch, false);
  }

  @Override
  public void ensureService(
      String namespace, String name, Map<String, String> selector, ObjectNode podTemplate) {
    onceMoreOnConflict(() -> service(namespace, name, selector, podTemplate));
  }

  private void service(
      String namespace, String name, Map<String, String> selector, ObjectNode podTemplate) {
    ObjectNode svc = Yaml.mapper().createObjectNode();
    svc.put("apiVersion", "v1");
    svc.put("kind", "Service");
    svc.putObject("metadata").put("name", name).put("namespace", namespace);
    ObjectNode spec = svc.putObject("spec");
    ObjectNode sel = spec.putObject("selector");
    selector.forEach(sel::put);
    tools.jackson.databind.node.ArrayNode ports = spec.putArray("ports");
    for (JsonNode c : podTemplate.path("spec").path("containers")) {
      for (JsonNode p : c.path("ports")) {
        ObjectNode port = ports.addObject();
        if (p.has("name")) {
          port.put("name", p.get("name").asString());
        }
        port.put("protocol", p.path("protocol").asString("TCP"));
        port.put("port", p.path("containerPort").asInt());
        port.put("targetPort", p.path("containerPort").asInt());
      }
    }
    Optional<ObjectNode> existing = Kube.get(client, "v1", "Service", namespace, name);
    if (existing.isPresent()) {
      if (!existing.get().path("spec").path("selector").equals(sel)) {
        ObjectNode patch = Yaml.mapper().createObjectNode();
        patch.putObject("spec").set("selector", sel);
        Kube.atVersionWhenFenced(patch, existing.get());
        Kube.mergePatch(client, "v1", "Service", namespace, name, patch, false);
      }
      return;
    }
    if (ports.isEmpty()) {
      // a Service needs a port; Argo Rollouts' experiment services without container ports have
      // none either and are refused by the API server the same way
      throw new RolloutException(
          "Service "
              + namespace
              + "/"
              + name
              + " needs a port, but the pod template declares no container port");
    }
    Kube.create(client, svc);
  }

  @Override
  public void pruneReplicaSets(
      String namespace, String rollout, java.util.Set<String> inUse, int keep) {
    onceMoreOnConflict(() -> prune(namespace, rollout, inUse, keep));
  }

  private void prune(String namespace, String rollout, java.util.Set<String> inUse, int keep) {
    var list =
        client.genericKubernetesResources("apps/v1", "ReplicaSet").inNamespace(namespace).list();
    java.util.List<ObjectNode> old = new java.util.ArrayList<>();
    for (var item : list.getItems()) {
      ObjectNode rs = Kube.toTree(client, item);
      String hash = rs.path("metadata").path("labels").path(HASH_LABEL).asString("");
      String name = rs.path("metadata").path("name").asString("");
      if (!hash.isEmpty() && name.equals(rollout + "-" + hash) && !inUse.contains(hash)) {
        old.add(rs);
      }
    }
    old.sort(
        java.util.Comparator.comparing(
                (ObjectNode rs) -> rs.path("metadata").path("creationTimestamp").asString(""))
            .thenComparingLong(
                rs -> {
                  // a tie in seconds: the one written last is newer
                  String v = rs.path("metadata").path("resourceVersion").asString("0");
                  return v.matches("\\d{1,18}") ? Long.parseLong(v) : 0L;
                })
            .reversed());
    for (int i = keep; i < old.size(); i++) {
      ObjectNode rs = old.get(i);
      if (rs.path("spec").path("replicas").asInt(0) == 0) {
        // under a fence at the version listed before the check: a late delete of a ReplicaSet
        // the new owner scaled up again is refused (and the next reconcile prunes it if still old)
        Kube.delete(client, "apps/v1", "ReplicaSet", rs);
      }
    }
  }

  @Override
  public Optional<String> secretValue(String namespace, String name, String key) {
    io.fabric8.kubernetes.api.model.Secret secret =
        client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(
          new String(
              java.util.Base64.getDecoder().decode(secret.getData().get(key)),
              java.nio.charset.StandardCharsets.UTF_8));
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key));
    }
    return Optional.empty();
  }

  @Override
  public void deleteService(String namespace, String name) {
    onceMoreOnConflict(
        () ->
            Kube.get(client, "v1", "Service", namespace, name)
                .ifPresent(svc -> Kube.delete(client, "v1", "Service", svc)));
  }

  @Override
  public int replicas(String namespace, String name, String hash) {
    return Kube.get(client, "apps/v1", "ReplicaSet", namespace, name + "-" + hash)
        .map(rs -> rs.path("spec").path("replicas").asInt(1))
        .orElse(0);
  }

  @Override
  public Optional<io.glidepath.core.resource.Resource> replicaSet(
      String namespace, String name, String hash) {
    String rs = name + "-" + hash;
    return Kube.get(client, "apps/v1", "ReplicaSet", namespace, rs)
        .map(
            o ->
                io.glidepath.core.resource.Resource.of(
                    o, io.glidepath.core.Origin.of("ReplicaSet " + namespace + "/" + rs)));
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
    onceMoreOnConflict(() -> pin(namespace, service, hash));
  }

  private void pin(String namespace, String service, String hash) {
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
    Kube.atVersionWhenFenced(patch, svc);
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
