package io.glidepath.core.sync;

import io.glidepath.core.app.ManagedNamespaceMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An ordered list of {@link SyncStep}s, and the resources left alone. Steps are in execution order:
 * phase (PreSync, Sync, PostSync, SyncFail), then wave, then kind in Helm's install order (CRDs
 * before custom resources, unknown kinds last), then namespace and name; within the Sync phase
 * prunes come after every apply, in reverse wave and kind order, {@code PruneLast} ones at the very
 * end.
 *
 * <pre>{@code
 * SyncPlan plan = SyncPlanner.create().plan(report, SyncSettings.of(app));
 * System.out.print(plan.toTable());
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@code toString()} is the table.
 */
public final class SyncPlan {
  private final List<SyncStep> steps;
  private final List<SkippedResource> skipped;
  private final Optional<String> namespaceToCreate;
  private final Optional<ManagedNamespaceMetadata> namespaceMetadata;

  /** A plan of these steps, already in execution order. */
  public SyncPlan(
      List<SyncStep> steps, List<SkippedResource> skipped, Optional<String> namespaceToCreate) {
    this(steps, skipped, namespaceToCreate, Optional.empty());
  }

  /**
   * A plan of these steps, already in execution order, whose created namespace gets {@code
   * namespaceMetadata}'s labels and annotations.
   */
  public SyncPlan(
      List<SyncStep> steps,
      List<SkippedResource> skipped,
      Optional<String> namespaceToCreate,
      Optional<ManagedNamespaceMetadata> namespaceMetadata) {
    this.steps = List.copyOf(steps);
    this.skipped = List.copyOf(skipped);
    this.namespaceToCreate = Objects.requireNonNull(namespaceToCreate, "namespaceToCreate");
    this.namespaceMetadata = Objects.requireNonNull(namespaceMetadata, "namespaceMetadata");
  }

  public List<SyncStep> steps() {
    return steps;
  }

  /** The steps of one phase, in order. */
  public List<SyncStep> steps(SyncPhase phase) {
    return steps.stream().filter(s -> s.phase() == phase).toList();
  }

  /** Resources the plan does not touch although they differ, with the reason. */
  public List<SkippedResource> skipped() {
    return skipped;
  }

  /** The namespace to create first ({@code CreateNamespace=true}), if any. */
  public Optional<String> namespaceToCreate() {
    return namespaceToCreate;
  }

  /**
   * Labels and annotations for the namespaces the sync creates ({@code
   * syncPolicy.managedNamespaceMetadata}); empty when none.
   */
  public Optional<ManagedNamespaceMetadata> namespaceMetadata() {
    return namespaceMetadata;
  }

  /** Whether there is nothing to do. */
  public boolean isEmpty() {
    return steps.isEmpty() && namespaceToCreate.isEmpty();
  }

  /** The plan as an aligned text table, one row per step, then the skipped resources. */
  public String toTable() {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"PHASE", "WAVE", "ACTION", "KIND", "NAMESPACE", "NAME", "STATUS", "OPTIONS"});
    for (SyncStep s : steps) {
      String options = s.options().toString();
      if (!s.hookDeletePolicies().isEmpty()) {
        options =
            (options.isEmpty() ? "" : options + " ")
                + "delete="
                + String.join(",", s.hookDeletePolicies());
      }
      rows.add(
          new String[] {
            s.phase().displayName(),
            Integer.toString(s.wave()),
            s.action().displayName(),
            s.key().groupKind(),
            s.key().namespace(),
            s.key().name(),
            s.status().displayName(),
            options
          });
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    namespaceToCreate.ifPresent(ns -> sb.append("create namespace ").append(ns).append('\n'));
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    if (steps.isEmpty()) {
      sb.append("(nothing to do)\n");
    }
    for (SkippedResource r : skipped) {
      sb.append("skipped ")
          .append(r.action().displayName().toLowerCase(java.util.Locale.ROOT))
          .append(' ')
          .append(r.key())
          .append(": ")
          .append(r.reason())
          .append('\n');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return toTable();
  }
}
