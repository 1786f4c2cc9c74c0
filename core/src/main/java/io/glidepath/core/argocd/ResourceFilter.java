package io.glidepath.core.argocd;

import io.glidepath.core.internal.glob.Glob;
import java.util.List;
import java.util.Objects;

/**
 * Argo CD's {@code resource.exclusions} and {@code resource.inclusions}: which kinds Argo CD (and
 * Glidepath) neither watches nor manages. A kind is excluded when it matches an exclusion, or when
 * inclusions are given and it matches none of them. Events ({@code ""/Event}, {@code
 * events.k8s.io}) and {@code metrics.k8s.io} are always excluded, as in Argo CD.
 *
 * <pre>{@code
 * settings.resourceFilter().isExcluded("cilium.io", "CiliumIdentity", "https://kubernetes.default.svc");
 * }</pre>
 *
 * @param exclusions the exclusion rules, as given
 * @param inclusions the inclusion rules, as given (empty: everything is included)
 */
public record ResourceFilter(List<Rule> exclusions, List<Rule> inclusions) {
  private static final List<Rule> CORE_EXCLUSIONS =
      List.of(
          new Rule(List.of("events.k8s.io", "metrics.k8s.io"), List.of(), List.of()),
          new Rule(List.of(""), List.of("Event"), List.of()));

  /** Nothing excluded beyond Argo CD's own exclusions. */
  public static final ResourceFilter NONE = new ResourceFilter(List.of(), List.of());

  public ResourceFilter {
    exclusions = List.copyOf(exclusions);
    inclusions = List.copyOf(inclusions);
  }

  /**
   * One rule: the kinds whose group, kind and cluster match (an empty list matches everything;
   * entries are Argo CD globs: {@code *}, {@code ?}, {@code [a-z]}, {@code {a,b}}).
   *
   * @param apiGroups API group globs ({@code ""} is the core group)
   * @param kinds kind globs
   * @param clusters cluster URL globs
   */
  public record Rule(List<String> apiGroups, List<String> kinds, List<String> clusters) {
    public Rule {
      apiGroups = List.copyOf(apiGroups);
      kinds = List.copyOf(kinds);
      clusters = List.copyOf(clusters);
    }

    /** Whether this rule matches. */
    public boolean matches(String group, String kind, String cluster) {
      return any(apiGroups, group) && any(kinds, kind) && any(clusters, cluster);
    }

    private static boolean any(List<String> globs, String value) {
      if (globs.isEmpty()) {
        return true;
      }
      for (String g : globs) {
        if (Glob.of(g).matches(value)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Whether resources of {@code group}/{@code kind} on the cluster at {@code cluster} are excluded.
   */
  public boolean isExcluded(String group, String kind, String cluster) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cluster, "cluster");
    for (Rule r : CORE_EXCLUSIONS) {
      if (r.matches(group, kind, cluster)) {
        return true;
      }
    }
    for (Rule r : exclusions) {
      if (r.matches(group, kind, cluster)) {
        return true;
      }
    }
    if (inclusions.isEmpty()) {
      return false;
    }
    for (Rule r : inclusions) {
      if (r.matches(group, kind, cluster)) {
        return false;
      }
    }
    return true;
  }
}
