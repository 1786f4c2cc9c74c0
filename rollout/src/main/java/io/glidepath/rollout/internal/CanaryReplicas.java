package io.glidepath.rollout.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo Rollouts' replica arithmetic for a canary without traffic routing: the canary and stable
 * counts a weight asks for, and one bounded step towards them within maxSurge and maxUnavailable.
 *
 * <p>The model (Argo's basic canary, Kubernetes' rolling update rules):
 *
 * <ul>
 *   <li>maxSurge and maxUnavailable are an int or a percentage of {@code spec.replicas}; a
 *       percentage of surge rounds up, of unavailable rounds down; when both resolve to 0,
 *       maxUnavailable is 1 (Kubernetes' fencepost rule); maxUnavailable is at most the replicas.
 *   <li>Weight {@code w} of {@code R} replicas asks for {@code ceil(R*w/100)} canary and {@code
 *       ceil(R*(100-w)/100)} stable replicas (Argo's best effort: 10 replicas at 15% give 2 and 9),
 *       the stable count lowered when both would exceed {@code R + maxSurge}.
 *   <li>A step scales up first, the canary before the stable, only while the ReplicaSets' total
 *       stays within {@code R + maxSurge}; then scales down a ReplicaSet above its target: its
 *       unavailable replicas freely (a ReplicaSet removes unready pods first), its available ones
 *       only while the available total stays at or above {@code R - maxUnavailable}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class CanaryReplicas {
  private static final Pattern INT_OR_PERCENT = Pattern.compile("(\\d{1,9})(%?)");

  private CanaryReplicas() {}

  /** Canary and stable replica counts. */
  public record Counts(int canary, int stable) {
    public int total() {
      return canary + stable;
    }
  }

  /**
   * Why {@code value} is not a valid maxSurge/maxUnavailable (an int or {@code N%}), if it is not.
   */
  public static Optional<String> invalid(String value) {
    if (INT_OR_PERCENT.matcher(value.trim()).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "must be a non-negative int or a percentage such as 25%, but was \"" + value + "\"");
  }

  /** Whether {@code value} is 0 or 0%. */
  public static boolean isZero(String value) {
    Matcher m = INT_OR_PERCENT.matcher(value.trim());
    return m.matches() && Integer.parseInt(m.group(1)) == 0;
  }

  /** {@code value} of {@code replicas}, a percentage rounded up or down. */
  static int scaled(String value, int replicas, boolean roundUp) {
    Matcher m = INT_OR_PERCENT.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(invalid(value).orElseThrow());
    }
    long n = Long.parseLong(m.group(1));
    if (m.group(2).isEmpty()) {
      return (int) n;
    }
    long product = n * replicas;
    return (int) (roundUp ? (product + 99) / 100 : product / 100);
  }

  /** maxSurge in replicas: a percentage of {@code replicas} rounded up. */
  public static int maxSurge(String maxSurge, int replicas) {
    return scaled(maxSurge, replicas, true);
  }

  /**
   * maxUnavailable in replicas: a percentage rounded down, at most {@code replicas}, and 1 when it
   * and maxSurge both resolve to 0.
   */
  public static int maxUnavailable(String maxSurge, String maxUnavailable, int replicas) {
    int surge = scaled(maxSurge, replicas, true);
    int unavailable = scaled(maxUnavailable, replicas, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return Math.min(unavailable, replicas);
  }

  /** The counts weight {@code weight} (0..100) of {@code replicas} asks for. */
  public static Counts desired(int replicas, int weight, int maxSurge) {
    int canary = ceilPercent(replicas, weight);
    int stable = ceilPercent(replicas, 100 - weight);
    if (canary + stable > replicas + maxSurge) {
      stable = Math.max(0, replicas + maxSurge - canary);
    }
    return new Counts(canary, stable);
  }

  /** {@code ceil(replicas * weight / total)}: a weight out of maxTrafficWeight, in replicas. */
  public static int ceilShare(int replicas, int weight, int total) {
    return (int) (((long) replicas * weight + total - 1) / total);
  }

  /** {@code ceil(replicas * percent / 100)}. */
  public static int ceilPercent(int replicas, int percent) {
    return (int) (((long) replicas * percent + 99) / 100);
  }

  /**
   * One step from {@code current} (the ReplicaSets' spec.replicas, with {@code available} of them
   * available) towards {@code target}.
   */
  public static Counts step(
      int replicas,
      int maxSurge,
      int maxUnavailable,
      Counts target,
      Counts current,
      Counts available) {
    int canary = current.canary();
    int stable = current.stable();
    int canaryAvailable = Math.min(available.canary(), canary);
    int stableAvailable = Math.min(available.stable(), stable);
    int room = replicas + maxSurge - (canary + stable);
    if (room > 0 && canary < target.canary()) {
      int up = Math.min(room, target.canary() - canary);
      canary += up;
      room -= up;
    }
    if (room > 0 && stable < target.stable()) {
      stable += Math.min(room, target.stable() - stable);
    }
    int budget = canaryAvailable + stableAvailable - (replicas - maxUnavailable);
    // the stable goes down first: it is the one above its target while the canary grows
    if (stable > target.stable()) {
      int[] down = scaleDown(stable, stableAvailable, target.stable(), budget);
      stable = down[0];
      budget = down[1];
    }
    if (canary > target.canary()) {
      canary = scaleDown(canary, canaryAvailable, target.canary(), budget)[0];
    }
    return new Counts(canary, stable);
  }

  /** {new spec, remaining budget}: unavailable replicas go first and cost no budget. */
  private static int[] scaleDown(int spec, int available, int target, int budget) {
    int excess = spec - target;
    int free = Math.min(excess, spec - available);
    int paid = Math.min(excess - free, Math.max(0, budget));
    return new int[] {spec - free - paid, budget - paid};
  }

  /** Whether {@code current} is {@code target} with the canary's replicas all available. */
  public static boolean settled(Counts target, Counts current, Counts available) {
    return current.equals(target) && available.canary() >= target.canary();
  }
}
