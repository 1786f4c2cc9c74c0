package io.glidepath.git.writeback;

import java.util.Objects;

/**
 * One value to set in one YAML file of a repository.
 *
 * <p>{@code new YamlChange("apps/trade-service/values.yaml", "image.tag", sha)}
 *
 * @param file the repository-relative path with {@code /} separators
 * @param path the value's path in {@link YamlPath} syntax
 * @param value the string to write
 */
public record YamlChange(String file, String path, String value) {
  public YamlChange {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(value, "value");
    if (file.isBlank() || file.startsWith("/") || file.contains("\\")) {
      throw new IllegalArgumentException(
          "file must be a repository-relative path with / separators, but was '" + file + "'");
    }
    for (String part : file.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException(
            "file must not contain empty, . or .. segments, but was '" + file + "'");
      }
    }
    YamlPath.parse(path);
  }
}
