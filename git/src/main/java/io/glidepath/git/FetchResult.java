package io.glidepath.git;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link GitSource#fetch()} changed.
 *
 * @param repository the URL without credentials
 * @param cloned whether this fetch created the local clone
 * @param updatedRefs refs that moved or appeared (full name to new commit or tag object id), sorted
 */
public record FetchResult(String repository, boolean cloned, Map<String, String> updatedRefs) {
  public FetchResult {
    Objects.requireNonNull(repository, "repository");
    updatedRefs = java.util.Collections.unmodifiableMap(new TreeMap<>(updatedRefs));
  }

  /** Whether nothing changed since the previous fetch. */
  public boolean isUpToDate() {
    return !cloned && updatedRefs.isEmpty();
  }
}
