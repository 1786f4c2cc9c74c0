package io.glidepath.core.render;

import java.util.Objects;

/**
 * One parameter override, like Argo CD's {@code spec.source.helm.parameters} entry or Helm's {@code
 * --set name=value}.
 *
 * @param name a value path, {@code image.tag}
 * @param value the value, typed like {@code --set} unless {@code forceString}
 * @param forceString true to keep the value a string, like {@code --set-string}
 */
public record Parameter(String name, String value, boolean forceString) {
  public Parameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isBlank()) {
      throw new IllegalArgumentException("parameter name must not be blank");
    }
  }

  /**
   * The name and the value's length, not the value: a {@code --set} value may be a secret, and
   * records print their components into logs and exception messages.
   */
  @Override
  public String toString() {
    return "Parameter[name="
        + name
        + ", value=("
        + value.length()
        + " chars)"
        + (forceString ? ", forceString" : "")
        + "]";
  }

  public static Parameter of(String name, String value) {
    return new Parameter(name, value, false);
  }

  /**
   * Parses {@code name=value}.
   *
   * @throws IllegalArgumentException when there is no {@code =}
   */
  public static Parameter parse(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "parameter must be name=value, but was \"" + assignment + "\"");
    }
    return of(assignment.substring(0, eq), assignment.substring(eq + 1));
  }
}
