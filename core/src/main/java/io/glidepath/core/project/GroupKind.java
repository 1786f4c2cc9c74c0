package io.glidepath.core.project;

import io.glidepath.core.internal.glob.Glob;
import java.util.Objects;

/**
 * A project rule's {@code group}/{@code kind} pair; both are globs ({@code '*'} for any).
 *
 * @param group the API group glob, {@code ""} for the core group
 * @param kind the kind glob
 */
public record GroupKind(String group, String kind) {
  public GroupKind {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
  }

  /** Whether {@code group}/{@code kind} match this rule. */
  public boolean matches(String group, String kind) {
    return Glob.of(this.group).matches(group) && Glob.of(this.kind).matches(kind);
  }

  @Override
  public String toString() {
    return (group.isEmpty() ? "core" : group) + "/" + kind;
  }
}
