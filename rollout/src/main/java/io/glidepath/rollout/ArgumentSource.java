package io.glidepath.rollout;

import java.util.Objects;

/**
 * Where an analysis argument of a Rollout ({@code args[].valueFrom}) takes its value when the run
 * starts: the pod-template hash of the stable or latest ReplicaSet, or a field of the Rollout
 * object.
 */
public sealed interface ArgumentSource {
  /**
   * {@code valueFrom.podTemplateHashValue}: {@code Stable} or {@code Latest} (the revision being
   * rolled out).
   */
  record PodTemplateHash(Which which) implements ArgumentSource {
    /** Which ReplicaSet's hash. */
    public enum Which {
      STABLE("Stable"),
      LATEST("Latest");

      private final String argoName;

      Which(String argoName) {
        this.argoName = argoName;
      }

      public String argoName() {
        return argoName;
      }
    }

    public PodTemplateHash {
      Objects.requireNonNull(which, "which");
    }
  }

  /**
   * {@code valueFrom.fieldRef.fieldPath}: a field of the Rollout object, e.g. {@code
   * metadata.labels['region']}, {@code metadata.name} or {@code
   * spec.template.spec.containers[0].image}.
   */
  record FieldRef(String fieldPath) implements ArgumentSource {
    public FieldRef {
      Objects.requireNonNull(fieldPath, "fieldPath");
    }
  }
}
