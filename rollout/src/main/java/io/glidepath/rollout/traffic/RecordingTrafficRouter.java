package io.glidepath.rollout.traffic;

import io.glidepath.rollout.CanaryStep;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TrafficRouter} that only records what it was told: for simulations and for testing plans
 * and listeners without a mesh. {@link #weight()} is the last weight written.
 *
 * <p>Thread-safe.
 */
public final class RecordingTrafficRouter implements TrafficRouter {
  private final List<Integer> weights = new ArrayList<>();
  private final List<String> routes = new ArrayList<>();
  private final List<String> pins = new ArrayList<>();
  private int weight;
  private int totalWeight = RouteTarget.DEFAULT_TOTAL_WEIGHT;
  private List<WeightDestination> additional = List.of();
  private final List<List<WeightDestination>> additionals = new ArrayList<>();

  @Override
  public String type() {
    return "recording";
  }

  @Override
  public synchronized void setWeight(RouteTarget target, int canaryWeight) {
    if (canaryWeight < 0 || canaryWeight > target.totalWeight()) {
      throw new IllegalArgumentException(
          "canaryWeight must be within 0.." + target.totalWeight() + ", but was " + canaryWeight);
    }
    totalWeight = target.totalWeight();
    if (weights.isEmpty() || weight != canaryWeight) {
      weights.add(canaryWeight);
    }
    weight = canaryWeight;
  }

  @Override
  public synchronized void setWeight(
      RouteTarget target, int canaryWeight, List<WeightDestination> destinations) {
    setWeight(target, canaryWeight);
    if (!destinations.equals(additional)) {
      additionals.add(List.copyOf(destinations));
    }
    additional = List.copyOf(destinations);
  }

  @Override
  public boolean supportsAdditionalDestinations() {
    return true;
  }

  /** The additional destinations (experiment Services) of the last write. */
  public synchronized List<WeightDestination> additional() {
    return additional;
  }

  /** Every change of the additional destinations, in order. */
  public synchronized List<List<WeightDestination>> additionalChanges() {
    return List.copyOf(additionals);
  }

  @Override
  public synchronized void setHeaderRoute(RouteTarget target, CanaryStep.SetHeaderRoute route) {
    routes.add("header " + route.name() + " " + route.match());
  }

  @Override
  public synchronized void setMirrorRoute(RouteTarget target, CanaryStep.SetMirrorRoute route) {
    routes.add("mirror " + route.name() + " " + route.percentage() + "%");
  }

  @Override
  public synchronized void pinRevisions(RouteTarget target, String canaryHash, String stableHash) {
    pins.add(canaryHash + "/" + stableHash);
  }

  /** The revisions the router was pointed at ({@code canary/stable}), in order. */
  public synchronized List<String> pins() {
    return List.copyOf(pins);
  }

  /** The total of the weights in the last write (the plan's maxTrafficWeight; 100 if none). */
  public synchronized int totalWeight() {
    return totalWeight;
  }

  /** The last weight written (0 if none). */
  public synchronized int weight() {
    return weight;
  }

  /** Every distinct weight written, in order. */
  public synchronized List<Integer> weights() {
    return List.copyOf(weights);
  }

  /** Header and mirror routes written, in order. */
  public synchronized List<String> routes() {
    return List.copyOf(routes);
  }
}
