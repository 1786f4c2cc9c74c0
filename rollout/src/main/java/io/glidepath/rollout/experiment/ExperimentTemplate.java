package io.glidepath.rollout.experiment;

import io.glidepath.rollout.PodMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.node.ObjectNode;

/**
 * One ReplicaSet of an experiment. In an Experiment the pod template is given; in a Rollout's
 * {@code experiment} step {@code specRef} takes it from the canary or the stable revision.
 *
 * @param name the template's name (the ReplicaSet is {@code <experiment>-<name>})
 * @param specRef in a Rollout step, which revision's pod template to run
 * @param podTemplate in an Experiment, the pod template
 * @param replicas the ReplicaSet's replicas (default 1)
 * @param minReadySeconds seconds a pod must be ready to count as available
 * @param selector the selector's matchLabels (empty: the pod template's labels)
 * @param metadata labels and annotations added to the pods
 * @param weight the percentage of traffic the template's Service receives, with traffic routing
 * @param service the Service created for the template, if any
 */
public record ExperimentTemplate(
    String name,
    Optional<SpecRef> specRef,
    Optional<ObjectNode> podTemplate,
    int replicas,
    int minReadySeconds,
    Map<String, String> selector,
    PodMetadata metadata,
    OptionalInt weight,
    Optional<ServiceRef> service) {
  /** Which revision a Rollout's experiment template runs. */
  public enum SpecRef {
    CANARY("canary"),
    STABLE("stable");

    private final String argoName;

    SpecRef(String argoName) {
      this.argoName = argoName;
    }

    public String argoName() {
      return argoName;
    }
  }

  /**
   * The Service of a template ({@code service: {}} or {@code service: {name: x}}).
   *
   * @param name the Service's name; empty: the ReplicaSet's name
   */
  public record ServiceRef(Optional<String> name) {
    public ServiceRef {
      Objects.requireNonNull(name, "name");
    }
  }

  public ExperimentTemplate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(specRef, "specRef");
    Objects.requireNonNull(podTemplate, "podTemplate");
    podTemplate = podTemplate.map(ObjectNode::deepCopy);
    selector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(selector));
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(service, "service");
    if (specRef.isPresent() == podTemplate.isPresent()) {
      throw new IllegalArgumentException(
          "template '" + name + "' must have exactly one of specRef and a pod template");
    }
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be >= 0, but was " + replicas);
    }
    // the upper bound is the plan's maxTrafficWeight, which the plan checks
    if (weight.isPresent() && weight.getAsInt() < 0) {
      throw new IllegalArgumentException("weight must be >= 0, but was " + weight.getAsInt());
    }
  }

  /** A Rollout step template running the canary or stable revision with one replica. */
  public static ExperimentTemplate of(String name, SpecRef ref) {
    return new ExperimentTemplate(
        name,
        Optional.of(ref),
        Optional.empty(),
        1,
        0,
        Map.of(),
        PodMetadata.NONE,
        OptionalInt.empty(),
        Optional.empty());
  }

  @Override
  public Optional<ObjectNode> podTemplate() {
    return podTemplate.map(ObjectNode::deepCopy);
  }
}
