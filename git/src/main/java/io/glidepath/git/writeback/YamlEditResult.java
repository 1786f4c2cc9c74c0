package io.glidepath.git.writeback;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a {@link SurgicalYaml} edit.
 *
 * @param text the edited text (the input itself when nothing changed)
 * @param changed whether the text differs from the input
 * @param previous the value before the edit; empty when the key was added or was null
 * @param added whether a missing key was added
 */
public record YamlEditResult(
    String text, boolean changed, Optional<String> previous, boolean added) {
  public YamlEditResult {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(previous, "previous");
  }
}
