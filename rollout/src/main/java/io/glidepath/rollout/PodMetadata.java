package io.glidepath.rollout;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels and annotations Argo Rollouts adds to a ReplicaSet's pods while they play a role: {@code
 * canaryMetadata}/{@code stableMetadata} of a canary, {@code previewMetadata}/{@code
 * activeMetadata} of a blue-green rollout, {@code metadata} of an experiment template.
 *
 * <p>Example: {@code PodMetadata.labels(Map.of("role", "canary"))}. Immutable.
 *
 * @param labels labels added to the pods
 * @param annotations annotations added to the pods
 */
public record PodMetadata(Map<String, String> labels, Map<String, String> annotations) {
  /** No labels, no annotations. */
  public static final PodMetadata NONE = new PodMetadata(Map.of(), Map.of());

  public PodMetadata {
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  /** Only labels. */
  public static PodMetadata labels(Map<String, String> labels) {
    return new PodMetadata(labels, Map.of());
  }

  public boolean isEmpty() {
    return labels.isEmpty() && annotations.isEmpty();
  }
}
