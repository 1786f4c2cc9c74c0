package io.glidepath.analysis;

import java.util.Objects;
import java.util.Optional;

/**
 * A template argument: {@code {{args.NAME}}} in a metric is replaced by its value.
 *
 * <p>The value comes from, in order: the value the caller supplies when resolving the template, the
 * template's own {@code value} (a default), or {@code valueFrom} resolved by the caller's {@link
 * ArgumentResolver} (a secret key or a field of the rollout). Values that come from a secret are
 * never shown in messages.
 *
 * <p>Example: {@code Argument.of("service-name")}, {@code Argument.withValue("window", "1m")}.
 *
 * @param name the argument's name
 * @param value the default value, if any
 * @param valueFrom where to look the value up, if anywhere
 */
public record Argument(String name, Optional<String> value, Optional<ValueFrom> valueFrom) {
  public Argument {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(valueFrom, "valueFrom");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (value.isPresent() && valueFrom.isPresent()) {
      throw new IllegalArgumentException(
          "argument '" + name + "' must not have both value and valueFrom");
    }
  }

  /** An argument without default. */
  public static Argument of(String name) {
    return new Argument(name, Optional.empty(), Optional.empty());
  }

  /** An argument with a default value. */
  public static Argument withValue(String name, String value) {
    return new Argument(name, Optional.of(value), Optional.empty());
  }

  /** An argument looked up elsewhere. */
  public static Argument from(String name, ValueFrom from) {
    return new Argument(name, Optional.empty(), Optional.of(from));
  }

  /** Where an argument's value is looked up. */
  public sealed interface ValueFrom {}

  /**
   * A key of a Kubernetes secret; the value is sensitive.
   *
   * @param name the secret's name
   * @param key the key in the secret's data
   */
  public record SecretKeyRef(String name, String key) implements ValueFrom {
    public SecretKeyRef {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * A field of the object running the analysis, e.g. {@code metadata.labels['app']}.
   *
   * @param fieldPath the field path
   */
  public record FieldRef(String fieldPath) implements ValueFrom {
    public FieldRef {
      Objects.requireNonNull(fieldPath, "fieldPath");
    }
  }
}
