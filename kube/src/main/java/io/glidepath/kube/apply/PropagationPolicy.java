package io.glidepath.kube.apply;

/** What happens to a pruned object's dependents (Argo CD's {@code PrunePropagationPolicy}). */
public enum PropagationPolicy {
  /** Dependents are deleted before the owner is gone (the default, as in the seed app). */
  FOREGROUND("Foreground"),
  /** The owner goes at once; dependents are deleted in the background. */
  BACKGROUND("Background"),
  /** Dependents are kept, without their owner reference. */
  ORPHAN("Orphan");

  private final String apiValue;

  PropagationPolicy(String apiValue) {
    this.apiValue = apiValue;
  }

  /** The value of {@code DeleteOptions.propagationPolicy}. */
  public String apiValue() {
    return apiValue;
  }

  /** Parses Argo's spelling ({@code foreground}, {@code background}, {@code orphan}). */
  public static PropagationPolicy parse(String value) {
    for (PropagationPolicy p : values()) {
      if (p.apiValue.equalsIgnoreCase(value.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "propagation policy must be foreground, background or orphan, but was '" + value + "'");
  }
}
