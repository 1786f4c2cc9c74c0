package io.glidepath.core.diff;

import io.glidepath.core.resource.ResourceKey;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of comparing desired with live: one {@link ResourceDrift} per resource key, in desired
 * order followed by extraneous live resources, and a {@link Summary}. Hooks are kept apart in
 * {@link #hooks()}.
 *
 * <pre>{@code
 * DriftReport report = DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, live);
 * if (!report.isInSync()) System.out.print(report.unifiedDiff());
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@code toString()} prints the summary; every text output is masked.
 */
public final class DriftReport {
  private final Map<ResourceKey, ResourceDrift> entries;
  private final List<ResourceDrift> hooks;
  private final Summary summary;

  private DriftReport(List<ResourceDrift> drifts, List<ResourceDrift> hooks) {
    this.hooks = List.copyOf(hooks);
    Map<ResourceKey, ResourceDrift> map = new LinkedHashMap<>();
    EnumMap<DriftStatus, Integer> counts = new EnumMap<>(DriftStatus.class);
    for (ResourceDrift d : drifts) {
      if (map.put(d.key(), d) != null) {
        throw new IllegalArgumentException("two drift entries for " + d.key());
      }
      counts.merge(d.status(), 1, Integer::sum);
    }
    this.entries = Collections.unmodifiableMap(map);
    this.summary =
        new Summary(
            counts.getOrDefault(DriftStatus.SYNCED, 0),
            counts.getOrDefault(DriftStatus.MODIFIED, 0),
            counts.getOrDefault(DriftStatus.MISSING, 0),
            counts.getOrDefault(DriftStatus.EXTRANEOUS, 0));
  }

  /** A report of these entries (unique keys), without hooks. */
  public static DriftReport of(List<ResourceDrift> drifts) {
    return new DriftReport(drifts, List.of());
  }

  /**
   * A report of these entries (unique keys) and of the application's hooks, which count neither in
   * the summary nor in {@link #isInSync()}.
   */
  public static DriftReport of(List<ResourceDrift> drifts, List<ResourceDrift> hooks) {
    return new DriftReport(drifts, hooks);
  }

  /** Every entry, in desired order, extraneous resources last. */
  public List<ResourceDrift> resources() {
    return List.copyOf(entries.values());
  }

  /**
   * The desired resources annotated {@code argocd.argoproj.io/hook}: like Argo CD, hooks are run by
   * a sync, not kept in sync, so they are listed here and left out of the summary.
   */
  public List<ResourceDrift> hooks() {
    return hooks;
  }

  /** The entries that are not {@link DriftStatus#SYNCED}. */
  public List<ResourceDrift> outOfSync() {
    return entries.values().stream().filter(d -> d.status().isOutOfSync()).toList();
  }

  public Optional<ResourceDrift> get(ResourceKey key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** Whether every resource is {@link DriftStatus#SYNCED}. */
  public boolean isInSync() {
    return summary.synced() == entries.size();
  }

  public Summary summary() {
    return summary;
  }

  /** The unified diffs of all out-of-sync resources, one after another. */
  public String unifiedDiff() {
    StringBuilder sb = new StringBuilder();
    for (ResourceDrift d : entries.values()) {
      sb.append(d.unifiedDiff());
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return summary.toString();
  }

  /**
   * How many resources are in each state.
   *
   * @param synced equal resources
   * @param modified resources that differ
   * @param missing resources in Git only
   * @param extraneous tracked resources in the cluster only
   */
  public record Summary(int synced, int modified, int missing, int extraneous) {
    public int total() {
      return synced + modified + missing + extraneous;
    }

    @Override
    public String toString() {
      return total()
          + " resources: "
          + synced
          + " synced, "
          + modified
          + " modified, "
          + missing
          + " missing, "
          + extraneous
          + " extraneous";
    }
  }
}
