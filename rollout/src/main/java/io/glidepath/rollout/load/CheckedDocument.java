package io.glidepath.rollout.load;

import io.glidepath.core.Origin;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one document of {@link ArgoRollouts#check}: loaded (the typed model) or refused
 * (every refused field).
 *
 * @param origin where the document starts
 * @param kind the document's kind ({@code ?} when it has none)
 * @param name the document's name ({@code ?} when it has none)
 * @param document the model, when nothing is refused
 * @param refusals every refused field, empty when loaded
 */
public record CheckedDocument(
    Origin origin,
    String kind,
    String name,
    Optional<ArgoDocument> document,
    List<Refusal> refusals) {
  public CheckedDocument {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(document, "document");
    refusals = List.copyOf(refusals);
    if (document.isPresent() == !refusals.isEmpty()) {
      throw new IllegalArgumentException("a document is either loaded or refused");
    }
  }

  public boolean isRefused() {
    return !refusals.isEmpty();
  }

  /** The refusal as an exception. */
  public DocumentRefusedException exception() {
    return new DocumentRefusedException(kind, name, origin, refusals);
  }
}
