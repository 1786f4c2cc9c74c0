package io.glidepath.testkit.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stands in for kube-controller-manager and the kubelet: turns Deployments into ReplicaSets,
 * reports ReplicaSets, StatefulSets, DaemonSets and Deployments ready, and Jobs complete, once the
 * configured delay has passed on the cluster's clock since it first saw their current generation.
 *
 * <p>An object annotated {@code testkit.glidepath.io/ready: "false"} never becomes ready (a Job so
 * annotated fails). No Pods are created.
 */
public final class SimulatedController {
  /** The annotation that keeps a workload unready (or makes a Job fail). */
  public static final String READY_ANNOTATION = "testkit.glidepath.io/ready";

  private static final String HASH_LABEL = "pod-template-hash";
  private static final String REVISION = "deployment.kubernetes.io/revision";

  private final ClusterDispatcher store;
  private final Clock clock;
  private volatile Duration readyDelay;
  private volatile io.glidepath.testkit.cluster.JobRule jobRule =
      io.glidepath.testkit.cluster.JobRule.DEFAULT;
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

  // workloads changed since they were last looked at, and those still on their way to ready
  private final Set<Item> dirty = ConcurrentHashMap.newKeySet();
  private final Set<Item> waiting = ConcurrentHashMap.newKeySet();
  // ReplicaSets by owning Deployment uid, and each ReplicaSet's owner (guarded by the write lock)
  private final Map<String, Set<String>> replicaSetsByOwner = new HashMap<>();
  private final Map<String, String> ownerOfReplicaSet = new HashMap<>();
  private final Map<String, String> deploymentByUid = new HashMap<>();
  private final Map<String, String> uidOfDeployment = new HashMap<>();

  /** A workload: its kind and {@code namespace/name}. */
  private record Item(String kind, String key) {}

  private static final Set<String> KINDS =
      Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job");

  public SimulatedController(ClusterDispatcher store, Clock clock, Duration readyDelay) {
    this.store = store;
    this.clock = clock;
    this.readyDelay = readyDelay;
    store.onChange(
        (type, key) -> {
          if (KINDS.contains(type.kind())
              && (type.group().equals("apps") || type.group().equals("batch"))) {
            dirty.add(new Item(type.kind(), key));
          }
        });
  }

  /** Changes the delay after which workloads become ready. */
  public void readyDelay(Duration delay) {
    this.readyDelay = delay;
    everything();
  }

  /** Changes how Jobs finish. */
  public void jobRule(io.glidepath.testkit.cluster.JobRule rule) {
    this.jobRule = Objects.requireNonNull(rule, "rule");
    everything();
  }

  /** Marks every workload to be looked at on the next pass. */
  private void everything() {
    store.withWriteLock(
        () -> {
          for (String kind : KINDS) {
            ApiResource t = type(kind.equals("Job") ? "batch/v1" : "apps/v1", kind);
            for (ObjectNode o : store.objects(t)) {
              dirty.add(new Item(kind, keyOf(o)));
            }
          }
        });
  }

  /**
   * One pass over the workloads that changed since the last pass and those not ready yet (their
   * readiness may be due now); writes only what changed. The work is proportional to what changed,
   * not to what the cluster holds. Follow-up changes (a Deployment's new ReplicaSet, its status,
   * then the Deployment's status) are handled in the same pass, up to a few rounds. The store's
   * write lock is taken for a slice of the workloads at a time: requests answered between slices
   * see some of the pass's writes and not yet others, as with a real cluster's controllers.
   */
  public void reconcile() {
    store.withWriteLock(
        () -> {
          dirty.addAll(waiting);
          waiting.clear();
        });
    for (int round = 0; round < 6 && !dirty.isEmpty(); round++) {
      List<Item> batch = new ArrayList<>(dirty);
      dirty.removeAll(batch);
      // the write lock is held for one slice at a time, so the API's writes and reads (which wait
      // for it) are not held up for the whole of a pass over thousands of changed workloads
      for (int from = 0; from < batch.size(); from += SLICE) {
        List<Item> slice = batch.subList(from, Math.min(batch.size(), from + SLICE));
        store.withWriteLock(() -> round(slice));
      }
    }
  }

  /** How many workloads one hold of the write lock looks at. */
  private static final int SLICE = 32;

  private void round(List<Item> batch) {
    ApiResource deployments = type("apps/v1", "Deployment");
    ApiResource replicaSets = type("apps/v1", "ReplicaSet");
    Set<String> deploymentKeys = new TreeSet<>();
    Set<String> replicaSetKeys = new TreeSet<>();
    for (Item i : batch) {
      switch (i.kind()) {
        case "Deployment" -> deploymentKeys.add(i.key());
        case "ReplicaSet" -> replicaSetKeys.add(i.key());
        default -> {}
      }
    }
    // index the ReplicaSets looked at, and wake their owners
    for (String key : replicaSetKeys) {
      ObjectNode rs = read(replicaSets, key);
      String owner = rs == null ? null : ownerUid(rs);
      String before = owner == null ? ownerOfReplicaSet.remove(key) : null;
      if (owner != null) {
        before = ownerOfReplicaSet.put(key, owner);
        replicaSetsByOwner.computeIfAbsent(owner, o -> new TreeSet<>()).add(key);
      }
      if (before != null && !before.equals(owner)) {
        Set<String> set = replicaSetsByOwner.get(before);
        if (set != null) {
          set.remove(key);
          if (set.isEmpty()) {
            replicaSetsByOwner.remove(before);
          }
        }
      }
      for (String uid : new String[] {before, owner}) {
        String d = uid == null ? null : deploymentByUid.get(uid);
        if (d != null) {
          deploymentKeys.add(d);
        }
      }
    }
    List<ObjectNode> ds = new ArrayList<>();
    for (String key : deploymentKeys) {
      ObjectNode d = read(deployments, key);
      String uidBefore = uidOfDeployment.remove(key);
      if (uidBefore != null) {
        deploymentByUid.remove(uidBefore);
      }
      if (d == null) {
        continue;
      }
      String uid = Json.text(d.path("metadata"), "uid");
      uidOfDeployment.put(key, uid);
      deploymentByUid.put(uid, key);
      ds.add(d);
    }
    for (ObjectNode d : ds) {
      if (!deleting(d) && !d.path("spec").path("paused").asBoolean(false)) {
        syncReplicaSets(d, replicaSets);
      }
    }
    // the ReplicaSets of these Deployments (created or scaled just now too) and those that changed
    Set<String> rsKeys = new TreeSet<>(replicaSetKeys);
    for (ObjectNode d : ds) {
      rsKeys.addAll(
          replicaSetsByOwner.getOrDefault(Json.text(d.path("metadata"), "uid"), Set.of()));
    }
    for (String key : rsKeys) {
      ObjectNode rs = read(replicaSets, key);
      if (rs != null) {
        replicaSetStatus(rs, replicaSets);
      }
    }
    for (String key : deploymentKeys) {
      ObjectNode d = read(deployments, key);
      if (d != null) {
        deploymentStatus(d, deployments, replicaSets);
      }
    }
    for (Item i : batch) {
      switch (i.kind()) {
        case "StatefulSet" -> {
          ApiResource t = type("apps/v1", "StatefulSet");
          ObjectNode o = read(t, i.key());
          if (o != null) {
            statefulSetStatus(o, t);
          }
        }
        case "DaemonSet" -> {
          ApiResource t = type("apps/v1", "DaemonSet");
          ObjectNode o = read(t, i.key());
          if (o != null) {
            daemonSetStatus(o, t);
          }
        }
        case "Job" -> {
          ApiResource t = type("batch/v1", "Job");
          ObjectNode o = read(t, i.key());
          if (o != null) {
            jobStatus(o, t);
          }
        }
        default -> {}
      }
    }
  }

  /** Looks at {@code kind}'s object {@code key} again on the next pass (not ready yet). */
  private void again(ObjectNode o) {
    waiting.add(new Item(Json.text(o, "kind"), keyOf(o)));
  }

  private ObjectNode read(ApiResource type, String key) {
    int slash = key.indexOf('/');
    return store.current(type, key.substring(0, slash), key.substring(slash + 1));
  }

  private static String keyOf(JsonNode o) {
    return Json.text(o.path("metadata"), "namespace") + "/" + Json.text(o.path("metadata"), "name");
  }

  private static String ownerUid(JsonNode o) {
    for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
      if ("Deployment".equals(Json.text(ref, "kind"))) {
        return Json.text(ref, "uid");
      }
    }
    return null;
  }

  private ApiResource type(String apiVersion, String kind) {
    return store.resources().byKind(apiVersion, kind).orElseThrow();
  }

  // ------------------------------------------------------------------ readiness clock

  private boolean ready(ObjectNode o, long replicas) {
    if ("false".equals(Json.text(o.path("metadata").path("annotations"), READY_ANNOTATION))) {
      return false;
    }
    String key =
        Json.text(o.path("metadata"), "uid")
            + ":"
            + o.path("metadata").path("generation").asLong(1)
            + ":"
            + replicas;
    Instant seen = firstSeen.computeIfAbsent(key, k -> clock.instant());
    return !clock.instant().isBefore(seen.plus(readyDelay));
  }

  private static boolean deleting(JsonNode o) {
    return o.path("metadata").get("deletionTimestamp") != null;
  }

  private static long replicas(JsonNode o) {
    JsonNode r = o.path("spec").get("replicas");
    return r == null || r.isNull() ? 1 : r.asLong();
  }

  private static long generation(JsonNode o) {
    return o.path("metadata").path("generation").asLong(1);
  }

  private void writeStatus(ApiResource type, ObjectNode current, ObjectNode status) {
    // compare as stored: a long written here reads back as an int
    if (Objects.equals(current.get("status"), Json.read(Json.write(status)))) {
      return;
    }
    ObjectNode next = current.deepCopy();
    next.set("status", status);
    store.store(type, current, next, false);
  }

  // ------------------------------------------------------------------ deployments

  private void syncReplicaSets(ObjectNode d, ApiResource rsType) {
    String namespace = Json.text(d.path("metadata"), "namespace");
    String name = Json.text(d.path("metadata"), "name");
    JsonNode template = d.path("spec").path("template");
    String hash = podTemplateHash(template);
    String rsName = name + "-" + hash;
    List<ObjectNode> owned = ownedBy(d, rsType);
    ObjectNode current = null;
    long maxRevision = 0;
    for (ObjectNode rs : owned) {
      maxRevision =
          Math.max(
              maxRevision, parseLong(Json.text(rs.path("metadata").path("annotations"), REVISION)));
      if (Json.text(rs.path("metadata"), "name").equals(rsName)) {
        current = rs;
      }
    }
    long replicas = replicas(d);
    if (current == null) {
      ObjectNode rs = Json.object();
      ObjectNode meta = rs.putObject("metadata");
      meta.put("name", rsName);
      meta.put("namespace", namespace);
      ObjectNode labels = meta.putObject("labels");
      copyFields(template.path("metadata").path("labels"), labels);
      labels.put(HASH_LABEL, hash);
      meta.putObject("annotations").put(REVISION, String.valueOf(maxRevision + 1));
      ObjectNode ref = meta.putArray("ownerReferences").addObject();
      ref.put("apiVersion", "apps/v1");
      ref.put("kind", "Deployment");
      ref.put("name", name);
      ref.put("uid", Json.text(d.path("metadata"), "uid"));
      ref.put("controller", true);
      ref.put("blockOwnerDeletion", true);
      ObjectNode spec = rs.putObject("spec");
      spec.put("replicas", replicas);
      JsonNode selector = d.path("spec").path("selector");
      ObjectNode sel = selector instanceof ObjectNode o ? o.deepCopy() : Json.object();
      ObjectNode matchLabels =
          sel.get("matchLabels") instanceof ObjectNode m ? m : sel.putObject("matchLabels");
      matchLabels.put(HASH_LABEL, hash);
      spec.set("selector", sel);
      ObjectNode tpl = template.isObject() ? ((ObjectNode) template).deepCopy() : Json.object();
      ObjectNode tplMeta =
          tpl.get("metadata") instanceof ObjectNode m ? m : tpl.putObject("metadata");
      ObjectNode tplLabels =
          tplMeta.get("labels") instanceof ObjectNode l ? l : tplMeta.putObject("labels");
      tplLabels.put(HASH_LABEL, hash);
      spec.set("template", tpl);
      current = store.store(rsType, null, rs, false);
      String uid = Json.text(d.path("metadata"), "uid");
      ownerOfReplicaSet.put(namespace + "/" + rsName, uid);
      replicaSetsByOwner.computeIfAbsent(uid, o -> new TreeSet<>()).add(namespace + "/" + rsName);
    } else if (replicas(current) != replicas) {
      ObjectNode next = current.deepCopy();
      ((ObjectNode) next.path("spec")).put("replicas", replicas);
      current = store.store(rsType, current, next, false);
    }
    boolean newReady =
        current.path("status").path("availableReplicas").asLong(0) >= replicas
            && current.path("status").path("observedGeneration").asLong(0) >= generation(current);
    boolean recreate = "Recreate".equals(Json.text(d.path("spec").path("strategy"), "type"));
    if (newReady || recreate) {
      for (ObjectNode old : owned) {
        if (!Json.text(old.path("metadata"), "name").equals(rsName) && replicas(old) != 0) {
          ObjectNode next = old.deepCopy();
          ((ObjectNode) next.path("spec")).put("replicas", 0);
          store.store(rsType, old, next, false);
        }
      }
    }
  }

  private List<ObjectNode> ownedBy(JsonNode owner, ApiResource type) {
    String uid = Json.text(owner.path("metadata"), "uid");
    String namespace = Json.text(owner.path("metadata"), "namespace");
    List<ObjectNode> out = new ArrayList<>();
    for (String key : replicaSetsByOwner.getOrDefault(uid, Set.of())) {
      ObjectNode o = read(type, key);
      if (o != null && namespace.equals(Json.text(o.path("metadata"), "namespace"))) {
        out.add(o);
      }
    }
    return out;
  }

  private void replicaSetStatus(ObjectNode rs, ApiResource type) {
    long replicas = replicas(rs);
    long previousReady = rs.path("status").path("readyReplicas").asLong(0);
    long ready = ready(rs, replicas) ? replicas : Math.min(previousReady, replicas);
    ObjectNode status = Json.object();
    status.put("replicas", replicas);
    status.put("fullyLabeledReplicas", replicas);
    status.put("readyReplicas", ready);
    status.put("availableReplicas", ready);
    status.put("observedGeneration", generation(rs));
    writeStatus(type, rs, status);
    if (ready < replicas) {
      again(rs);
    }
  }

  private void deploymentStatus(ObjectNode d, ApiResource type, ApiResource rsType) {
    String hash = podTemplateHash(d.path("spec").path("template"));
    String newName = Json.text(d.path("metadata"), "name") + "-" + hash;
    long desired = replicas(d);
    long total = 0;
    long ready = 0;
    long updated = 0;
    long newAvailable = 0;
    long oldReplicas = 0;
    boolean hasNew = false;
    for (ObjectNode rs : ownedBy(d, rsType)) {
      JsonNode s = rs.path("status");
      total += s.path("replicas").asLong(0);
      ready += s.path("readyReplicas").asLong(0);
      if (Json.text(rs.path("metadata"), "name").equals(newName)) {
        hasNew = true;
        updated = s.path("replicas").asLong(0);
        newAvailable = s.path("availableReplicas").asLong(0);
      } else {
        oldReplicas += replicas(rs);
      }
    }
    if ("false".equals(Json.text(d.path("metadata").path("annotations"), READY_ANNOTATION))) {
      ready = 0;
      newAvailable = 0;
    }
    JsonNode previous = d.path("status");
    ObjectNode status = Json.object();
    status.put("observedGeneration", generation(d));
    status.put("replicas", total);
    status.put("updatedReplicas", updated);
    status.put("readyReplicas", ready);
    status.put("availableReplicas", ready);
    if (desired - ready > 0) {
      status.put("unavailableReplicas", desired - ready);
    }
    ArrayNode conditions = status.putArray("conditions");
    boolean available = ready >= desired;
    conditions.add(
        condition(
            previous,
            "Available",
            available,
            available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            available
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability."));
    boolean complete = hasNew && newAvailable >= desired && oldReplicas == 0;
    conditions.add(
        condition(
            previous,
            "Progressing",
            true,
            complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
            complete
                ? "ReplicaSet \"" + newName + "\" has successfully progressed."
                : "ReplicaSet \"" + newName + "\" is progressing."));
    writeStatus(type, d, status);
    if (!complete || !available) {
      again(d);
    }
  }

  private ObjectNode condition(
      JsonNode previousStatus, String type, boolean status, String reason, String message) {
    ObjectNode c = Json.object();
    c.put("type", type);
    c.put("status", status ? "True" : "False");
    String now = clock.instant().toString();
    String lastUpdate = now;
    String lastTransition = now;
    for (JsonNode old : previousStatus.path("conditions")) {
      if (type.equals(Json.text(old, "type"))) {
        if (Json.text(old, "status").equals(c.get("status").asString())) {
          lastTransition = Json.text(old, "lastTransitionTime");
          if (Json.text(old, "reason").equals(reason)) {
            lastUpdate = Json.text(old, "lastUpdateTime");
          }
        }
      }
    }
    c.put("lastUpdateTime", lastUpdate);
    c.put("lastTransitionTime", lastTransition);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  // ------------------------------------------------------------------ other workloads

  private void statefulSetStatus(ObjectNode s, ApiResource type) {
    long replicas = replicas(s);
    String revision =
        Json.text(s.path("metadata"), "name")
            + "-"
            + podTemplateHash(s.path("spec").path("template"));
    JsonNode previous = s.path("status");
    boolean ready = ready(s, replicas);
    long readyCount =
        ready ? replicas : Math.min(previous.path("readyReplicas").asLong(0), replicas);
    ObjectNode status = Json.object();
    status.put("observedGeneration", generation(s));
    status.put("replicas", replicas);
    status.put("readyReplicas", readyCount);
    status.put("availableReplicas", readyCount);
    status.put("currentReplicas", ready ? replicas : previous.path("currentReplicas").asLong(0));
    status.put("updatedReplicas", ready ? replicas : 0);
    String currentRevision = Json.text(previous, "currentRevision");
    status.put("currentRevision", ready || currentRevision.isEmpty() ? revision : currentRevision);
    status.put("updateRevision", revision);
    status.put("collisionCount", 0);
    writeStatus(type, s, status);
    if (!ready) {
      again(s);
    }
  }

  private void daemonSetStatus(ObjectNode d, ApiResource type) {
    boolean ready = ready(d, 1);
    ObjectNode status = Json.object();
    status.put("observedGeneration", generation(d));
    status.put("desiredNumberScheduled", 1);
    status.put("currentNumberScheduled", 1);
    status.put("updatedNumberScheduled", ready ? 1 : 0);
    status.put("numberReady", ready ? 1 : 0);
    status.put("numberAvailable", ready ? 1 : 0);
    status.put("numberMisscheduled", 0);
    writeStatus(type, d, status);
    if (!ready) {
      again(d);
    }
  }

  private void jobStatus(ObjectNode j, ApiResource type) {
    JsonNode previous = j.path("status");
    ObjectNode status = Json.object();
    String start = Json.text(previous, "startTime");
    status.put("startTime", start.isEmpty() ? clock.instant().toString() : start);
    if (deleting(j)) {
      return;
    }
    io.glidepath.testkit.cluster.JobRule.Outcome outcome = jobRule.outcome(view(j));
    boolean fail = outcome == io.glidepath.testkit.cluster.JobRule.Outcome.FAIL;
    String uid = Json.text(j.path("metadata"), "uid");
    Instant seen = firstSeen.computeIfAbsent(uid + ":job", k -> clock.instant());
    boolean done =
        outcome != io.glidepath.testkit.cluster.JobRule.Outcome.RUN
            && !clock.instant().isBefore(seen.plus(readyDelay));
    if (!done) {
      status.put("active", 1);
      again(j);
    } else {
      String finished = Json.text(previous, fail ? "startTime" : "completionTime");
      String at = finished.isEmpty() || fail ? clock.instant().toString() : finished;
      if (fail) {
        status.put("failed", 1);
        ObjectNode c = status.putArray("conditions").addObject();
        c.put("type", "Failed");
        c.put("status", "True");
        c.put("reason", "BackoffLimitExceeded");
        c.put("message", "Job has reached the specified backoff limit");
        String was = Json.text(previous.path("conditions").path(0), "lastTransitionTime");
        c.put("lastTransitionTime", was.isEmpty() ? at : was);
      } else {
        status.put("succeeded", 1);
        status.put("completionTime", at);
        ObjectNode c = status.putArray("conditions").addObject();
        c.put("type", "Complete");
        c.put("status", "True");
        c.put("lastTransitionTime", at);
      }
    }
    writeStatus(type, j, status);
  }

  private static io.glidepath.testkit.cluster.JobRule.Job view(ObjectNode j) {
    JsonNode meta = j.path("metadata");
    List<String> images = new ArrayList<>();
    JsonNode pod = j.path("spec").path("template").path("spec");
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : pod.path(list)) {
        images.add(Json.text(c, "image"));
      }
    }
    return new io.glidepath.testkit.cluster.JobRule.Job(
        Json.text(meta, "namespace"),
        Json.text(meta, "name"),
        strings(meta.path("labels")),
        strings(meta.path("annotations")),
        images);
  }

  private static Map<String, String> strings(JsonNode map) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (map != null && map.isObject()) {
      map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString("")));
    }
    return out;
  }

  // ------------------------------------------------------------------ helpers

  /**
   * A stable hash of a pod template, spelled with the alphabet Kubernetes uses for generated names
   * (the value differs from kube-controller-manager's, which hashes Go's struct dump).
   */
  public static String podTemplateHash(JsonNode template) {
    int h = 0x811c9dc5;
    for (byte b : Json.write(template).getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    String digits = Integer.toUnsignedString(h);
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (char c : digits.toCharArray()) {
      sb.append(alphabet.charAt((c - '0' + sb.length() * 7) % alphabet.length()));
    }
    return sb.toString();
  }

  private static void copyFields(JsonNode from, ObjectNode to) {
    if (from != null && from.isObject()) {
      from.properties().forEach(e -> to.set(e.getKey(), e.getValue().deepCopy()));
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
