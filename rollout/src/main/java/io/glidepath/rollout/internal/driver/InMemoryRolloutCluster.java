package io.glidepath.rollout.internal.driver;

import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * A cluster in memory: statuses, ReplicaSet replica counts (available at once), Service pins and
 * leases. Keeps no pod templates, so a rollout costs a few hundred bytes here.
 */
public final class InMemoryRolloutCluster implements RolloutCluster {
  private record Lease(String holder, Instant expires) {}

  private final Map<String, RolloutStatus> statuses = new ConcurrentHashMap<>();
  private final Map<String, Integer> replicaSets = new ConcurrentHashMap<>();
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
  public void ensureReplicaSet(
      String namespace,
      String name,
      String hash,
      ObjectNode podTemplate,
      Map<String, String> selector,
      int replicas) {
    replicaSets.put(key(namespace, name + "-" + hash), replicas);
  }

  @Override
  public int replicas(String namespace, String name, String hash) {
    return replicaSets.getOrDefault(key(namespace, name + "-" + hash), 0);
  }

  @Override
  public int availableReplicas(String namespace, String name, String hash) {
    return replicaSets.getOrDefault(key(namespace, name + "-" + hash), 0);
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
    return Map.copyOf(replicaSets);
  }

  /** The hash each Service is pinned to, by {@code namespace/service}. */
  public Map<String, String> services() {
    return Map.copyOf(services);
  }
}
