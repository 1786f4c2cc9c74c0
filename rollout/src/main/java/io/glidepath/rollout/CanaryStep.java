package io.glidepath.rollout;

import io.glidepath.rollout.experiment.ExperimentAnalysis;
import io.glidepath.rollout.experiment.ExperimentTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One step of a {@link CanaryPlan}, with Argo Rollouts' meaning. A closed set: {@link SetWeight},
 * {@link Pause}, {@link Analysis}, {@link Experiment}, {@link SetCanaryScale}, {@link
 * SetHeaderRoute} and {@link SetMirrorRoute}.
 *
 * <p>Records validate only what a single value can get wrong (nulls); range rules (a weight within
 * 0..100, a non-negative pause) are checked by {@link CanaryPlan.Builder#build()}, which names the
 * step index. Immutable.
 */
public sealed interface CanaryStep {
  /** The step's name in Argo's YAML, e.g. {@code setWeight}. */
  String kind();

  /**
   * Route this weight of the traffic to the canary: a percentage, or a share of the plan's {@link
   * CanaryPlan#maxTrafficWeight()} when that is set.
   */
  record SetWeight(int weight) implements CanaryStep {
    @Override
    public String kind() {
      return "setWeight";
    }
  }

  /**
   * Wait: for {@code duration}, or, when it is empty, until someone promotes the rollout.
   *
   * @param duration how long to wait; empty = until promoted
   */
  record Pause(Optional<Duration> duration) implements CanaryStep {
    public Pause {
      Objects.requireNonNull(duration, "duration");
    }

    /** A pause that ends after {@code duration}. */
    public static Pause of(Duration duration) {
      return new Pause(Optional.of(Objects.requireNonNull(duration, "duration")));
    }

    /** A pause that ends only when the rollout is promoted. */
    public static Pause indefinite() {
      return new Pause(Optional.empty());
    }

    @Override
    public String kind() {
      return "pause";
    }
  }

  /**
   * A blocking analysis: Successful continues, Inconclusive pauses for a human, Failed or Error
   * aborts.
   */
  record Analysis(AnalysisRef analysis) implements CanaryStep {
    public Analysis {
      Objects.requireNonNull(analysis, "analysis");
    }

    @Override
    public String kind() {
      return "analysis";
    }
  }

  /**
   * Runs an experiment: ReplicaSets of the canary and/or stable revision for a duration with their
   * analyses; Successful continues, Inconclusive pauses, Failed or Error aborts (as an analysis
   * step). Without a duration the step lasts until the analyses marked requiredForCompletion
   * complete, or (with none) until the rollout is promoted past it.
   *
   * @param duration how long the ReplicaSets run once available
   * @param templates the ReplicaSets ({@code specRef} canary or stable)
   * @param analyses the analyses run alongside
   */
  record Experiment(
      Optional<Duration> duration,
      List<ExperimentTemplate> templates,
      List<ExperimentAnalysis> analyses)
      implements CanaryStep {
    public Experiment {
      Objects.requireNonNull(duration, "duration");
      templates = List.copyOf(templates);
      analyses = List.copyOf(analyses);
    }

    @Override
    public String kind() {
      return "experiment";
    }
  }

  /**
   * Scales the canary independently of the traffic weight: exactly one of {@code replicas}, {@code
   * weight} (percent of spec.replicas) or {@code matchTrafficWeight}.
   */
  record SetCanaryScale(OptionalInt replicas, OptionalInt weight, boolean matchTrafficWeight)
      implements CanaryStep {
    public SetCanaryScale {
      Objects.requireNonNull(replicas, "replicas");
      Objects.requireNonNull(weight, "weight");
    }

    /** A fixed canary replica count. */
    public static SetCanaryScale replicas(int replicas) {
      return new SetCanaryScale(OptionalInt.of(replicas), OptionalInt.empty(), false);
    }

    /** A canary size in percent of the rollout's replicas. */
    public static SetCanaryScale weight(int weight) {
      return new SetCanaryScale(OptionalInt.empty(), OptionalInt.of(weight), false);
    }

    /** Go back to sizing the canary by the traffic weight. */
    public static SetCanaryScale matchingTrafficWeight() {
      return new SetCanaryScale(OptionalInt.empty(), OptionalInt.empty(), true);
    }

    @Override
    public String kind() {
      return "setCanaryScale";
    }
  }

  /**
   * Sends requests whose headers match to the canary (Istio, ALB, APISIX), named {@code name}; no
   * matches removes the route.
   */
  record SetHeaderRoute(String name, List<HeaderMatch> match) implements CanaryStep {
    public SetHeaderRoute {
      Objects.requireNonNull(name, "name");
      match = List.copyOf(match);
    }

    @Override
    public String kind() {
      return "setHeaderRoute";
    }
  }

  /**
   * Mirrors {@code percentage} of matching requests to the canary (Istio), named {@code name}; no
   * matches removes the route.
   */
  record SetMirrorRoute(String name, int percentage, List<Map<String, Object>> match)
      implements CanaryStep {
    public SetMirrorRoute {
      Objects.requireNonNull(name, "name");
      match = List.copyOf(match);
    }

    @Override
    public String kind() {
      return "setMirrorRoute";
    }
  }

  /**
   * One header condition of {@link SetHeaderRoute}.
   *
   * @param headerName the header
   * @param matchType {@code exact}, {@code prefix} or {@code regex}
   * @param value the value to match
   */
  record HeaderMatch(String headerName, String matchType, String value) {
    public HeaderMatch {
      Objects.requireNonNull(headerName, "headerName");
      Objects.requireNonNull(matchType, "matchType");
      Objects.requireNonNull(value, "value");
      if (!List.of("exact", "prefix", "regex").contains(matchType)) {
        throw new IllegalArgumentException(
            "matchType must be exact, prefix or regex, but was '" + matchType + "'");
      }
    }
  }
}
