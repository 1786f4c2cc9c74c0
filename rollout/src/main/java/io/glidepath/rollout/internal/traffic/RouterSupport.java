package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/** Read-modify-write with conflict retry and read-back verification, shared by the routers. */
final class RouterSupport {
  private static final int ATTEMPTS = 5;

  private RouterSupport() {}

  /**
   * Reads the object, applies {@code change} (which throws if the object has no matching route),
   * writes it back with its resourceVersion (retrying on 409), reads it again and checks {@code
   * verify}. Returns the object as it was before the change.
   */
  static ObjectNode modify(
      KubernetesClient client,
      String router,
      String apiVersion,
      String kind,
      String namespace,
      String name,
      Function<ObjectNode, ObjectNode> change,
      Predicate<ObjectNode> verify) {
    String object = kind + " " + namespace + "/" + name;
    for (int attempt = 1; ; attempt++) {
      ObjectNode current =
          Kube.get(client, apiVersion, kind, namespace, name)
              .orElseThrow(() -> new TrafficRoutingException(router, object, "does not exist"));
      ObjectNode changed = change.apply(current.deepCopy());
      if (!changed.equals(current)) {
        try {
          Kube.update(client, changed);
        } catch (KubernetesClientException e) {
          if (Kube.isConflict(e) && attempt < ATTEMPTS) {
            continue;
          }
          throw new TrafficRoutingException(router, object, "update failed: " + e.getMessage());
        }
      }
      ObjectNode readBack =
          Kube.get(client, apiVersion, kind, namespace, name)
              .orElseThrow(
                  () -> new TrafficRoutingException(router, object, "vanished after the update"));
      if (!verify.test(readBack)) {
        throw new TrafficRoutingException(
            router,
            object,
            "read back after the update does not carry the weights written (a silent no-op"
                + " update, cf. Argo Rollouts #4741)");
      }
      return current;
    }
  }

  /** True when {@code host} names {@code service} (short name or a longer DNS name). */
  static boolean sameService(String host, String service) {
    return host.equals(service) || host.startsWith(service + ".");
  }

  /**
   * The stable's weight when the canary has {@code canaryWeight} and each additional destination
   * its own: the rest of {@code total} (the target's {@link
   * io.glidepath.rollout.traffic.RouteTarget#totalWeight()}).
   *
   * @throws IllegalArgumentException if the weights add up to more than {@code total}
   */
  static int stableWeight(
      int total,
      int canaryWeight,
      java.util.List<io.glidepath.rollout.traffic.WeightDestination> additional) {
    int rest = total - canaryWeight;
    for (io.glidepath.rollout.traffic.WeightDestination d : additional) {
      rest -= d.weight();
    }
    if (rest < 0) {
      throw new IllegalArgumentException(
          "the canary's weight "
              + canaryWeight
              + " and the experiment Services' weights add up to more than "
              + total);
    }
    return rest;
  }
}
