package io.glidepath.core.app;

import java.util.Objects;
import java.util.Optional;

/**
 * Plain-directory options of a source ({@code spec.source.directory}).
 *
 * @param recurse read subdirectories too
 * @param include a glob files must match
 * @param exclude a glob that leaves files out
 */
public record DirectorySource(boolean recurse, Optional<String> include, Optional<String> exclude) {
  public DirectorySource {
    Objects.requireNonNull(include, "include");
    Objects.requireNonNull(exclude, "exclude");
  }
}
