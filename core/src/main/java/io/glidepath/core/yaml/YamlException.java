package io.glidepath.core.yaml;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;
import java.util.Objects;

/**
 * Input that is not valid YAML, breaks a limit, or is not a valid manifest.
 *
 * <p>{@link #origin()} names the file, document, line and column; {@link #problem()} says what is
 * wrong there. The message combines both: {@code values.yaml:4:3: duplicate key "image"}.
 */
public class YamlException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final transient Origin origin;
  private final String problem;

  public YamlException(Origin origin, String problem) {
    this(origin, problem, null);
  }

  public YamlException(Origin origin, String problem, Throwable cause) {
    super(origin + ": " + problem, cause);
    this.origin = Objects.requireNonNull(origin, "origin");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** Where the problem is. */
  public Origin origin() {
    return origin;
  }

  /** What the problem is, without the location. */
  public String problem() {
    return problem;
  }
}
