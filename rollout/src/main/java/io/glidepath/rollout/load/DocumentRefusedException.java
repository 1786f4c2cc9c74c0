package io.glidepath.rollout.load;

import io.glidepath.core.Origin;
import io.glidepath.rollout.RolloutException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An Argo Rollouts document Glidepath will not run: it has fields that are unknown, invalid or not
 * supported. {@link #refusals()} lists every one with its file, line and field path; nothing of the
 * document is used.
 *
 * <p>Message: {@code Rollout 'trade-service' (rollout.yaml:1) is refused: rollout.yaml:14:7
 * spec.strategy.canary.foo: unknown field}.
 */
public final class DocumentRefusedException extends RolloutException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String name;
  private final transient Origin origin;
  private final transient List<Refusal> refusals;

  public DocumentRefusedException(String kind, String name, Origin origin, List<Refusal> refusals) {
    super(
        kind
            + " '"
            + name
            + "' ("
            + origin
            + ") is refused: "
            + refusals.stream().map(Refusal::toString).collect(Collectors.joining("; ")));
    if (refusals.isEmpty()) {
      throw new IllegalArgumentException("refusals must not be empty");
    }
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = Objects.requireNonNull(name, "name");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.refusals = List.copyOf(refusals);
  }

  /** The document's kind, e.g. {@code Rollout}. */
  public String kind() {
    return kind;
  }

  /** The document's {@code metadata.name} (or {@code generateName}). */
  public String name() {
    return name;
  }

  /** Where the document starts. */
  public Origin origin() {
    return origin;
  }

  /** Every refused field, in document order. */
  public List<Refusal> refusals() {
    return refusals;
  }
}
