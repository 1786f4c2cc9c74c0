package io.glidepath.core.diff;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link DriftDetector} compares: the {@code ignoreDifferences} rules, the field manager
 * Glidepath applies with, and the managers whose edits are manual.
 *
 * <pre>{@code
 * DiffOptions options = DiffOptions.builder()
 *     .ignoreDifference(IgnoreDifference.of("apps", "Deployment").withJsonPointers("/spec/replicas"))
 *     .build();
 * }</pre>
 *
 * <p>Ownership: when a live object's {@code metadata.managedFields} has an entry of {@link
 * #fieldManager()}, a field the desired object sets but another manager owns (and we do not) is not
 * drift: the HPA controller owning {@code spec.replicas} is the usual case. Managers in {@link
 * #manualEditManagers()} ({@code kubectl edit}, {@code kubectl patch}, ...) are people, not
 * controllers: a field they took over still counts as drift, so self-heal reverts manual changes.
 *
 * <p>Immutable and thread-safe; defaults are {@link #DEFAULT_FIELD_MANAGER} and {@link
 * #DEFAULT_MANUAL_EDIT_MANAGERS}, and no ignore rules.
 */
public final class DiffOptions {
  /** The field manager Glidepath applies with. */
  public static final String DEFAULT_FIELD_MANAGER = "glidepath";

  /** Field managers of kubectl's imperative commands. */
  public static final Set<String> DEFAULT_MANUAL_EDIT_MANAGERS =
      Set.of(
          "kubectl-edit",
          "kubectl-patch",
          "kubectl-replace",
          "kubectl-set",
          "kubectl-label",
          "kubectl-annotate",
          "kubectl-client-side-apply",
          "kubectl");

  private static final DiffOptions DEFAULTS = builder().build();

  private final List<IgnoreDifference> ignoreDifferences;
  private final String fieldManager;
  private final Set<String> manualEditManagers;

  private DiffOptions(Builder b) {
    this.ignoreDifferences = List.copyOf(b.ignoreDifferences);
    this.fieldManager = b.fieldManager;
    this.manualEditManagers = Set.copyOf(b.manualEditManagers);
  }

  public static DiffOptions ofDefaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.ignoreDifferences.addAll(ignoreDifferences);
    b.fieldManager = fieldManager;
    b.manualEditManagers.clear();
    b.manualEditManagers.addAll(manualEditManagers);
    return b;
  }

  public List<IgnoreDifference> ignoreDifferences() {
    return ignoreDifferences;
  }

  public String fieldManager() {
    return fieldManager;
  }

  public Set<String> manualEditManagers() {
    return manualEditManagers;
  }

  @Override
  public String toString() {
    return "DiffOptions{fieldManager="
        + fieldManager
        + ", ignoreDifferences="
        + ignoreDifferences.size()
        + "}";
  }

  /** Builds {@link DiffOptions}; setters validate at once. */
  public static final class Builder {
    private final List<IgnoreDifference> ignoreDifferences = new ArrayList<>();
    private String fieldManager = DEFAULT_FIELD_MANAGER;
    private final Set<String> manualEditManagers =
        new LinkedHashSet<>(DEFAULT_MANUAL_EDIT_MANAGERS);

    private Builder() {}

    public Builder ignoreDifference(IgnoreDifference rule) {
      ignoreDifferences.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    public Builder ignoreDifferences(List<IgnoreDifference> rules) {
      rules.forEach(this::ignoreDifference);
      return this;
    }

    public Builder fieldManager(String fieldManager) {
      if (fieldManager == null || fieldManager.isBlank()) {
        throw new IllegalArgumentException(
            "fieldManager must not be blank, but was \"" + fieldManager + "\"");
      }
      this.fieldManager = fieldManager;
      return this;
    }

    /** Replaces the set of managers whose ownership does not excuse a difference. */
    public Builder manualEditManagers(Set<String> managers) {
      manualEditManagers.clear();
      manualEditManagers.addAll(managers);
      return this;
    }

    public DiffOptions build() {
      return new DiffOptions(this);
    }
  }
}
