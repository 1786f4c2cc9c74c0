package io.glidepath.rollout.internal.driver;

import io.glidepath.rollout.driver.ReplicaSetSpec;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * A cluster in memory: statuses, ReplicaSets (available at once), Service pins and leases. A
 * ReplicaSet keeps the spec it was last given (the engine's pod template by reference), so a
 * rollout costs a few hundred bytes here.
 */
public final class InMemoryRolloutCluster implements RolloutCluster {
  private record Lease(String holder, Instant expires) {}

  private final Map<String, RolloutStatus> statuses = new ConcurrentHashMap<>();
  private final Map<String, ReplicaSetSpec> replicaSets = new ConcurrentHashMap<>();
  private final Map<String, Long> created = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong sequence =
      new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, Map<String, String>> experimentServices = new ConcurrentHashMap<>();
  private final Map<String, String> services = new ConcurrentHashMap<>();
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public Optional<RolloutStatus> loadStatus(String namespace, String name) {
    return Optional.ofNullable(statuses.get(key(namespace, name)));
  }

  @Override
  public void saveStatus(String namespace, String name, RolloutStatus status) {
    statuses.put(key(namespace, name), status);
  }

  @Override
  public void ensureReplicaSet(String namespace, ReplicaSetSpec spec) {
    ReplicaSetSpec existing = replicaSets.get(key(namespace, spec.name()));
    if (spec.podTemplate().isEmpty()) {
      if (existing == null) {
        return;
      }
      spec =
          new ReplicaSetSpec(
              spec.name(),
              spec.hash(),
              existing.podTemplate(),
              spec.selector(),
              spec.replicas(),
              spec.minReadySeconds(),
              spec.ephemeral());
    }
    replicaSets.put(key(namespace, spec.name()), spec);
    created.putIfAbsent(key(namespace, spec.name()), sequence.incrementAndGet());
  }

  @Override
  public void pruneReplicaSets(
      String namespace, String rollout, java.util.Set<String> inUse, int keep) {
    List<String> old = new ArrayList<>();
    replicaSets.forEach(
        (k, rs) -> {
          if (k.equals(key(namespace, rollout + "-" + rs.hash())) && !inUse.contains(rs.hash())) {
            old.add(k);
          }
        });
    old.sort(java.util.Comparator.comparing((String k) -> created.getOrDefault(k, 0L)).reversed());
    for (int i = keep; i < old.size(); i++) {
      if (replicaSets.get(old.get(i)).replicas() == 0) {
        replicaSets.remove(old.get(i));
        created.remove(old.get(i));
      }
    }
  }

  @Override
  public Optional<ObjectNode> replicaSetTemplate(String namespace, String replicaSet) {
    return Optional.ofNullable(replicaSets.get(key(namespace, replicaSet)))
        .flatMap(ReplicaSetSpec::podTemplate)
        .map(ObjectNode::deepCopy);
  }

  @Override
  public void ensureService(
      String namespace, String name, Map<String, String> selector, ObjectNode podTemplate) {
    experimentServices.put(key(namespace, name), Map.copyOf(selector));
  }

  private final Map<String, String> secrets = new java.util.concurrent.ConcurrentHashMap<>();

  /** Stores key {@code key} of Secret {@code namespace/name}. */
  public void putSecret(String namespace, String name, String key, String value) {
    secrets.put(namespace + "/" + name + "/" + key, value);
  }

  @Override
  public Optional<String> secretValue(String namespace, String name, String key) {
    return Optional.ofNullable(secrets.get(namespace + "/" + name + "/" + key));
  }

  @Override
  public void deleteService(String namespace, String name) {
    experimentServices.remove(key(namespace, name));
  }

  @Override
  public int replicas(String namespace, String name, String hash) {
    ReplicaSetSpec r = replicaSets.get(key(namespace, name + "-" + hash));
    return r == null ? 0 : r.replicas();
  }

  /**
   * None: the in-memory cluster runs no pods, so a restart ({@code spec.restartAt}) finds nothing
   * older than its time and completes at once.
   */
  @Override
  public List<io.glidepath.rollout.driver.RolloutPod> pods(
      String namespace, String name, String hash) {
    return List.of();
  }

  @Override
  public int availableReplicas(String namespace, String name, String hash) {
    return replicas(namespace, name, hash);
  }

  @Override
  public void pinService(String namespace, String service, String hash) {
    services.put(key(namespace, service), hash);
  }

  @Override
  public synchronized boolean tryAcquireLease(
      String namespace, String name, String holder, Instant now, Duration duration) {
    Lease l = leases.get(key(namespace, name));
    if (l != null && !l.holder().equals(holder) && now.isBefore(l.expires())) {
      return false;
    }
    leases.put(key(namespace, name), new Lease(holder, now.plus(duration)));
    return true;
  }

  /** Replicas of every ReplicaSet, by {@code namespace/name-hash}. */
  public Map<String, Integer> replicaSets() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    replicaSets.forEach((k, v) -> out.put(k, v.replicas()));
    return out;
  }

  /** The spec every ReplicaSet was last given, by {@code namespace/name}. */
  public Map<String, ReplicaSetSpec> replicaSetSpecs() {
    return Map.copyOf(replicaSets);
  }

  /** The selector of every experiment Service, by {@code namespace/name}. */
  public Map<String, Map<String, String>> experimentServices() {
    return Map.copyOf(experimentServices);
  }

  /** The hash each Service is pinned to, by {@code namespace/service}. */
  public Map<String, String> services() {
    return Map.copyOf(services);
  }
}
