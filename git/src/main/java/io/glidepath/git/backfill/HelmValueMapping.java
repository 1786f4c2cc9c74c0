package io.glidepath.git.backfill;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * For a Helm app, which values key would have to change so that the chart renders a drifted field
 * with its live value.
 *
 * <p>The mapping is {@link Status#UNAMBIGUOUS} when the field's rendered (desired) value equals the
 * value of exactly one values key ({@code spec.replicas: 10} comes from {@code replicaCount: 10}):
 * set {@link #valuesKeys()}{@code .get(0)} to {@link #live()} in {@link #file()}. It is {@link
 * Status#AMBIGUOUS} when several keys hold that value, and {@link Status#NOT_DERIVABLE} when none
 * does (the template computes the value, e.g. {@code repository:tag}) or the field is not a changed
 * scalar.
 *
 * @param field the drifted field of the rendered resource
 * @param status whether the values key is known
 * @param valuesKeys the candidate keys (one when unambiguous)
 * @param file the values file that sets the key last, when unambiguous
 * @param live the live value of the field
 * @param explanation a sentence for people
 */
public record HelmValueMapping(
    String field,
    Status status,
    List<String> valuesKeys,
    Optional<String> file,
    Optional<JsonNode> live,
    String explanation) {
  /** Whether the values key is known. */
  public enum Status {
    UNAMBIGUOUS,
    AMBIGUOUS,
    NOT_DERIVABLE
  }

  public HelmValueMapping {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(status, "status");
    valuesKeys = List.copyOf(valuesKeys);
    Objects.requireNonNull(file, "file");
    live = Objects.requireNonNull(live, "live").map(JsonNode::deepCopy);
    Objects.requireNonNull(explanation, "explanation");
    if (status == Status.UNAMBIGUOUS && valuesKeys.size() != 1) {
      throw new IllegalArgumentException(
          "an unambiguous mapping needs exactly one values key, but has " + valuesKeys);
    }
  }

  @Override
  public String toString() {
    return field + " " + status + ": " + explanation;
  }
}
